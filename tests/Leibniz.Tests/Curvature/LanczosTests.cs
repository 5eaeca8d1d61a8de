using Leibniz.Curvature;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Curvature;

public sealed class LanczosTests
{
    /// <summary>The eigenvalues Lanczos should return: the exact spectrum ranked from the requested end.</summary>
    static double[] Expected(double[] exact, SpectrumEnd which, int count) => which switch
    {
        SpectrumEnd.Largest => exact.OrderByDescending(x => x).Take(count).ToArray(),
        SpectrumEnd.Smallest => exact.OrderBy(x => x).Take(count).ToArray(),
        _ => exact.OrderByDescending(Math.Abs).ThenByDescending(x => x).Take(count).ToArray(),
    };

    static void AssertMatches(double[] expected, LanczosResult result, double tolerance)
    {
        Assert.True(result.Converged, result.ToString());
        Assert.Equal(expected.Length, result.Eigenvalues.Count);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(
                Math.Abs(expected[i] - result.Eigenvalues[i]) <= tolerance,
                $"eigenvalue {i + 1}: expected {expected[i]:R}, got {result.Eigenvalues[i]:R} (difference {Math.Abs(expected[i] - result.Eigenvalues[i]):E2}, tolerance {tolerance:E2})\n{result}");
    }

    [Fact]
    public void Top_eigenvalues_of_a_diagonal_matrix_match_eigvalsh()
    {
        var spectrum = TestSpectra.Uniform(80, -3, 7, seed: 1).Concat(new[] { 12.0, 9.5, 8.25 }).ToArray();
        using var matrix = TestSpectra.Diagonal(spectrum);
        var exact = TestSpectra.Exact(matrix);

        using var result = Lanczos.Eigenpairs(SymmetricOperator.FromMatrix(matrix), new LanczosOptions { Count = 5 });

        AssertMatches(Expected(exact, SpectrumEnd.Largest, 5), result, 1e-9 * TestSpectra.Norm(exact));
        Assert.True(result.Iterations < spectrum.Length, $"converged only by exhausting the space ({result.Iterations} steps)");
    }

    [Fact]
    public void Well_separated_outliers_above_a_bulk_are_found_to_rounding_error_long_before_the_space_is_exhausted()
    {
        var spectrum = TestSpectra.Uniform(296, -1, 1, seed: 2).Concat(new[] { 100.0, 50, 25, 12 }).ToArray();
        using var matrix = TestSpectra.Conjugated(spectrum, seed: 3);
        var exact = TestSpectra.Exact(matrix);

        using var result = Lanczos.Eigenpairs(SymmetricOperator.FromMatrix(matrix), new LanczosOptions { Count = 4 });

        AssertMatches(Expected(exact, SpectrumEnd.Largest, 4), result, 1e-10 * TestSpectra.Norm(exact));
        Assert.True(result.Iterations <= 60, $"took {result.Iterations} steps for four outliers");
    }

    [Fact]
    public void A_cluster_of_close_eigenvalues_is_resolved_member_by_member()
    {
        var cluster = new[] { 10.0, 9.99, 9.98, 9.97 };
        var spectrum = TestSpectra.Uniform(246, 0, 5, seed: 4).Concat(cluster).ToArray();
        using var matrix = TestSpectra.Conjugated(spectrum, seed: 5);
        var exact = TestSpectra.Exact(matrix);

        using var result = Lanczos.Eigenpairs(SymmetricOperator.FromMatrix(matrix), new LanczosOptions { Count = 4, MaxIterations = 200 });

        AssertMatches(Expected(exact, SpectrumEnd.Largest, 4), result, 1e-9 * TestSpectra.Norm(exact));
        Assert.True(result.Iterations < spectrum.Length);
    }

