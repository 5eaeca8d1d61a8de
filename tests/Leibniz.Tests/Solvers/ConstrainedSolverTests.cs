using Leibniz.Solvers;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Solvers;

public sealed class ConstrainedSolverTests
{
    static Tensor SoftThreshold(Tensor v, double threshold) => v.sign() * (v.abs() - threshold).clamp_min(0);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Proximal_gradient_solves_the_lasso_to_its_KKT_conditions(bool accelerated)
    {
        using var data = new RidgeProblem(30, 10, 0.0, seed: 11);
        var x = data.X;
        var y = data.Y;
        var lambda = 0.3 * x.t().mv(y).abs().max().ToDouble();
        using var result = ProximalGradient.Minimize(
            w => x.t().mv(x.mv(w) - y),
            (v, eta) => SoftThreshold(v, lambda * eta),
            zeros(10, dtype: ScalarType.Float64),
            data.StepSize,
            new SolverOptions { MaxIterations = 100_000 },
            accelerated).EnsureConverged();

        var w = result.Solution.data<double>().ToArray();
        var correlation = x.t().mv(y - x.mv(result.Solution)).data<double>().ToArray();
        Assert.Contains(w, wi => wi == 0);
        Assert.Contains(w, wi => wi != 0);
        for (var i = 0; i < w.Length; i++)
        {
            if (w[i] == 0) Assert.True(Math.Abs(correlation[i]) <= lambda + 1e-7, $"off-support {i}: {correlation[i]} vs {lambda}");
            else Assert.True(Math.Abs(correlation[i] - lambda * Math.Sign(w[i])) <= 1e-7, $"support {i}: {correlation[i]} vs {lambda * Math.Sign(w[i])}");
        }
    }

    [Fact]
    public void Accelerated_proximal_gradient_needs_fewer_iterations_than_ISTA_to_moderate_accuracy_on_an_ill_conditioned_lasso()
    {
        // Columns scaled over two decades make the smooth part's curvature span about 10⁴, where ISTA's
        // linear rate is slow and FISTA's momentum pays even without restarts.
        using var data = new RidgeProblem(40, 10, 0.0, seed: 12);
        var x = data.X * pow(10.0, -2.0 * arange(10, dtype: ScalarType.Float64) / 9);
        var y = data.Y;
        var stepSize = 1.0 / linalg.eigvalsh(x.t().mm(x)).max().ToDouble();
        var lambda = 0.01 * x.t().mv(y).abs().max().ToDouble();
        // Without restarts FISTA's edge is at moderate accuracy: once the support is found ISTA's linear rate
        // catches up (here about 1600 against 6500 iterations at 1e-6, 4800 against 9500 at 1e-8).
        SolverResult Solve(bool accelerated) => ProximalGradient.Minimize(
            w => x.t().mv(x.mv(w) - y), (v, eta) => SoftThreshold(v, lambda * eta),
            zeros(10, dtype: ScalarType.Float64), stepSize, new SolverOptions { MaxIterations = 1_000_000, Tolerance = 1e-6 }, accelerated).EnsureConverged();
        using var fista = Solve(true);
        using var ista = Solve(false);
        Assert.True(fista.Iterations * 2 < ista.Iterations, $"FISTA {fista.Iterations}, ISTA {ista.Iterations}");
    }

    [Fact]
    public void Accelerated_proximal_gradient_reports_progress_once_per_iteration()
    {
        using var data = new RidgeProblem(30, 10, 0.0, seed: 13);
        var x = data.X;
        var y = data.Y;
        var lambda = 0.3 * x.t().mv(y).abs().max().ToDouble();
        var progress = new RecordingProgress();
        using var result = ProximalGradient.Minimize(
            w => x.t().mv(x.mv(w) - y), (v, eta) => SoftThreshold(v, lambda * eta),
            zeros(10, dtype: ScalarType.Float64), data.StepSize, new SolverOptions { MaxIterations = 100_000, Progress = progress }).EnsureConverged();
        Assert.Equal(Enumerable.Range(1, result.Iterations), progress.Reports.Select(r => r.Iteration));
        Assert.Equal(result.Residual, progress.Reports[^1].Residual);
    }

    [Fact]
    public void Projected_gradient_matches_the_clamped_solution_of_a_diagonal_box_QP()
    {
        // min ½ xᵀQx − bᵀx over [lo, hi] with Q diagonal separates: x* = clamp(b / q, lo, hi).
        var random = new Random(21);
        var q = Enumerable.Range(0, 12).Select(_ => 0.5 + 3 * random.NextDouble()).ToArray();
        var b = Enumerable.Range(0, 12).Select(_ => 6 * random.NextDouble() - 3).ToArray();
        var qt = tensor(q, ScalarType.Float64);
        var bt = tensor(b, ScalarType.Float64);
        const double lo = -0.5, hi = 0.7;
        using var result = ProjectedGradient.Minimize(
            x => qt * x - bt, x => x.clamp(lo, hi), zeros(12, dtype: ScalarType.Float64), 1.0 / q.Max()).EnsureConverged();
        var expected = (bt / qt).clamp(lo, hi);
        Assert.True((result.Solution - expected).abs().max().ToDouble() <= 1e-10);
        Assert.Contains(result.Solution.data<double>().ToArray(), v => v == lo || v == hi);
    }
}
