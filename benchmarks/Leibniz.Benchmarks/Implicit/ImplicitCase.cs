using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Benchmarks.Implicit;

/// <summary>
/// One problem of the implicit-against-unrolled comparison, in float64: its differentiable inputs θ, the seed c of the
/// scalar ⟨c, x*(θ)⟩ whose gradient is taken, and each route to that gradient after K solver iterations.
/// </summary>
sealed class ImplicitCase
{
    public required string Name { get; init; }

    public required Tensor[] Inputs { get; init; }

    public required Tensor Seed { get; init; }

    /// <summary>The step η of the iteration (NaN where there is none).</summary>
    public double StepSize { get; init; } = double.NaN;

    /// <summary>The solver's K iterations, on no tape.</summary>
    public required Func<Tensor[], int, Tensor> Solve { get; init; }

    /// <summary>The generated layer through autograd: Apply, whose backward is the implicit one.</summary>
    public required Func<Tensor[], int, Tensor> Apply { get; init; }

    /// <summary>The generated backward alone, at a solution already computed.</summary>
    public required Func<Tensor[], int, Tensor, Tensor, Tensor?[]> BackwardAt { get; init; }

    /// <summary>The same K iterations recorded by autograd.</summary>
    public required Func<Tensor[], int, Tensor> Unrolled { get; init; }

    /// <summary>The gradient the others are measured against.</summary>
    public required Func<Tensor[]> Oracle { get; init; }

    /// <summary>The unconverged row's second layer: the same ridge with the solution check off (ridge only).</summary>
    public Func<Tensor[], int, Tensor>? UncheckedApply { get; init; }

    public static readonly string[] Names = { "ridge", "lasso", "deq" };

    public static ImplicitCase Create(string name) => name switch
    {
        "ridge" => Ridge(),
        "lasso" => Lasso(),
        "deq" => Equilibrium(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, $"one of {string.Join(", ", Names)}"),
    };

    public Tensor[] Leaves() => Inputs.Select(t => t.detach().clone().requires_grad_()).ToArray();

    /// <summary>∇θ⟨c, x*⟩ through autograd, for a forward recorded on <paramref name="leaves"/>.</summary>
    public Tensor[] Gradient(Tensor solution, Tensor[] leaves) => autograd.grad(new[] { (solution * Seed).sum() }, leaves).ToArray();

    /// <summary>‖g − g*‖ / ‖g*‖ over all inputs' gradients together.</summary>
    public static double RelativeError(IReadOnlyList<Tensor?> gradient, IReadOnlyList<Tensor> oracle)
    {
        double difference = 0, scale = 0;
        for (var i = 0; i < oracle.Count; i++)
        {
            var g = gradient[i] ?? zeros_like(oracle[i]);
            difference += (g - oracle[i]).square().sum().ToDouble();
            scale += oracle[i].square().sum().ToDouble();
        }

        return Math.Sqrt(difference / scale);
    }

    /// <summary>
    /// X 200×50 standard normal, λ = 1. The step η puts the slowest mode's contraction 1 − ημ at 10^(−12/1000), so 1000
    /// steps from zero reach w* to about 1e-12 relative, 100 steps to about 6e-2 and 10 to about 0.76.
    /// </summary>
    static ImplicitCase Ridge()
    {
        var generator = new torch.Generator(7);
        var X = randn(new long[] { 200, 50 }, dtype: ScalarType.Float64, generator: generator);
        var y = randn(new long[] { 200 }, dtype: ScalarType.Float64, generator: generator);
        var lambda = tensor(1.0, dtype: ScalarType.Float64);
        var c = randn(new long[] { 50 }, dtype: ScalarType.Float64, generator: generator);
        var eigenvalues = linalg.eigvalsh(X.T.matmul(X) + lambda * eye(50, dtype: ScalarType.Float64));
        var eta = (1 - Math.Pow(10, -12.0 / 1000)) / eigenvalues.min().ToDouble();
        if (eta * eigenvalues.max().ToDouble() >= 1) throw new InvalidOperationException("the ridge step would not contract every mode monotonically");

        return new ImplicitCase
        {
            Name = "ridge",
            StepSize = eta,
            Inputs = new[] { X, y, lambda },
            Seed = c,
            Solve = (p, k) => RidgeGradientDescent.Solve(p[0], p[1], p[2], eta, k),
            Apply = (p, k) => RidgeGradientDescent.Apply(p[0], p[1], p[2], eta, k),
            BackwardAt = (p, k, w, seed) =>
            {
                Tensor? dX = null, dy = null, dlambda = null;
                RidgeGradientDescent.ApplyPullbackAt(p[0], p[1], p[2], eta, k, w, seed, ref dX, ref dy, ref dlambda);
                return new[] { dX, dy, dlambda };
            },
            Unrolled = (p, k) => Loops.Ridge(p[0], p[1], p[2], eta, k),
            Oracle = () =>
            {
                var leaves = new[] { X, y, lambda }.Select(t => t.detach().clone().requires_grad_()).ToArray();
                var w = linalg.solve(leaves[0].T.matmul(leaves[0]) + leaves[2] * eye(50, dtype: ScalarType.Float64), leaves[0].T.matmul(leaves[1]));
                return autograd.grad(new[] { (w * c).sum() }, leaves).ToArray();
            },
            UncheckedApply = (p, k) => RidgeGradientDescentUnchecked.Apply(p[0], p[1], p[2], eta, k),
        };
    }

