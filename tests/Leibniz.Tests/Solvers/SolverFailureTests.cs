using System.Globalization;
using Leibniz.Solvers;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Solvers;

public sealed class SolverFailureTests
{
    [Fact]
    public void A_run_cut_short_is_unconverged_and_EnsureConverged_names_iterations_and_residual()
    {
        using var ridge = new RidgeProblem(20, 5, 0.5, seed: 41);
        using var result = GradientDescent.Minimize(ridge.Gradient, ridge.Initial(), ridge.StepSize, new SolverOptions { MaxIterations = 3 });
        Assert.False(result.Converged);
        Assert.Equal(3, result.Iterations);
        var e = Assert.Throws<SolverException>(() => result.EnsureConverged("the ridge fit"));
        Assert.Equal("GradientDescent", e.Solver);
        Assert.Equal(3, e.Iterations);
        Assert.Equal(result.Residual, e.Residual);
        Assert.Equal(1e-10, e.Tolerance);
        Assert.StartsWith("the ridge fit: ", e.Message);
        Assert.Contains("3 iterations", e.Message);
        Assert.Contains(result.Residual.ToString("G3", CultureInfo.InvariantCulture), e.Message);
        Assert.Contains("MaxIterations", e.Message);
    }

    [Fact]
    public void Every_solver_reports_an_unconverged_run_at_MaxIterations()
    {
        using var ridge = new RidgeProblem(20, 5, 0.5, seed: 42);
        var options = new SolverOptions { MaxIterations = 2 };
        Tensor Step(Tensor w) => w - ridge.StepSize * ridge.Gradient(w);
        var results = new[]
        {
            ProximalGradient.Minimize(ridge.Gradient, (v, _) => v, ridge.Initial(), ridge.StepSize, options),
            ProximalGradient.Minimize(ridge.Gradient, (v, _) => v, ridge.Initial(), ridge.StepSize, options, accelerated: false),
            ProjectedGradient.Minimize(ridge.Gradient, v => v, ridge.Initial(), ridge.StepSize, options),
            Lbfgs.Minimize(ridge.ValueAndGradient, ridge.Initial(), new SolverOptions { MaxIterations = 1 }),
            FixedPointIteration.Run(Step, ridge.Initial(), options),
            Anderson.Run(Step, ridge.Initial(), options),
            Bisection.FindRoot(x => x - 0.3, 0, 1, options),
        };
        foreach (var result in results)
        {
            Assert.False(result.Converged);
            Assert.Throws<SolverException>(() => result.EnsureConverged());
            result.Dispose();
        }
    }

    [Fact]
    public void A_step_size_that_blows_up_stops_as_diverged_and_says_to_lower_the_step()
    {
        using var ridge = new RidgeProblem(20, 5, 0.5, seed: 43);
        using var result = GradientDescent.Minimize(ridge.Gradient, ones(5, dtype: ScalarType.Float64), 1e6);
        Assert.False(result.Converged);
        Assert.True(double.IsNaN(result.Residual));
        Assert.True(isfinite(result.Solution).all().ToBoolean());
        var e = Assert.Throws<SolverException>(() => result.EnsureConverged());
        Assert.Contains("diverged", e.Message);
        Assert.Contains("lower the step size", e.Message);
    }

    [Fact]
    public void Progress_is_reported_once_per_iteration()
    {
        using var ridge = new RidgeProblem(20, 5, 0.5, seed: 44);
        var progress = new RecordingProgress();
        using var result = GradientDescent.Minimize(ridge.Gradient, ridge.Initial(), ridge.StepSize, new SolverOptions { MaxIterations = 100_000, Progress = progress }).EnsureConverged();
        Assert.Equal(result.Iterations, progress.Reports.Count);
        Assert.Equal(Enumerable.Range(1, result.Iterations), progress.Reports.Select(r => r.Iteration));
        Assert.Equal(result.Residual, progress.Reports[^1].Residual);

        var lbfgsProgress = new RecordingProgress();
        using var lbfgs = Lbfgs.Minimize(ridge.ValueAndGradient, ridge.Initial(), new SolverOptions { Progress = lbfgsProgress }).EnsureConverged();
        Assert.Equal(lbfgs.Iterations, lbfgsProgress.Reports.Count);
    }

