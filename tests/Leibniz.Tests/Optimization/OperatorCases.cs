using Leibniz.Optimization;
using static TorchSharp.torch;

namespace Leibniz.Tests.Optimization;

/// <summary>The pullback of an operator over its inputs: adds into <c>adjoints</c> (one per input) and returns the value.</summary>
internal delegate Tensor PullbackOf(Tensor[] inputs, Tensor seed, Tensor?[] adjoints);

/// <summary>
/// One operator of <see cref="Prox"/> or <see cref="Projection"/> at one kind of input: a seeded sampler of points away
/// from its kinks, the value, and its hand-written pullback and tangent, all over the same input list.
/// </summary>
internal sealed record OperatorCase(
    string Name,
    string[] Parameters,
    Func<Random, Tensor[]> Sample,
    Func<Tensor[], Tensor> Value,
    PullbackOf Pullback,
    Func<Tensor[], Tensor[], Tensor> Tangent);

/// <summary>Every operator, with scalar and per-row/per-entry hyperparameters, and batches where the operator takes them.</summary>
internal static class OperatorCases
{
    public static readonly IReadOnlyList<OperatorCase> All =
    [
        Lasso("Lasso, scalar threshold", r => Scalar(0.5), [3, 4]),
        Lasso("Lasso, per-column thresholds", r => Uniform(r, [1, 4], 0.2, 0.8), [3, 4]),
        new("ElasticNet", ["x", "l1", "l2"],
            r => { var l1 = 0.3; return [AwayFrom(r, [7], l1), Scalar(l1), Scalar(0.7)]; },
            p => Prox.ElasticNet(p[0], p[1], p[2]),
            (p, seed, d) => Prox.ElasticNetPullback(p[0], p[1], p[2], seed, ref d[0], ref d[1], ref d[2]),
            (p, v) => Prox.ElasticNetTangent(p[0], p[1], p[2], v[0], v[1], v[2])),
        GroupLasso("GroupLasso, rows, scalar threshold", r => Scalar(1.0), r => Rows(r, [2.0, 0.4, 1.7, 3.0], 3)),
        GroupLasso("GroupLasso, rows, per-row thresholds", r => Uniform(r, [4, 1], 0.5, 1.0), r => Rows(r, [2.0, 0.3, 1.7, 3.0], 3)),
        GroupLasso("GroupLasso, one group", r => Scalar(0.8), r => Rows(r, [2.0], 5).reshape(5)),
        new("Ridge", ["x", "t"],
            r => [Uniform(r, [3, 2], -2, 2), Scalar(0.6)],
            p => Prox.Ridge(p[0], p[1]),
            (p, seed, d) => Prox.RidgePullback(p[0], p[1], seed, ref d[0], ref d[1]),
            (p, v) => Prox.RidgeTangent(p[0], p[1], v[0], v[1])),
        new("NonNegative", ["x"],
            r => [AwayFrom(r, [8], 0)],
            p => Prox.NonNegative(p[0]),
            (p, seed, d) => Prox.NonNegativePullback(p[0], seed, ref d[0]),
            (p, v) => Prox.NonNegativeTangent(p[0], v[0])),
        Simplex("Simplex, vector", r => [Uniform(r, [6], -1, 1), Scalar(1.0)]),
        Simplex("Simplex, rows, per-row sums", r => [Uniform(r, [3, 5], -1, 1), Uniform(r, [3, 1], 0.5, 2)]),
        L2Ball("L2Ball, vector outside", r => [Rows(r, [3.0], 5).reshape(5), Scalar(1.5)]),
        L2Ball("L2Ball, rows in and out, per-row radii", r => [Rows(r, [0.5, 3.0, 1.0, 4.0], 3), tensor(new[] { 1.0, 1.0, 2.0, 2.5 }, [4, 1])]),
        L1Ball("L1Ball, vector outside", r => [Uniform(r, [6], -1, 1), Scalar(1.0)]),
        L1Ball("L1Ball, rows in and out", r => [Uniform(r, [3, 5], -1, 1) * tensor(new[] { 0.1, 1.0, 2.0 }, [3, 1]), Scalar(1.2)]),
        new("LInfBall", ["x", "r"],
            r => [AwayFrom(r, [3, 4], 0.7), Scalar(0.7)],
            p => Projection.LInfBall(p[0], p[1]),
            (p, seed, d) => Projection.LInfBallPullback(p[0], p[1], seed, ref d[0], ref d[1]),
            (p, v) => Projection.LInfBallTangent(p[0], p[1], v[0], v[1])),
        new("Box", ["x", "lower", "upper"],
            r => [AwayFrom(r, [3, 4], 0.5), Scalar(-0.5), Scalar(0.5)],
            p => Projection.Box(p[0], p[1], p[2]),
            (p, seed, d) => Projection.BoxPullback(p[0], p[1], p[2], seed, ref d[0], ref d[1], ref d[2]),
            (p, v) => Projection.BoxTangent(p[0], p[1], p[2], v[0], v[1], v[2])),
        new("Box, per-column bounds", ["x", "lower", "upper"],
            r => [AwayFrom(r, [3, 4], 0.5), tensor(new[] { -0.5, -0.5, -0.5, -0.5 }, [4]), tensor(new[] { 0.5 }, [1, 1])],
            p => Projection.Box(p[0], p[1], p[2]),
            (p, seed, d) => Projection.BoxPullback(p[0], p[1], p[2], seed, ref d[0], ref d[1], ref d[2]),
            (p, v) => Projection.BoxTangent(p[0], p[1], p[2], v[0], v[1], v[2])),
        Plane("Hyperplane, vector", halfSpace: false, r => [Uniform(r, [5], -1, 1), Uniform(r, [5], -1, 1), Scalar(0.3)]),
        Plane("Hyperplane, rows, per-row offsets", halfSpace: false, r => [Uniform(r, [3, 5], -1, 1), Uniform(r, [5], -1, 1), Uniform(r, [3], -1, 1)]),
        Plane("HalfSpace, rows in and out", halfSpace: true, r => [HalfSpaceRows(), tensor(new[] { 1.0, 2.0, -1.0 }, [3]), Scalar(0.5)]),
        Plane("HalfSpace, vector outside", halfSpace: true, r => [tensor(new[] { 1.0, 1.0, 1.0 }, [3]), tensor(new[] { 1.0, 2.0, -1.0 }, [3]), Scalar(0.5)]),
        new("Affine", ["x", "A", "b"],
            r => [Uniform(r, [5], -1, 1), Uniform(r, [2, 5], -1, 1), Uniform(r, [2], -1, 1)],
            p => Projection.Affine(p[0], p[1], p[2]),
            (p, seed, d) => Projection.AffinePullback(p[0], p[1], p[2], seed, ref d[0], ref d[1], ref d[2]),
            (p, v) => Projection.AffineTangent(p[0], p[1], p[2], v[0], v[1], v[2])),
    ];

