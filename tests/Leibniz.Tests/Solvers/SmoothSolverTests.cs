using Leibniz.Solvers;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Solvers;

public sealed class SmoothSolverTests
{
    static readonly SolverOptions Long = new() { MaxIterations = 100_000 };

    [Fact]
    public void Gradient_descent_reaches_the_ridge_closed_form()
    {
        using var ridge = new RidgeProblem(20, 5, 0.5, seed: 1);
        using var result = GradientDescent.Minimize(ridge.Gradient, ridge.Initial(), ridge.StepSize, Long).EnsureConverged();
        Assert.True(ridge.Error(result.Solution) <= 1e-8);
        Assert.True(result.Residual <= 1e-10);
    }

    [Fact]
    public void Lbfgs_reaches_the_ridge_closed_form_in_few_iterations()
    {
        using var ridge = new RidgeProblem(20, 5, 0.5, seed: 2);
        using var result = Lbfgs.Minimize(ridge.ValueAndGradient, ridge.Initial()).EnsureConverged();
        Assert.True(ridge.Error(result.Solution) <= 1e-8);
        Assert.True(result.Iterations < 50, $"{result.Iterations} iterations");
    }

    [Fact]
    public void Newton_reaches_the_ridge_closed_form_in_one_step()
    {
        using var ridge = new RidgeProblem(20, 5, 0.5, seed: 3);
        using var result = Newton.Minimize(ridge.Gradient, _ => ridge.Hessian, ridge.Initial()).EnsureConverged();
        Assert.True(ridge.Error(result.Solution) <= 1e-8);
        Assert.True(result.Iterations <= 2, $"{result.Iterations} iterations");
    }

    [Fact]
    public void Newton_works_on_a_matrix_shaped_unknown_through_flattened_derivatives()
    {
        // f(W) = ½‖W − C‖² + ¼ Σ W⁴ elementwise has a separable root of W + W³ = C.
        var c = tensor(new[] { 1.0, -2.0, 0.5, 3.0, 0.0, -1.0 }, new long[] { 2, 3 }, ScalarType.Float64);
        using var result = Newton.Minimize(
            w => w + w.pow(3) - c,
            w => diag((1 + 3 * w.pow(2)).reshape(-1)),
            zeros(2, 3, dtype: ScalarType.Float64)).EnsureConverged();
        Assert.Equal(new long[] { 2, 3 }, result.Solution.shape);
        var s = result.Solution;
        Assert.True((s + s.pow(3) - c).abs().max().ToDouble() <= 1e-10);
    }

    [Fact]
    public void Newton_finds_the_root_of_a_nonlinear_system()
    {
        // x² + y² = 4 and x = y meet at (√2, √2).
        using var result = Newton.FindRoot(
            v => stack(new[] { v[0] * v[0] + v[1] * v[1] - 4, v[0] - v[1] }),
            v => stack(new[] { stack(new[] { 2 * v[0], 2 * v[1] }), tensor(new[] { 1.0, -1.0 }, ScalarType.Float64) }),
            tensor(new[] { 1.0, 0.5 }, ScalarType.Float64)).EnsureConverged();
        Assert.Equal(Math.Sqrt(2), result.Solution[0].ToDouble(), 12);
        Assert.Equal(Math.Sqrt(2), result.Solution[1].ToDouble(), 12);
    }

    [Fact]
    public void Lbfgs_minimises_the_Rosenbrock_function()
    {
        static (double, Tensor) Rosenbrock(Tensor v)
        {
            var a = v[0].ToDouble();
            var b = v[1].ToDouble();
            var value = (1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a);
            var gradient = tensor(new[] { -2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a) }, ScalarType.Float64);
            return (value, gradient);
        }

        using var result = Lbfgs.Minimize(Rosenbrock, tensor(new[] { -1.2, 1.0 }, ScalarType.Float64), new SolverOptions { Tolerance = 1e-9 }).EnsureConverged();
        Assert.Equal(1.0, result.Solution[0].ToDouble(), 6);
        Assert.Equal(1.0, result.Solution[1].ToDouble(), 6);
    }

    [Fact]
    public void A_float32_initial_point_gives_a_float32_solution()
    {
        using var ridge = new RidgeProblem(20, 5, 0.5, seed: 4, dtype: ScalarType.Float32);
        var options = new SolverOptions { Tolerance = 1e-4 };
        using var gd = GradientDescent.Minimize(ridge.Gradient, ridge.Initial(), ridge.StepSize, options).EnsureConverged();
        using var lbfgs = Lbfgs.Minimize(ridge.ValueAndGradient, ridge.Initial(), options).EnsureConverged();
        using var anderson = Anderson.Run(w => w - ridge.StepSize * ridge.Gradient(w), ridge.Initial(), options).EnsureConverged();
        foreach (var result in new[] { gd, lbfgs, anderson })
        {
            Assert.Equal(ScalarType.Float32, result.Solution.dtype);
            Assert.True(ridge.Error(result.Solution) <= 1e-3);
        }
    }

    [Fact]
    public void A_gradient_in_another_dtype_does_not_change_the_iterates_dtype()
    {
        using var ridge = new RidgeProblem(20, 5, 0.5, seed: 5);
        using var result = GradientDescent.Minimize(
            w => ridge.Gradient(w.to(ScalarType.Float64)), zeros(5, dtype: ScalarType.Float32), ridge.StepSize, new SolverOptions { Tolerance = 1e-4 });
        Assert.Equal(ScalarType.Float32, result.Solution.dtype);
        Assert.True(result.Converged);
    }
}