    [Theory]
    [InlineData(SpectrumEnd.Largest, 2)]
    [InlineData(SpectrumEnd.Smallest, 2)]
    [InlineData(SpectrumEnd.LargestMagnitude, 4)]
    public void Each_end_of_an_indefinite_spectrum_matches_eigvalsh(SpectrumEnd which, int count)
    {
        var spectrum = TestSpectra.Uniform(196, -5, 5, seed: 6).Concat(new[] { -50.0, -30, 20, 10 }).ToArray();
        using var matrix = TestSpectra.Conjugated(spectrum, seed: 7);
        var exact = TestSpectra.Exact(matrix);

        using var result = Lanczos.Eigenpairs(SymmetricOperator.FromMatrix(matrix), new LanczosOptions { Count = count, Which = which });

        var expected = Expected(exact, which, count);
        AssertMatches(expected, result, 1e-9 * TestSpectra.Norm(exact));
        if (which == SpectrumEnd.LargestMagnitude)
            Assert.Equal(new[] { -50.0, -30, 20, 10 }, result.Eigenvalues.Select(x => Math.Round(x, 6)));
    }

    [Fact]
    public void A_float32_operator_converges_to_its_own_tolerance()
    {
        var spectrum = TestSpectra.Uniform(196, -1, 2, seed: 8).Concat(new[] { 40.0, 30, 20, 15 }).ToArray();
        using var matrix64 = TestSpectra.Conjugated(spectrum, seed: 9);
        using var matrix = matrix64.to(ScalarType.Float32);
        var exact = TestSpectra.Exact(matrix64);

        using var result = Lanczos.Eigenpairs(SymmetricOperator.FromMatrix(matrix), new LanczosOptions { Count = 4 });

        Assert.Equal(1e-5, result.Tolerance);
        // The float32 matrix itself differs from the float64 one by ~ε₃₂‖A‖.
        AssertMatches(Expected(exact, SpectrumEnd.Largest, 4), result, 1e-5 * TestSpectra.Norm(exact));
    }

    [Fact]
    public void Eigenvectors_are_orthonormal_match_eigh_up_to_sign_and_have_measured_residuals()
    {
        var spectrum = TestSpectra.Uniform(147, -2, 2, seed: 10).Concat(new[] { 30.0, 20, 10 }).ToArray();
        using var matrix = TestSpectra.Conjugated(spectrum, seed: 11);
        var (values, vectors) = linalg.eigh(matrix);

        using var result = Lanczos.Eigenpairs(SymmetricOperator.FromMatrix(matrix), new LanczosOptions { Count = 3, ComputeEigenvectors = true });

        Assert.True(result.ResidualsMeasured);
        Assert.True(result.Converged, result.ToString());
        var v = result.Eigenvectors!;
        Assert.Equal(new long[] { 3, 150 }, v.shape);
        Assert.True(v.mm(v.t()).allclose(eye(3, dtype: ScalarType.Float64), atol: 1e-12), "the eigenvectors are not orthonormal");
        for (var i = 0; i < 3; i++)
        {
            var exactVector = vectors[.., 149 - i];
            Assert.Equal(1.0, v[i].dot(exactVector).abs().ToDouble(), 10);
            var residual = (matrix.mv(v[i]) - result.Eigenvalues[i] * v[i]).norm().ToDouble();
            Assert.Equal(residual, result.ResidualNorms[i], 12);
            Assert.True(residual <= result.ResidualBound);
        }
    }

    [Fact]
    public void A_repeated_eigenvalue_is_found_with_its_multiplicity_once_the_krylov_space_is_exhausted()
    {
        var spectrum = new[] { 3.0, 3, 3, 1, 1, 0.5, -1, -2 };
        using var matrix = TestSpectra.Conjugated(spectrum, seed: 12);

        using var result = Lanczos.Eigenpairs(SymmetricOperator.FromMatrix(matrix), new LanczosOptions { Count = 5 });

        // A start vector meets the 3-dimensional eigenspace in one direction; the copies appear only after
        // the 5-dimensional Krylov space is exhausted and the run goes on in its orthogonal complement.
        AssertMatches(new[] { 3.0, 3, 3, 1, 1 }, result, 1e-12 * 3);
        Assert.Equal(spectrum.Length, result.Iterations);
    }