    /// <summary>
    /// X 200×50 standard normal, y from 10 nonzero weights plus noise, λ = 0.1‖Xᵀy‖∞, η = 1/L. The oracle differentiates the
    /// closed form on the support S of a tightly converged solution: w_S = (X_SᵀX_S)⁻¹(X_Sᵀy − λ sign w_S), zero elsewhere.
    /// </summary>
    static ImplicitCase Lasso()
    {
        var generator = new torch.Generator(11);
        var X = randn(new long[] { 200, 50 }, dtype: ScalarType.Float64, generator: generator);
        var truth = zeros(50, dtype: ScalarType.Float64);
        truth[TensorIndex.Slice(0, 10)] = randn(new long[] { 10 }, dtype: ScalarType.Float64, generator: generator) * 3;
        var y = X.matmul(truth) + 0.5 * randn(new long[] { 200 }, dtype: ScalarType.Float64, generator: generator);
        var lambda = tensor(0.1 * X.T.matmul(y).abs().max().ToDouble(), dtype: ScalarType.Float64);
        var c = randn(new long[] { 50 }, dtype: ScalarType.Float64, generator: generator);
        var eta = 1.0 / linalg.eigvalsh(X.T.matmul(X)).max().ToDouble();

        return new ImplicitCase
        {
            Name = "lasso",
            StepSize = eta,
            Inputs = new[] { X, y, lambda },
            Seed = c,
            Solve = (p, k) => LassoProximalGradient.Solve(p[0], p[1], p[2], eta, k),
            Apply = (p, k) => LassoProximalGradient.Apply(p[0], p[1], p[2], eta, k),
            BackwardAt = (p, k, w, seed) =>
            {
                Tensor? dX = null, dy = null, dlambda = null;
                LassoProximalGradient.ApplyPullbackAt(p[0], p[1], p[2], eta, k, w, seed, ref dX, ref dy, ref dlambda);
                return new[] { dX, dy, dlambda };
            },
            Unrolled = (p, k) => Loops.Fista(p[0], p[1], p[2], eta, k),
            Oracle = () =>
            {
                using var noGrad = no_grad();
                var converged = Loops.Fista(X, y, lambda, eta, 20_000);
                var support = converged.abs().gt(1e-9).nonzero().flatten();
                var signs = converged.index_select(0, support).sign();
                using var enabled = enable_grad();
                var leaves = new[] { X, y, lambda }.Select(t => t.detach().clone().requires_grad_()).ToArray();
                var XS = leaves[0].index_select(1, support);
                var wS = linalg.solve(XS.T.matmul(XS), XS.T.matmul(leaves[1]) - leaves[2] * signs);
                return autograd.grad(new[] { (wS * c.index_select(0, support)).sum() }, leaves).ToArray();
            },
        };
    }

    /// <summary>
    /// z = tanh(Wz + Ux + b) for 32 columns x of 20 features, z of 50; W scaled to spectral norm 0.97, so the iteration
    /// contracts at least that fast. The oracle unrolls 5000 iterations under autograd: independent of the implicit route,
    /// and the derivative of an iterate that close to the fixed point.
    /// </summary>
    static ImplicitCase Equilibrium()
    {
        var generator = new torch.Generator(13);
        var W = randn(new long[] { 50, 50 }, dtype: ScalarType.Float64, generator: generator);
        W = 0.97 * W / linalg.matrix_norm(W, 2);
        var U = randn(new long[] { 50, 20 }, dtype: ScalarType.Float64, generator: generator) / Math.Sqrt(20);
        var x = randn(new long[] { 20, 32 }, dtype: ScalarType.Float64, generator: generator);
        var b = 0.1 * randn(new long[] { 50, 1 }, dtype: ScalarType.Float64, generator: generator);
        var c = randn(new long[] { 50, 32 }, dtype: ScalarType.Float64, generator: generator);

        return new ImplicitCase
        {
            Name = "deq",
            Inputs = new[] { W, U, x, b },
            Seed = c,
            Solve = (p, k) => DeepEquilibrium.Solve(p[0], p[1], p[2], p[3], k),
            Apply = (p, k) => DeepEquilibrium.Apply(p[0], p[1], p[2], p[3], k),
            BackwardAt = (p, k, z, seed) =>
            {
                Tensor? dW = null, dU = null, dx = null, db = null;
                DeepEquilibrium.ApplyPullbackAt(p[0], p[1], p[2], p[3], k, z, seed, ref dW, ref dU, ref dx, ref db);
                return new[] { dW, dU, dx, db };
            },
            Unrolled = (p, k) => Loops.Equilibrium(p[0], p[1], p[2], p[3], k),
            Oracle = () =>
            {
                var leaves = new[] { W, U, x, b }.Select(t => t.detach().clone().requires_grad_()).ToArray();
                var z = Loops.Equilibrium(leaves[0], leaves[1], leaves[2], leaves[3], 5000);
                return autograd.grad(new[] { (z * c).sum() }, leaves).ToArray();
            },
        };
    }
}
