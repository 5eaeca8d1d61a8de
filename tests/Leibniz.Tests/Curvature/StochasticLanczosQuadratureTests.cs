using Leibniz.Curvature;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Curvature;

public sealed class StochasticLanczosQuadratureTests
{
    /// <summary>150 eigenvalues near 0, 40 near 5, 10 near 20: a bulk and two groups of outliers.</summary>
    static readonly double[] Clustered = TestSpectra.Uniform(150, -0.1, 0.1, seed: 1)
        .Concat(TestSpectra.Uniform(40, 4.8, 5.2, seed: 2))
        .Concat(TestSpectra.Uniform(10, 19.5, 20.5, seed: 3))
        .ToArray();

    [Fact]
    public void The_weights_sum_to_one_and_the_smoothed_density_integrates_to_one()
    {
        using var matrix = TestSpectra.Conjugated(Clustered, seed: 4);

        var density = StochasticLanczosQuadrature.Density(SymmetricOperator.FromMatrix(matrix), new SpectralDensityOptions { Runs = 5, Steps = 40 });

        Assert.Equal(1.0, density.Weights.Sum(), 12);
        Assert.Equal(5 * 40, density.Nodes.Count);
        foreach (var sigma in new[] { 0.05, 0.5 })
        {
            // Trapezoid rule over the nodes' range widened by 8σ, on a grid of σ/20: the Gaussians' tails beyond are below 1e-15.
            var lower = density.Minimum - 8 * sigma;
            var upper = density.Maximum + 8 * sigma;
            var points = (int)Math.Ceiling((upper - lower) / (sigma / 20)) + 1;
            var h = (upper - lower) / (points - 1);
            var grid = Enumerable.Range(0, points).Select(i => lower + i * h).ToArray();
            var values = density.Evaluate(grid, sigma);
            var integral = h * (values.Sum() - (values[0] + values[^1]) / 2);
            Assert.Equal(1.0, integral, 1e-9);
        }
    }

    [Fact]
    public void The_mass_near_each_group_of_eigenvalues_is_the_fraction_of_eigenvalues_there()
    {
        using var matrix = TestSpectra.Conjugated(Clustered, seed: 5);

        var density = StochasticLanczosQuadrature.Density(SymmetricOperator.FromMatrix(matrix), new SpectralDensityOptions { Runs = 20, Steps = 40 });

        // Each run's mass on a group of k eigenvalues is ‖P v‖² with mean k/n and a standard deviation
        // of about √(2k/n²)·(1 − k/n) ≤ 0.045; twenty runs bring it under 0.01, so 0.04 is a 4σ margin.
        Assert.Equal(0.75, density.Mass(-0.5, 0.5), 0.04);
        Assert.Equal(0.20, density.Mass(4.5, 5.5), 0.04);
        Assert.Equal(0.05, density.Mass(19, 21), 0.04);
        Assert.Equal(1.0, density.Mass(-0.5, 0.5) + density.Mass(4.5, 5.5) + density.Mass(19, 21), 1e-6);
        // Ritz values interlace: every node lies within the spectrum, and the isolated top converges first.
        Assert.InRange(density.Minimum, Clustered.Min() - 1e-12, Clustered.Max());
        Assert.InRange(density.Maximum, Clustered.Max() - 1e-6, Clustered.Max() + 1e-12);
    }

    [Fact]
    public void A_run_as_long_as_the_dimension_puts_its_nodes_on_the_exact_eigenvalues()
    {
        var spectrum = TestSpectra.Uniform(30, -4, 4, seed: 6);
        using var matrix = TestSpectra.Conjugated(spectrum, seed: 7);

        var density = StochasticLanczosQuadrature.Density(SymmetricOperator.FromMatrix(matrix), new SpectralDensityOptions { Runs = 2, Steps = 100 });

        Assert.Equal(new[] { 30, 30 }, density.StepsPerRun);
        Assert.All(density.Nodes, node => Assert.True(spectrum.Min(lambda => Math.Abs(lambda - node)) < 1e-10, $"node {node} is not an eigenvalue"));
    }

    [Fact]
    public void A_run_stops_when_its_krylov_space_is_invariant_with_exact_nodes_and_masses()
    {
        // Three distinct eigenvalues: every start vector's Krylov space has dimension 3.
        var spectrum = Enumerable.Repeat(-1.0, 10).Concat(Enumerable.Repeat(2.0, 30)).Concat(Enumerable.Repeat(7.0, 20)).ToArray();
        using var matrix = TestSpectra.Diagonal(spectrum);

        var density = StochasticLanczosQuadrature.Density(SymmetricOperator.FromMatrix(matrix), new SpectralDensityOptions { Runs = 4, Steps = 20 });

        Assert.Equal(new[] { 3, 3, 3, 3 }, density.StepsPerRun);
        Assert.All(density.Nodes, node => Assert.Contains(Math.Round(node, 9), new[] { -1.0, 2, 7 }));
        // A ±1/√n start vector has c_i² = 1/n exactly in the standard basis, which is the eigenbasis here.
        Assert.Equal(10 / 60.0, density.Mass(-1.1, -0.9), 12);
        Assert.Equal(30 / 60.0, density.Mass(1.9, 2.1), 12);
        Assert.Equal(20 / 60.0, density.Mass(6.9, 7.1), 12);
    }

