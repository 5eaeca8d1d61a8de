using Leibniz.Optimization;
using static Leibniz.Tests.Optimization.OperatorCases;
using static TorchSharp.torch;

namespace Leibniz.Tests.Optimization;

/// <summary>
/// The values of <see cref="Prox"/> and <see cref="Projection"/> against closed forms written entry by entry in doubles, and
/// the projections against their defining property: the result lies in the set and ⟨x − p, q − p⟩ ≤ 0 for every q in it.
/// </summary>
public sealed class OperatorValueTests
{
    static double[] Values(Tensor t) => t.contiguous().data<double>().ToArray();

    static void AssertEntries(double[] expected, Tensor actual, string what)
    {
        var values = Values(actual);
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - values[i]) <= 1e-12, $"{what}[{i}]: expected {expected[i]:R}, got {values[i]:R}");
    }

    [Fact]
    public void Lasso_and_elastic_net_soft_threshold_each_entry()
    {
        var x = tensor(new[] { -2.0, -0.3, 0.0, 0.5, 0.2, 1.7 });
        double Soft(double v, double t) => Math.Sign(v) * Math.Max(Math.Abs(v) - t, 0);
        AssertEntries(Values(x).Select(v => Soft(v, 0.5)).ToArray(), Prox.Lasso(x, Scalar(0.5)), "lasso");
        AssertEntries(Values(x).Select(v => Soft(v, 0.25) / 1.5).ToArray(), Prox.ElasticNet(x, Scalar(0.25), Scalar(0.5)), "elastic net");
    }

    [Fact]
    public void Elastic_net_is_the_minimiser_of_its_objective()
    {
        var random = new Random(3);
        var x = Uniform(random, [9], -2, 2);
        var (l1, l2) = (0.4, 0.8);
        var z = Prox.ElasticNet(x, Scalar(l1), Scalar(l2));
        double Objective(Tensor w) => (0.5 * (w - x).square().sum() + l1 * w.abs().sum() + l2 / 2 * w.square().sum()).item<double>();
        var best = Objective(z);
        for (var trial = 0; trial < 50; trial++)
            Assert.True(Objective(z + Uniform(random, [9], -0.1, 0.1)) >= best - 1e-12, "a nearby point has a lower objective");
    }

    [Fact]
    public void Group_lasso_shrinks_each_row_and_zeroes_small_ones()
    {
        var x = tensor(new[] { 3.0, 4.0, 0.3, 0.4, 0.0, 0.0 }, [3, 2]);
        // Norms 5, 0.5, 0: the first shrinks by 1 − 1/5, the others vanish.
        AssertEntries([2.4, 3.2, 0, 0, 0, 0], Prox.GroupLasso(x, Scalar(1.0)), "group lasso");
        AssertEntries([1.8, 2.4], Prox.GroupLasso(tensor(new[] { 3.0, 4.0 }), Scalar(2.0)), "one group");
    }

    [Fact]
    public void Ridge_and_non_negative_follow_their_closed_forms()
    {
        var x = tensor(new[] { -1.0, 0.0, 2.0 });
        AssertEntries([-0.5, 0, 1], Prox.Ridge(x, Scalar(1.0)), "ridge");
        AssertEntries([0, 0, 2], Prox.NonNegative(x), "non-negative");
    }

    [Theory]
    [InlineData(1, 5, 1.0)]
    [InlineData(2, 8, 2.5)]
    [InlineData(3, 1, 0.7)]
    public void The_simplex_projection_satisfies_the_variational_inequality(int seed, int n, double s)
    {
        var random = new Random(seed);
        var x = Uniform(random, [4, n], -2, 2);
        var p = Projection.Simplex(x, Scalar(s));
        Assert.True((p >= 0).all().item<bool>(), "negative entry");
        Assert.True((p.sum(-1) - s).abs().max().item<double>() < 1e-12, "rows do not sum to s");
        for (var trial = 0; trial < 40; trial++)
        {
            var weights = Uniform(random, [4, n], 0, 1).pow(3);
            var q = weights / weights.sum(-1, keepdim: true) * s;
            Assert.True(((x - p) * (q - p)).sum(-1).max().item<double>() <= 1e-12, "⟨x − p, q − p⟩ > 0 for a simplex point q");
        }
    }

    [Fact]
    public void The_simplex_projection_matches_the_closed_form_on_small_cases()
    {
        // Inside the simplex a point stays; (2, 0) goes to the vertex (1, 0); (0.5, 0.5, 2) to (0, 0, 1); equal entries share.
        AssertEntries([0.2, 0.3, 0.5], Projection.Simplex(tensor(new[] { 0.2, 0.3, 0.5 }), Scalar(1)), "inside");
        AssertEntries([1, 0], Projection.Simplex(tensor(new[] { 2.0, 0.0 }), Scalar(1)), "vertex");
        AssertEntries([0, 0, 1], Projection.Simplex(tensor(new[] { 0.5, 0.5, 2.0 }), Scalar(1)), "far vertex");
        AssertEntries([0.5, 0.5, 0.5, 0.5], Projection.Simplex(tensor(new[] { 3.0, 3.0, 3.0, 3.0 }), Scalar(2)), "ties");
        AssertEntries([0.5, 0.5, 0, 0, 1.5, 0, 0.5, 0], Projection.Simplex(tensor(new[] { 1.0, 1.0, 0.0, 0.0, 2.0, 0.0, 1.0, 0.0 }, [2, 4]), tensor(new[] { 1.0, 2.0 }, [2, 1])), "rows with their own sums");
    }

    [Fact]
    public void The_l2_ball_projection_keeps_inside_points_and_rescales_outside_ones()
    {
        var x = tensor(new[] { 0.3, 0.4, 3.0, 4.0 }, [2, 2]);
        AssertEntries([0.3, 0.4, 0.6, 0.8], Projection.L2Ball(x, Scalar(1)), "l2 ball");
        AssertEntries([0.15, 0.2, 3.0, 4.0], Projection.L2Ball(x, tensor(new[] { 0.25, 6.0 }, [2, 1])), "per-row radii");
    }

    [Theory]
    [InlineData(4, 6, 1.0)]
    [InlineData(5, 3, 0.4)]
    public void The_l1_ball_projection_satisfies_the_variational_inequality(int seed, int n, double r)
    {
        var random = new Random(seed);
        var x = Uniform(random, [n], -2, 2);
        var p = Projection.L1Ball(x, Scalar(r));
        Assert.True(Math.Abs(p.abs().sum().item<double>() - r) < 1e-12, "an outside point does not land on the sphere");
        for (var trial = 0; trial < 40; trial++)
        {
            var q = Uniform(random, [n], -1, 1);
            q = q / q.abs().sum() * r * random.NextDouble();
            Assert.True(((x - p) * (q - p)).sum().item<double>() <= 1e-12, "⟨x − p, q − p⟩ > 0 for a point q of the ball");
        }

        var inside = x / x.abs().sum() * r * 0.5;
        AssertEntries(Values(inside), Projection.L1Ball(inside, Scalar(r)), "inside point");
    }

    [Fact]
    public void Clamping_projections_follow_their_closed_forms()
    {
        var x = tensor(new[] { -2.0, -0.5, 0.1, 0.9, 3.0 });
        AssertEntries([-1, -0.5, 0.1, 0.9, 1], Projection.LInfBall(x, Scalar(1)), "ℓ∞ ball");
        AssertEntries([-0.5, -0.5, 0.1, 0.5, 0.5], Projection.Box(x, Scalar(-0.5), Scalar(0.5)), "box");
        var lower = tensor(new[] { -3.0, 0.0, 0.0, 1.0, 0.0 });
        AssertEntries([-2, 0, 0.1, 1, 2], Projection.Box(x, lower, lower + 2), "box with per-entry bounds");
    }

    [Fact]
    public void Hyperplane_and_half_space_projections_land_on_the_plane_along_the_normal()
    {
        var random = new Random(8);
        var x = Uniform(random, [4, 5], -2, 2);
        var a = Uniform(random, [5], -1, 1);
        var b = Scalar(0.3);
        var y = Projection.Hyperplane(x, a, b);
        Assert.True(((y * a).sum(-1) - 0.3).abs().max().item<double>() < 1e-12, "not on the plane");
        // x − y is parallel to a: its component orthogonal to a vanishes.
        var moved = x - y;
        var orthogonal = moved - (moved * a).sum(-1, keepdim: true) / a.square().sum() * a;
        Assert.True(orthogonal.abs().max().item<double>() < 1e-12, "moved off the normal");

        var h = Projection.HalfSpace(x, a, b);
        var inside = (x * a).sum(-1) <= 0.3;
        Assert.True(where(inside.unsqueeze(-1), h - x, h - y).abs().max().item<double>() < 1e-12, "half-space: inside rows stay, outside rows go to the plane");
    }

    [Fact]
    public void The_affine_projection_matches_the_pseudo_inverse_form()
    {
        var random = new Random(9);
        var x = Uniform(random, [6], -2, 2);
        var A = Uniform(random, [3, 6], -1, 1);
        var b = Uniform(random, [3], -1, 1);
        var y = Projection.Affine(x, A, b);
        var expected = x - linalg.pinv(A).matmul(A.matmul(x) - b);
        Assert.True((y - expected).abs().max().item<double>() < 1e-12, "differs from x − A⁺(Ax − b)");
        Assert.True((A.matmul(y) - b).abs().max().item<double>() < 1e-12, "not in the affine set");
    }

    [Fact]
    public void Results_take_the_dtype_of_the_inputs()
    {
        var x = tensor(new[] { -1.0f, 0.5f, 2.0f });
        var t = tensor(0.3f);
        Assert.Equal(ScalarType.Float32, Projection.Simplex(x, t).dtype);
        Assert.Equal(ScalarType.Float32, Projection.L1Ball(x, t).dtype);
        Assert.Equal(ScalarType.Float32, Prox.GroupLasso(x, t).dtype);
        Tensor? dx = null, dt = null;
        Projection.SimplexPullback(x, t, ones_like(x), ref dx, ref dt);
        Assert.Equal(ScalarType.Float32, dx!.dtype);
        Assert.Equal(ScalarType.Float32, dt!.dtype);
    }
}
