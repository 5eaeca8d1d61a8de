using static Leibniz.Tests.Optimization.OperatorCases;
using static TorchSharp.torch;

namespace Leibniz.Tests.Optimization;

/// <summary>
/// Every hand-written pullback and tangent of <see cref="Leibniz.Optimization.Prox"/> and
/// <see cref="Leibniz.Optimization.Projection"/>, for every tensor parameter, against float64 central differences of the
/// value at seeded points away from the kinks, and against each other through ⟨ȳ, J·v⟩ = ⟨Jᵀȳ, v⟩.
/// </summary>
public sealed class OperatorDerivativeTests
{
    // Away from kinks the operators are smooth over several steps of this size; the 4-point stencil's truncation error is
    // then negligible and the rounding error is about 1e-16/h.
    const double Step = 1e-5;
    const double Tolerance = 1e-8;

    public static TheoryData<string> Cases() => Names();

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_pullback_returns_the_value(string name)
    {
        var (c, inputs, seed) = Setup(name);
        var value = c.Pullback(inputs, seed, new Tensor?[inputs.Length]);
        Assert.True(value.allclose(c.Value(inputs), rtol: 0, atol: 0), $"{name}: the pullback's value differs from the operator's");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_pullback_matches_central_differences_in_each_parameter(string name)
    {
        var (c, inputs, seed) = Setup(name);
        var adjoints = new Tensor?[inputs.Length];
        c.Pullback(inputs, seed, adjoints);
        var random = new Random(17);
        for (var i = 0; i < inputs.Length; i++)
        {
            var directions = Only(inputs, i, random);
            var expected = CentralDifference(c, inputs, seed, directions);
            var actual = adjoints[i] is null ? 0 : Dot(adjoints[i]!, directions[i]);
            Assert.Equal(inputs[i].shape, adjoints[i]?.shape ?? inputs[i].shape);
            AssertClose(expected, actual, $"{name}: pullback into {c.Parameters[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_tangent_matches_central_differences_in_each_parameter(string name)
    {
        var (c, inputs, seed) = Setup(name);
        var random = new Random(23);
        for (var i = 0; i < inputs.Length; i++)
        {
            var directions = Only(inputs, i, random);
            var tangent = c.Tangent(inputs, directions);
            Assert.Equal(c.Value(inputs).shape, tangent.shape);
            AssertClose(CentralDifference(c, inputs, seed, directions), Dot(seed, tangent), $"{name}: tangent along {c.Parameters[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_pullback_is_the_transpose_of_the_tangent(string name)
    {
        var (c, inputs, seed) = Setup(name);
        var random = new Random(29);
        var directions = inputs.Select(x => Uniform(random, x.shape, -1, 1)).ToArray();
        var adjoints = new Tensor?[inputs.Length];
        c.Pullback(inputs, seed, adjoints);
        var transposed = adjoints.Select((a, i) => a is null ? 0 : Dot(a, directions[i])).Sum();
        AssertClose(Dot(seed, c.Tangent(inputs, directions)), transposed, $"{name}: ⟨ȳ, J·v⟩ against ⟨Jᵀȳ, v⟩", 1e-12);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_pullback_adds_to_the_adjoints_without_changing_the_tensors_they_held(string name)
    {
        var (c, inputs, seed) = Setup(name);
        var fresh = new Tensor?[inputs.Length];
        c.Pullback(inputs, seed, fresh);
        var earlier = inputs.Select(x => ones_like(x)).ToArray();
        var adjoints = earlier.Select(e => (Tensor?)e).ToArray();
        c.Pullback(inputs, seed, adjoints);
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.True(earlier[i].eq(1).all().item<bool>(), $"{name}: the pullback wrote into the tensor the adjoint of {c.Parameters[i]} held");
            var expected = fresh[i] is null ? earlier[i] : earlier[i] + fresh[i]!;
            Assert.True(adjoints[i]!.allclose(expected, rtol: 1e-14, atol: 1e-14), $"{name}: accumulation into {c.Parameters[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Under_autograd_the_value_has_the_pullback_s_gradient(string name)
    {
        var (c, inputs, seed) = Setup(name);
        var adjoints = new Tensor?[inputs.Length];
        c.Pullback(inputs, seed, adjoints);
        var leaves = inputs.Select(x => x.detach().clone().requires_grad_()).ToArray();
        (c.Value(leaves) * seed).sum().backward();
        for (var i = 0; i < inputs.Length; i++)
        {
            var expected = adjoints[i] ?? zeros_like(inputs[i]);
            var actual = leaves[i].grad ?? zeros_like(inputs[i]);
            Assert.True(actual.allclose(expected, rtol: 1e-10, atol: 1e-12), $"{name}: autograd's gradient in {c.Parameters[i]} differs from the pullback's");
        }
    }

    static (OperatorCase Case, Tensor[] Inputs, Tensor Seed) Setup(string name)
    {
        var c = Named(name);
        var random = new Random(1000 + All.ToList().IndexOf(c));
        var inputs = c.Sample(random);
        var seed = Uniform(random, c.Value(inputs).shape, -1, 1);
        return (c, inputs, seed);
    }

    /// <summary>A random direction in input <paramref name="index"/>, zero in the others.</summary>
    static Tensor[] Only(Tensor[] inputs, int index, Random random)
        => inputs.Select((x, j) => j == index ? Uniform(random, x.shape, -1, 1) : zeros_like(x)).ToArray();

    /// <summary>d/dh ⟨seed, f(inputs + h·directions)⟩ at h = 0 by the 4-point central stencil.</summary>
    static double CentralDifference(OperatorCase c, Tensor[] inputs, Tensor seed, Tensor[] directions)
    {
        double At(double h) => Dot(seed, c.Value(inputs.Select((x, i) => x + directions[i] * h).ToArray()));
        return (At(-2 * Step) - 8 * At(-Step) + 8 * At(Step) - At(2 * Step)) / (12 * Step);
    }

    static double Dot(Tensor a, Tensor b) => (a * b).sum().item<double>();

    static void AssertClose(double expected, double actual, string what, double relative = Tolerance)
    {
        var tolerance = relative * Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R} (difference {Math.Abs(expected - actual):E2})");
    }
}