    [Fact]
    public void The_edge_of_a_dense_bulk_converges_slowly_and_the_result_says_so()
    {
        var spectrum = TestSpectra.Uniform(196, -5, 5, seed: 6).Concat(new[] { -50.0, -30, 20, 10 }).ToArray();
        using var matrix = TestSpectra.Conjugated(spectrum, seed: 7);
        var exact = TestSpectra.Exact(matrix);
        var op = SymmetricOperator.FromMatrix(matrix);

        using var short_ = Lanczos.Eigenpairs(op, new LanczosOptions { Count = 3, Which = SpectrumEnd.Smallest, MaxIterations = 40 });
        using var long_ = Lanczos.Eigenpairs(op, new LanczosOptions { Count = 3, Which = SpectrumEnd.Smallest, MaxIterations = 200 });

        // The two outliers converge; the third, the bulk's lower edge, needs many more steps.
        Assert.True(short_.IsConverged(0) && short_.IsConverged(1));
        Assert.False(short_.IsConverged(2));
        AssertMatches(exact.Take(3).ToArray(), long_, 1e-9 * 50);
    }

    [Fact]
    public void A_run_stopped_early_says_it_did_not_converge_and_its_residuals_are_true()
    {
        // A dense spectrum with no gap at the top: twelve steps cannot resolve it.
        var spectrum = TestSpectra.Uniform(400, 0, 1, seed: 13);
        using var matrix = TestSpectra.Conjugated(spectrum, seed: 14);
        var exact = TestSpectra.Exact(matrix);

        using var result = Lanczos.Eigenpairs(
            SymmetricOperator.FromMatrix(matrix),
            new LanczosOptions { Count = 3, MaxIterations = 12, ComputeEigenvectors = true });

        Assert.False(result.Converged);
        Assert.Equal(12, result.Iterations);
        Assert.Contains(Enumerable.Range(0, 3), i => !result.IsConverged(i));
        // Kahan's bound: an eigenvalue lies within the residual of every Ritz value — the report is honest.
        for (var i = 0; i < 3; i++)
        {
            var nearest = exact.Min(lambda => Math.Abs(lambda - result.Eigenvalues[i]));
            Assert.True(nearest <= result.ResidualNorms[i] * (1 + 1e-9), $"Ritz value {result.Eigenvalues[i]} is {nearest:E2} from the spectrum, its residual only {result.ResidualNorms[i]:E2}");
        }

        var error = Assert.Throws<ConvergenceException>(() => result.EnsureConverged());
        Assert.Contains("after 12 steps", error.Message);
        Assert.Contains("Raise MaxIterations", error.Message);
    }

    [Fact]
    public void The_recurrence_estimate_of_the_residual_agrees_with_the_measured_one()
    {
        var spectrum = TestSpectra.Uniform(200, 0, 1, seed: 15);
        using var matrix = TestSpectra.Conjugated(spectrum, seed: 16);
        var options = new LanczosOptions { Count = 3, MaxIterations = 15 };

        using var estimated = Lanczos.Eigenpairs(SymmetricOperator.FromMatrix(matrix), options);
        using var measured = Lanczos.Eigenpairs(SymmetricOperator.FromMatrix(matrix), options with { ComputeEigenvectors = true });

        Assert.False(estimated.ResidualsMeasured);
        Assert.Equal(estimated.Eigenvalues, measured.Eigenvalues);
        for (var i = 0; i < 3; i++)
            Assert.Equal(measured.ResidualNorms[i], estimated.ResidualNorms[i], 1e-10);
    }

    [Fact]
    public void The_same_seed_gives_the_same_result_and_another_seed_the_same_eigenvalues()
    {
        var spectrum = TestSpectra.Uniform(97, -1, 1, seed: 17).Concat(new[] { 9.0, 7, 5 }).ToArray();
        using var matrix = TestSpectra.Conjugated(spectrum, seed: 18);
        var op = SymmetricOperator.FromMatrix(matrix);

        using var first = Lanczos.Eigenpairs(op, new LanczosOptions { Count = 3, Seed = 5 });
        using var again = Lanczos.Eigenpairs(op, new LanczosOptions { Count = 3, Seed = 5 });
        using var other = Lanczos.Eigenpairs(op, new LanczosOptions { Count = 3, Seed = 6 });

        Assert.Equal(first.Eigenvalues, again.Eigenvalues);
        Assert.Equal(first.ResidualNorms, again.ResidualNorms);
        Assert.Equal(first.Iterations, again.Iterations);
        AssertMatches(first.Eigenvalues.ToArray(), other, 1e-9 * 9);
    }