    public static OperatorCase Named(string name) => All.Single(c => c.Name == name);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in All) data.Add(c.Name);
        return data;
    }

    static OperatorCase Lasso(string name, Func<Random, Tensor> threshold, long[] shape) => new(name, ["x", "t"],
        r => { var t = threshold(r); return [AwayFrom(r, shape, t), t]; },
        p => Prox.Lasso(p[0], p[1]),
        (p, seed, d) => Prox.LassoPullback(p[0], p[1], seed, ref d[0], ref d[1]),
        (p, v) => Prox.LassoTangent(p[0], p[1], v[0], v[1]));

    static OperatorCase GroupLasso(string name, Func<Random, Tensor> threshold, Func<Random, Tensor> x) => new(name, ["x", "t"],
        r => [x(r), threshold(r)],
        p => Prox.GroupLasso(p[0], p[1]),
        (p, seed, d) => Prox.GroupLassoPullback(p[0], p[1], seed, ref d[0], ref d[1]),
        (p, v) => Prox.GroupLassoTangent(p[0], p[1], v[0], v[1]));

    static OperatorCase Simplex(string name, Func<Random, Tensor[]> sample) => new(name, ["x", "s"], sample,
        p => Projection.Simplex(p[0], p[1]),
        (p, seed, d) => Projection.SimplexPullback(p[0], p[1], seed, ref d[0], ref d[1]),
        (p, v) => Projection.SimplexTangent(p[0], p[1], v[0], v[1]));

    static OperatorCase L2Ball(string name, Func<Random, Tensor[]> sample) => new(name, ["x", "r"], sample,
        p => Projection.L2Ball(p[0], p[1]),
        (p, seed, d) => Projection.L2BallPullback(p[0], p[1], seed, ref d[0], ref d[1]),
        (p, v) => Projection.L2BallTangent(p[0], p[1], v[0], v[1]));

    static OperatorCase L1Ball(string name, Func<Random, Tensor[]> sample) => new(name, ["x", "r"], sample,
        p => Projection.L1Ball(p[0], p[1]),
        (p, seed, d) => Projection.L1BallPullback(p[0], p[1], seed, ref d[0], ref d[1]),
        (p, v) => Projection.L1BallTangent(p[0], p[1], v[0], v[1]));

    static OperatorCase Plane(string name, bool halfSpace, Func<Random, Tensor[]> sample) => new(name, ["x", "a", "b"], sample,
        p => halfSpace ? Projection.HalfSpace(p[0], p[1], p[2]) : Projection.Hyperplane(p[0], p[1], p[2]),
        (p, seed, d) => halfSpace
            ? Projection.HalfSpacePullback(p[0], p[1], p[2], seed, ref d[0], ref d[1], ref d[2])
            : Projection.HyperplanePullback(p[0], p[1], p[2], seed, ref d[0], ref d[1], ref d[2]),
        (p, v) => halfSpace
            ? Projection.HalfSpaceTangent(p[0], p[1], p[2], v[0], v[1], v[2])
            : Projection.HyperplaneTangent(p[0], p[1], p[2], v[0], v[1], v[2]));

    // With a = (1, 2, −1) and b = 0.5: aᵀx = 2, −1.5 and 4, so rows one and three lie outside, well away from the plane.
    static Tensor HalfSpaceRows() => tensor(new[] { 1.0, 0.5, 0.0, -1.0, 0.0, 0.5, 0.5, 1.0, -1.5 }, [3, 3]);

    public static Tensor Scalar(double value) => tensor(value, dtype: ScalarType.Float64);

    public static Tensor Uniform(Random random, long[] shape, double low, double high)
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var data = Enumerable.Range(0, (int)count).Select(_ => low + (high - low) * random.NextDouble()).ToArray();
        return tensor(data, shape);
    }

    /// <summary>Uniform in [−2, 2] but at least 0.05 from ±<paramref name="kink"/> (broadcast), where the operator bends.</summary>
    static Tensor AwayFrom(Random random, long[] shape, Tensor kink)
    {
        var x = Uniform(random, shape, -2, 2);
        var gap = (x.abs() - kink).abs() < 0.05;
        // Pushing an entry 0.1 further out of the band keeps it away from the kink.
        return where(gap, x + x.sign() * 0.1, x);
    }

    static Tensor AwayFrom(Random random, long[] shape, double kink) => AwayFrom(random, shape, Scalar(kink));

    /// <summary>Rows of random direction with the given norms.</summary>
    static Tensor Rows(Random random, double[] norms, long width)
    {
        var x = Uniform(random, [norms.Length, width], -1, 1);
        return x / x.norm(-1, keepdim: true) * tensor(norms, [norms.Length, 1]);
    }
}