    [Fact]
    public void A_cancelled_token_stops_every_solver()
    {
        using var ridge = new RidgeProblem(20, 5, 0.5, seed: 45);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var options = new SolverOptions { CancellationToken = cancelled.Token };
        Tensor Step(Tensor w) => w - ridge.StepSize * ridge.Gradient(w);
        Assert.ThrowsAny<OperationCanceledException>(() => GradientDescent.Minimize(ridge.Gradient, ridge.Initial(), ridge.StepSize, options));
        Assert.ThrowsAny<OperationCanceledException>(() => ProximalGradient.Minimize(ridge.Gradient, (v, _) => v, ridge.Initial(), ridge.StepSize, options));
        Assert.ThrowsAny<OperationCanceledException>(() => Lbfgs.Minimize(ridge.ValueAndGradient, ridge.Initial(), options));
        Assert.ThrowsAny<OperationCanceledException>(() => Newton.Minimize(ridge.Gradient, _ => ridge.Hessian, ridge.Initial(), options));
        Assert.ThrowsAny<OperationCanceledException>(() => FixedPointIteration.Run(Step, ridge.Initial(), options));
        Assert.ThrowsAny<OperationCanceledException>(() => Anderson.Run(Step, ridge.Initial(), options));
        Assert.ThrowsAny<OperationCanceledException>(() => Bisection.FindRoot(x => x - 0.3, 0, 1, options));
    }