    [Fact]
    public void Progress_is_reported_each_step_and_cancellation_stops_the_run()
    {
        var spectrum = TestSpectra.Uniform(300, 0, 1, seed: 19);
        using var matrix = TestSpectra.Conjugated(spectrum, seed: 20);
        using var cancellation = new CancellationTokenSource();
        var steps = new List<int>();
        var progress = new SynchronousProgress<LanczosProgress>(p =>
        {
            steps.Add(p.Step);
            if (p.Step == 7) cancellation.Cancel();
        });

        Assert.Throws<OperationCanceledException>(() =>
            Lanczos.Eigenpairs(SymmetricOperator.FromMatrix(matrix), new LanczosOptions { Count = 2 }, progress, cancellation.Token));
        Assert.Equal(Enumerable.Range(1, 7), steps);
    }

    [Fact]
    public void A_zero_operator_has_converged_zero_eigenvalues()
    {
        using var matrix = zeros(20, 20, dtype: ScalarType.Float64);

        using var result = Lanczos.Eigenpairs(SymmetricOperator.FromMatrix(matrix), new LanczosOptions { Count = 2 });

        Assert.True(result.Converged);
        Assert.Equal(new[] { 0.0, 0.0 }, result.Eigenvalues);
    }

    [Fact]
    public void Options_out_of_range_are_rejected_with_the_value_and_the_remedy()
    {
        using var matrix = eye(10, dtype: ScalarType.Float64);
        var op = SymmetricOperator.FromMatrix(matrix);

        var count = Assert.Throws<ArgumentOutOfRangeException>(() => Lanczos.Eigenpairs(op, new LanczosOptions { Count = 11 }));
        Assert.Equal("Count", count.ParamName);
        Assert.Contains("dimension 10, not 11", count.Message);

        var steps = Assert.Throws<ArgumentOutOfRangeException>(() => Lanczos.Eigenpairs(op, new LanczosOptions { Count = 4, MaxIterations = 3 }));
        Assert.Equal("MaxIterations", steps.ParamName);

        var tolerance = Assert.Throws<ArgumentOutOfRangeException>(() => Lanczos.Eigenpairs(op, new LanczosOptions { Tolerance = 1e-20 }));
        Assert.Equal("Tolerance", tolerance.ParamName);
        Assert.Contains("rounding errors", tolerance.Message);

        using var matrix32 = eye(10, dtype: ScalarType.Float32);
        var float32 = Assert.Throws<ArgumentOutOfRangeException>(() => Lanczos.Eigenpairs(SymmetricOperator.FromMatrix(matrix32), new LanczosOptions { Tolerance = 1e-9 }));
        Assert.Contains("float64 operator", float32.Message);
    }

    [Fact]
    public void A_product_that_breaks_the_contract_is_reported_not_used()
    {
        var wrongLength = new SymmetricOperator(10, v => cat(new[] { v, v[..1] }, dim: 0L));
        var error = Assert.Throws<InvalidOperationException>(() => Lanczos.Eigenpairs(wrongLength));
        Assert.Contains("shape [11]", error.Message);

        var wrongType = new SymmetricOperator(10, v => v.to(ScalarType.Float32));
        Assert.Contains("Float32", Assert.Throws<InvalidOperationException>(() => Lanczos.Eigenpairs(wrongType)).Message);

        var nan = new SymmetricOperator(10, v => v * double.NaN);
        Assert.Contains("not finite", Assert.Throws<InvalidOperationException>(() => Lanczos.Eigenpairs(nan)).Message);
    }

    [Fact]
    public void An_operator_returning_its_argument_is_not_corrupted_by_the_recurrence()
    {
        var identity = new SymmetricOperator(12, v => v);

        using var result = Lanczos.Eigenpairs(identity, new LanczosOptions { Count = 3, ComputeEigenvectors = true });

        Assert.True(result.Converged, result.ToString());
        Assert.All(result.Eigenvalues, x => Assert.Equal(1.0, x, 12));
        // Every step ends in an invariant subspace (A q = q exactly), so every step after the first is a restart.
        Assert.Equal(result.Iterations - 1, result.Restarts);
    }
}
