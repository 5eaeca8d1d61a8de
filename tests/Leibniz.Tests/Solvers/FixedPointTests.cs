using Leibniz.Solvers;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Solvers;

public sealed class FixedPointTests
{
    static readonly SolverOptions Long = new() { MaxIterations = 100_000 };

    [Fact]
    public void Fixed_point_iteration_of_a_gradient_step_reaches_the_ridge_closed_form()
    {
        using var ridge = new RidgeProblem(20, 5, 0.5, seed: 31);
        using var result = FixedPointIteration.Run(w => w - ridge.StepSize * ridge.Gradient(w), ridge.Initial(), Long).EnsureConverged();
        Assert.True(ridge.Error(result.Solution) <= 1e-8);
    }

    [Fact]
    public void Anderson_of_a_gradient_step_reaches_the_ridge_closed_form()
    {
        using var ridge = new RidgeProblem(20, 5, 0.5, seed: 32);
        using var result = Anderson.Run(w => w - ridge.StepSize * ridge.Gradient(w), ridge.Initial(), Long).EnsureConverged();
        Assert.True(ridge.Error(result.Solution) <= 1e-8);
    }

    [Fact]
    public void Anderson_needs_markedly_fewer_iterations_than_plain_iteration_on_a_slowly_contracting_map()
    {
        // T(x) = x − (Ax − b) with A's spectrum in [0.01, 1]: contraction factor 0.99.
        var random = new Random(33);
        const int n = 30;
        var eigenvalues = tensor(Enumerable.Range(0, n).Select(i => 0.01 + 0.99 * i / (n - 1)).ToArray(), ScalarType.Float64);
        var (basis, _) = linalg.qr(tensor(Enumerable.Range(0, n * n).Select(_ => random.NextDouble() - 0.5).ToArray(), new long[] { n, n }, ScalarType.Float64));
        var a = basis.mm(diag(eigenvalues)).mm(basis.t());
        var b = tensor(Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray(), ScalarType.Float64);
        var exact = linalg.solve(a, b);
        Tensor Map(Tensor x) => x - (a.mv(x) - b);

        using var plain = FixedPointIteration.Run(Map, zeros(n, dtype: ScalarType.Float64), Long).EnsureConverged();
        using var accelerated = Anderson.Run(Map, zeros(n, dtype: ScalarType.Float64), Long, memory: 10).EnsureConverged();

        Assert.True(accelerated.Iterations * 10 < plain.Iterations, $"Anderson {accelerated.Iterations}, plain {plain.Iterations}");
        Assert.True((accelerated.Solution - exact).abs().max().ToDouble() <= 1e-8);
        Assert.True((plain.Solution - exact).abs().max().ToDouble() <= 1e-7);
    }

    [Fact]
    public void Fixed_point_solvers_keep_the_shape_of_a_matrix_unknown()
    {
        var c = tensor(new[] { 0.2, -0.4, 0.6, 0.1 }, new long[] { 2, 2 }, ScalarType.Float64);
        // X = ½ cos(X) + C elementwise is a contraction (factor ½).
        using var plain = FixedPointIteration.Run(x => 0.5 * x.cos() + c, zeros(2, 2, dtype: ScalarType.Float64)).EnsureConverged();
        using var accelerated = Anderson.Run(x => 0.5 * x.cos() + c, zeros(2, 2, dtype: ScalarType.Float64)).EnsureConverged();
        Assert.Equal(new long[] { 2, 2 }, accelerated.Solution.shape);
        Assert.True((plain.Solution - accelerated.Solution).abs().max().ToDouble() <= 1e-9);
    }
}