    [Fact]
    public void Bad_arguments_throw_with_the_value_and_a_remedy()
    {
        var x0 = zeros(3, dtype: ScalarType.Float64);
        Func<Tensor, Tensor> identity = v => v;

        Assert.Throws<ArgumentNullException>(() => GradientDescent.Minimize(null!, x0, 0.1));
        Assert.Throws<ArgumentNullException>(() => GradientDescent.Minimize(identity, null!, 0.1));
        Assert.Throws<ArgumentNullException>(() => ProximalGradient.Minimize(identity, null!, x0, 0.1));
        Assert.Throws<ArgumentNullException>(() => ProjectedGradient.Minimize(identity, null!, x0, 0.1));
        Assert.Throws<ArgumentNullException>(() => Lbfgs.Minimize(null!, x0));
        Assert.Throws<ArgumentNullException>(() => Newton.Minimize(identity, null!, x0));
        Assert.Throws<ArgumentNullException>(() => Newton.FindRoot(null!, identity, x0));
        Assert.Throws<ArgumentNullException>(() => FixedPointIteration.Run(null!, x0));
        Assert.Throws<ArgumentNullException>(() => Anderson.Run(identity, null!));
        Assert.Throws<ArgumentNullException>(() => Bisection.FindRoot((Func<double, double>)null!, 0, 1));

        foreach (var step in new[] { 0.0, -1.0, double.NaN })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => GradientDescent.Minimize(identity, x0, step));
            Assert.Equal("stepSize", e.ParamName);
            Assert.Contains("1/L", e.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => ProximalGradient.Minimize(identity, (v, _) => v, x0, step));
            Assert.Throws<ArgumentOutOfRangeException>(() => ProjectedGradient.Minimize(identity, identity, x0, step));
        }

        var tolerance = Assert.Throws<ArgumentOutOfRangeException>(() => FixedPointIteration.Run(identity, x0, new SolverOptions { Tolerance = 0 }));
        Assert.Equal("Tolerance", tolerance.ParamName);
        Assert.Equal(0.0, tolerance.ActualValue);
        var iterations = Assert.Throws<ArgumentOutOfRangeException>(() => Bisection.FindRoot(x => x, -1, 1, new SolverOptions { MaxIterations = 0 }));
        Assert.Equal("MaxIterations", iterations.ParamName);
        Assert.Contains("at least 1", iterations.Message);

        Assert.Equal("memory", Assert.Throws<ArgumentOutOfRangeException>(() => Lbfgs.Minimize(v => (0.0, v), x0, memory: 0)).ParamName);
        Assert.Equal("memory", Assert.Throws<ArgumentOutOfRangeException>(() => Anderson.Run(identity, x0, memory: 0)).ParamName);
        Assert.Equal("mixing", Assert.Throws<ArgumentOutOfRangeException>(() => Anderson.Run(identity, x0, mixing: 0)).ParamName);
        Assert.Throws<ArgumentException>(() => Bisection.FindRoot(x => x, 1, -1));
    }

    [Fact]
    public void A_singular_Jacobian_is_reported_with_a_remedy()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            Newton.FindRoot(v => v + 1, _ => zeros(2, 2, dtype: ScalarType.Float64), zeros(2, dtype: ScalarType.Float64)));
        Assert.Contains("singular", e.Message);
    }

    [Fact]
    public void Long_runs_hold_no_more_tensors_than_short_ones()
    {
        using var ridge = new RidgeProblem(20, 5, 0.5, seed: 46);
        Tensor Step(Tensor w) => w - 0.01 * ridge.StepSize * ridge.Gradient(w);
        long LiveAfter(int iterations, Func<SolverOptions, SolverResult> solve)
        {
            var before = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
            using (var result = solve(new SolverOptions { MaxIterations = iterations })) Assert.False(result.Converged);
            return DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount - before;
        }

        var solvers = new Func<SolverOptions, SolverResult>[]
        {
            o => GradientDescent.Minimize(ridge.Gradient, ridge.Initial(), 0.01 * ridge.StepSize, o),
            o => ProximalGradient.Minimize(ridge.Gradient, (v, _) => v, ridge.Initial(), 0.01 * ridge.StepSize, o),
            o => ProjectedGradient.Minimize(ridge.Gradient, v => v, ridge.Initial(), 0.01 * ridge.StepSize, o),
            // Past rounding level their line searches stall, so both run unconverged as long as they may.
            o => Lbfgs.Minimize(ridge.ValueAndGradient, ridge.Initial(), o with { Tolerance = 1e-300 }, memory: 3),
            o => Newton.Minimize(ridge.Gradient, _ => ridge.Hessian, ridge.Initial(), o with { Tolerance = 1e-300 }),
            o => FixedPointIteration.Run(Step, ridge.Initial(), o),
            o => Anderson.Run(Step, ridge.Initial(), o, memory: 3, ridge: 1e-2),
            o => Bisection.FindRoot(x => x.pow(3) - 2, zeros(4, dtype: ScalarType.Float64), full(4, 2.0, dtype: ScalarType.Float64), o with { Tolerance = 1e-300 }),
        };
        foreach (var solve in solvers)
            Assert.Equal(LiveAfter(3, solve), LiveAfter(40, solve));
    }

    [Fact]
    public void A_callback_returning_the_wrong_shape_is_reported()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            GradientDescent.Minimize(v => zeros(4, dtype: ScalarType.Float64), zeros(3, dtype: ScalarType.Float64), 0.1));
        Assert.Contains("[4]", e.Message);
        Assert.Contains("[3]", e.Message);
    }

    [Fact]
    public void The_initial_point_is_left_untouched_and_the_solution_is_a_new_tensor()
    {
        var x0 = ones(3, dtype: ScalarType.Float64);
        using var result = FixedPointIteration.Run(v => 0.5 * v, x0);
        Assert.Equal(new[] { 1.0, 1.0, 1.0 }, x0.data<double>().ToArray());
        Assert.False(ReferenceEquals(x0, result.Solution));
        Assert.True(result.Solution.abs().max().ToDouble() <= 1e-9);
    }
}
