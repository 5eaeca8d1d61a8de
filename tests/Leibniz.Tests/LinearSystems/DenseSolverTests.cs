using Leibniz.LinearSystems;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.LinearSystems;

public sealed class DenseSolverTests
{
    /// <summary>U Vᵀ, n×n of rank r; V's columns span its row space.</summary>
    static (Tensor Matrix, Tensor RowSpace) RankDeficient(int n, int rank, int seed)
    {
        var u = TestSystems.Gaussian(n, rank, seed);
        var v = TestSystems.Gaussian(n, rank, seed + 1);
        return (u.matmul(v.mT), v);
    }

    [Fact]
    public void Least_squares_on_a_rank_deficient_consistent_system_gives_the_minimum_norm_solution()
    {
        using var scope = NewDisposeScope();
        var (a, rowSpace) = RankDeficient(8, 3, seed: 200);
        var b = a.matmul(TestSystems.Vector(8, seed: 202));

        var result = LinearSolvers.LeastSquares(TestSystems.Times(a), b);

        Assert.True(result.Converged, result.ToString());
        Assert.True(result.RelativeResidual <= 1e-10, result.ToString());
        Assert.True(TestSystems.RelativeError(result.Solution, linalg.pinv(a).matmul(b)) <= 1e-8, result.ToString());
        // Minimum norm ⇔ no component in the null space, i.e. x lies in the row space span(V).
        var projection = rowSpace.matmul(linalg.solve(rowSpace.mT.matmul(rowSpace), rowSpace.mT.matmul(result.Solution)));
        Assert.True(TestSystems.RelativeError(projection, result.Solution) <= 1e-10);
    }

    [Fact]
    public void Least_squares_on_an_inconsistent_system_gives_the_least_squares_solution_and_reports_the_plain_residual()
    {
        using var scope = NewDisposeScope();
        var (a, _) = RankDeficient(8, 3, seed: 210);
        var b = TestSystems.Vector(8, seed: 212);

        var result = LinearSolvers.LeastSquares(TestSystems.Times(a), b);

        Assert.True(result.Converged, result.ToString());
        Assert.NotNull(result.NormalResidual);
        Assert.True(result.NormalResidual <= 1e-10, result.ToString());
        Assert.True(result.RelativeResidual > 1e-3, result.ToString());
        Assert.True(TestSystems.RelativeError(result.Solution, linalg.pinv(a).matmul(b)) <= 1e-8, result.ToString());
        var normalEquations = a.mT.matmul(b.sub(a.matmul(result.Solution)));
        Assert.True(normalEquations.norm().ToDouble() <= 1e-10 * a.norm().ToDouble() * b.norm().ToDouble());
    }

    [Fact]
    public void Dense_Cholesky_on_an_indefinite_matrix_reports_a_breakdown()
    {
        using var scope = NewDisposeScope();
        var a = diag(tensor(new[] { 1.0, -2, 3 }, ScalarType.Float64));

        var result = LinearSolvers.DenseCholesky(TestSystems.Times(a), ones(3, dtype: ScalarType.Float64));

        Assert.False(result.Converged);
        Assert.Contains("not positive definite", Assert.Throws<LinearSolveException>(() => result.EnsureConverged()).Message);
    }

    [Fact]
    public void Dense_methods_count_one_product_per_unknown()
    {
        using var scope = NewDisposeScope();
        var a = TestSystems.NonSymmetric(6, seed: 220);

        var result = LinearSolvers.DenseLu(TestSystems.Times(a), TestSystems.Vector(6, seed: 221));

        Assert.Equal(6, result.Iterations);
    }

    [Fact]
    public void Materialize_recovers_the_matrix_of_a_matrix_vector_product()
    {
        using var scope = NewDisposeScope();
        var a = TestSystems.NonSymmetric(5, seed: 230);

        var matrix = LinearSolvers.Materialize(TestSystems.Times(a), zeros(5, dtype: ScalarType.Float64));

        Assert.Equal(new long[] { 5, 5 }, matrix.shape);
        Assert.Equal(ScalarType.Float64, matrix.dtype);
        Assert.Equal(0, matrix.sub(a).abs().max().ToDouble(), 14);
    }

    [Fact]
    public void Materialize_of_an_operator_on_matrices_is_the_Kronecker_matrix_in_row_major_order()
    {
        using var scope = NewDisposeScope();
        var left = TestSystems.Gaussian(3, 3, seed: 240);
        var right = TestSystems.Gaussian(4, 4, seed: 241);

        var matrix = LinearSolvers.Materialize(x => left.matmul(x).matmul(right), zeros(3, 4, dtype: ScalarType.Float64));

        // Row-major vec(A X B) = (A ⊗ Bᵀ) vec(X).
        var x = TestSystems.Gaussian(3, 4, seed: 242);
        var expected = left.matmul(x).matmul(right).flatten();
        Assert.True(TestSystems.RelativeError(matrix.matmul(x.flatten()), expected) <= 1e-14);
    }
}
