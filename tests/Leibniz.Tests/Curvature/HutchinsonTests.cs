using Leibniz.Curvature;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Curvature;

public sealed class HutchinsonTests
{
    [Fact]
    public void A_diagonal_operator_is_estimated_exactly_with_zero_standard_error()
    {
        var spectrum = TestSpectra.Uniform(50, -3, 5, seed: 1);
        using var matrix = TestSpectra.Diagonal(spectrum);

        var estimate = Hutchinson.Trace(SymmetricOperator.FromMatrix(matrix), new HutchinsonOptions { Probes = 5 });

        // zᵀ D z = Σ d_i z_i² = Σ d_i for every ±1 vector z.
        Assert.Equal(spectrum.Sum(), estimate.Value, 12);
        Assert.Equal(0.0, estimate.StandardError, 12);
        Assert.All(estimate.Samples, s => Assert.Equal(spectrum.Sum(), s, 12));
    }

    [Fact]
    public void Over_many_seeds_the_exact_trace_lies_within_the_reported_interval_about_95_percent_of_the_time()
    {
        var spectrum = TestSpectra.Uniform(60, -2, 6, seed: 2);
        using var matrix = TestSpectra.Conjugated(spectrum, seed: 3);
        var op = SymmetricOperator.FromMatrix(matrix);
        var trace = spectrum.Sum();

        const int seeds = 400;
        var covered = Enumerable.Range(0, seeds).Count(seed =>
        {
            var (lower, upper) = Hutchinson.Trace(op, new HutchinsonOptions { Probes = 40, Seed = seed }).ConfidenceInterval(1.96);
            return lower <= trace && trace <= upper;
        });

        // With 39 degrees of freedom ±1.96 standard errors cover about 94%; over 400 fixed seeds the
        // binomial spread is ±1.2%, so [0.89, 0.985] is a ±4σ band: the test fails only if the
        // standard error is wrong, and the fixed seeds make it repeatable.
        var coverage = covered / (double)seeds;
        Assert.InRange(coverage, 0.89, 0.985);
    }

    [Fact]
    public void The_reported_standard_error_matches_the_estimator_s_known_variance()
    {
        var spectrum = TestSpectra.Uniform(40, 0, 4, seed: 4);
        using var matrix = TestSpectra.Conjugated(spectrum, seed: 5);
        var op = SymmetricOperator.FromMatrix(matrix);
        const int probes = 30;

        // Var(zᵀAz) = 2 Σ_{i≠j} A_ij² = 2 (‖A‖_F² − Σ A_ii²) for Rademacher z.
        var variance = 2 * (matrix.square().sum().ToDouble() - matrix.diagonal().square().sum().ToDouble());
        var meanSquaredError = Enumerable.Range(0, 300)
            .Select(seed => Hutchinson.Trace(op, new HutchinsonOptions { Probes = probes, Seed = seed }).StandardError)
            .Average(se => se * se);

        // The sample variance is unbiased; over 300 seeds its mean is within a few percent.
        Assert.InRange(meanSquaredError / (variance / probes), 0.9, 1.1);
    }

    [Fact]
    public void The_same_seed_gives_the_same_samples()
    {
        using var matrix = TestSpectra.Conjugated(TestSpectra.Uniform(30, -1, 1, seed: 6), seed: 7);
        var op = SymmetricOperator.FromMatrix(matrix);

        var first = Hutchinson.Trace(op, new HutchinsonOptions { Probes = 10, Seed = 3 });
        var again = Hutchinson.Trace(op, new HutchinsonOptions { Probes = 10, Seed = 3 });
        var other = Hutchinson.Trace(op, new HutchinsonOptions { Probes = 10, Seed = 4 });

        Assert.Equal(first.Samples, again.Samples);
        Assert.NotEqual(first.Samples, other.Samples);
    }

    [Fact]
    public void A_float32_operator_gives_the_trace_to_float32_accuracy()
    {
        var spectrum = TestSpectra.Uniform(50, 1, 3, seed: 8);
        using var matrix = TestSpectra.Conjugated(spectrum, seed: 9);
        using var matrix32 = matrix.to(ScalarType.Float32);
        var options = new HutchinsonOptions { Probes = 20, Seed = 1 };

        var exact = Hutchinson.Trace(SymmetricOperator.FromMatrix(matrix), options);
        var single = Hutchinson.Trace(SymmetricOperator.FromMatrix(matrix32), options);

        // The same probes: the samples differ only by float32 rounding.
        for (var i = 0; i < options.Probes; i++)
            Assert.Equal(exact.Samples[i], single.Samples[i], 1e-4 * Math.Abs(exact.Samples[i]) + 1e-4);
    }

    [Fact]
    public void Progress_reports_the_running_estimate_and_cancellation_stops_it()
    {
        using var matrix = TestSpectra.Conjugated(TestSpectra.Uniform(20, 0, 1, seed: 10), seed: 11);
        var reports = new List<TraceProgress>();
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<TraceProgress>(p =>
        {
            reports.Add(p);
            if (p.Probe == 4) cancellation.Cancel();
        });

        Assert.Throws<OperationCanceledException>(() =>
            Hutchinson.Trace(SymmetricOperator.FromMatrix(matrix), new HutchinsonOptions { Probes = 10 }, progress, cancellation.Token));
        Assert.Equal(new[] { 1, 2, 3, 4 }, reports.Select(r => r.Probe));
        Assert.True(double.IsNaN(reports[0].StandardError));
        Assert.All(reports.Skip(1), r => Assert.True(r.StandardError >= 0));
    }

    [Fact]
    public void Fewer_than_two_probes_are_rejected()
    {
        using var matrix = eye(3, dtype: ScalarType.Float64);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Hutchinson.Trace(SymmetricOperator.FromMatrix(matrix), new HutchinsonOptions { Probes = 1 }));
        Assert.Equal("Probes", error.ParamName);
        Assert.Contains("not 1", error.Message);
    }
}