    [Fact]
    public void Each_run_s_trace_is_the_hutchinson_sample_of_its_start_vector()
    {
        using var matrix = TestSpectra.Conjugated(Clustered, seed: 8);
        var op = SymmetricOperator.FromMatrix(matrix);

        var density = StochasticLanczosQuadrature.Density(op, new SpectralDensityOptions { Runs = 6, Steps = 30, Seed = 9 });
        var hutchinson = Hutchinson.Trace(op, new HutchinsonOptions { Probes = 6, Seed = 9 });

        // n Σ τ_k² θ_k = n e₁ᵀ T e₁ = n vᵀAv = zᵀAz for v = z/√n: the same probes, drawn from the same seed.
        for (var i = 0; i < 6; i++)
            Assert.Equal(hutchinson.Samples[i], density.Trace.Samples[i], 1e-9 * Math.Abs(hutchinson.Samples[i]));
        Assert.Equal(hutchinson.StandardError, density.Trace.StandardError, 1e-9);
    }

    [Fact]
    public void The_histogram_of_the_nodes_sums_to_one_when_its_edges_cover_them()
    {
        using var matrix = TestSpectra.Conjugated(Clustered, seed: 10);
        var density = StochasticLanczosQuadrature.Density(SymmetricOperator.FromMatrix(matrix), new SpectralDensityOptions { Runs = 3, Steps = 25 });

        var edges = Enumerable.Range(0, 46).Select(i => -1 + 0.5 * i).ToArray();
        var histogram = density.Histogram(edges);

        Assert.Equal(45, histogram.Length);
        Assert.Equal(1.0, histogram.Sum(), 12);
        Assert.Equal(density.Mass(0, 0.5 - 1e-12), histogram[2], 12);
        Assert.Equal(density.Mass(19.5, 20 - 1e-12), histogram[41], 12);
    }

    [Fact]
    public void The_same_seed_gives_the_same_density()
    {
        using var matrix = TestSpectra.Conjugated(Clustered, seed: 11);
        var op = SymmetricOperator.FromMatrix(matrix);
        var options = new SpectralDensityOptions { Runs = 3, Steps = 20, Seed = 42 };

        var first = StochasticLanczosQuadrature.Density(op, options);
        var again = StochasticLanczosQuadrature.Density(op, options);

        Assert.Equal(first.Nodes, again.Nodes);
        Assert.Equal(first.Weights, again.Weights);
    }

    [Fact]
    public void Progress_is_reported_per_step_and_cancellation_stops_the_estimate()
    {
        using var matrix = TestSpectra.Conjugated(Clustered, seed: 12);
        var reports = new List<SpectralDensityProgress>();
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<SpectralDensityProgress>(p =>
        {
            reports.Add(p);
            if (p is { Run: 2, Step: 3 }) cancellation.Cancel();
        });

        Assert.Throws<OperationCanceledException>(() =>
            StochasticLanczosQuadrature.Density(SymmetricOperator.FromMatrix(matrix), new SpectralDensityOptions { Runs = 4, Steps = 5 }, progress, cancellation.Token));
        Assert.Equal(8, reports.Count);
        Assert.Equal(new SpectralDensityProgress(1, 4, 5, 5), reports[4]);
    }

    [Fact]
    public void Invalid_arguments_are_rejected_with_the_value()
    {
        using var matrix = eye(5, dtype: ScalarType.Float64);
        var op = SymmetricOperator.FromMatrix(matrix);

        Assert.Equal("Runs", Assert.Throws<ArgumentOutOfRangeException>(() => StochasticLanczosQuadrature.Density(op, new SpectralDensityOptions { Runs = 0 })).ParamName);
        Assert.Equal("Steps", Assert.Throws<ArgumentOutOfRangeException>(() => StochasticLanczosQuadrature.Density(op, new SpectralDensityOptions { Steps = 0 })).ParamName);

        var density = StochasticLanczosQuadrature.Density(op, new SpectralDensityOptions { Runs = 1, Steps = 3 });
        Assert.Contains("not 0", Assert.Throws<ArgumentOutOfRangeException>(() => density.Evaluate(0.0, 0)).Message);
        Assert.Contains("edge 2", Assert.Throws<ArgumentException>(() => density.Histogram(new[] { 0.0, 1, 1 })).Message);
        Assert.Throws<ArgumentException>(() => density.Mass(1, 0));
    }
}
