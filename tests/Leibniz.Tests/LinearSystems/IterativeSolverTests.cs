using System.Globalization;
using Leibniz.LinearSystems;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.LinearSystems;

public sealed class IterativeSolverTests
{
    static readonly LinearSolverKind[] AllKinds = Enum.GetValues<LinearSolverKind>();

    static readonly LinearSolverKind[] NonSymmetricKinds =
    {
        LinearSolverKind.NormalConjugateGradient, LinearSolverKind.Gmres, LinearSolverKind.BiCgStab,
        LinearSolverKind.DenseLu, LinearSolverKind.LeastSquares,
    };

    static readonly LinearSolverKind[] IterativeKinds =
    {
        LinearSolverKind.ConjugateGradient, LinearSolverKind.NormalConjugateGradient, LinearSolverKind.Gmres, LinearSolverKind.BiCgStab,
    };

    public static TheoryData<LinearSolverKind, int> SpdCases()
    {
        var data = new TheoryData<LinearSolverKind, int>();
        foreach (var kind in AllKinds)
            foreach (var n in new[] { 1, 5, 40 })
                data.Add(kind, n);
        return data;
    }

    public static TheoryData<LinearSolverKind, int> NonSymmetricCases()
    {
        var data = new TheoryData<LinearSolverKind, int>();
        foreach (var kind in NonSymmetricKinds)
            foreach (var n in new[] { 1, 5, 40 })
                data.Add(kind, n);
        return data;
    }

    public static TheoryData<LinearSolverKind> Iterative()
    {
        var data = new TheoryData<LinearSolverKind>();
        foreach (var kind in IterativeKinds) data.Add(kind);
        return data;
    }

    public static TheoryData<LinearSolverKind> All()
    {
        var data = new TheoryData<LinearSolverKind>();
        foreach (var kind in AllKinds) data.Add(kind);
        return data;
    }

    static LinearSolveResult SolveWith(LinearSolverKind kind, Tensor a, Tensor b, LinearSolveOptions? options = null, Tensor? initialGuess = null) =>
        LinearSolvers.Solve(kind, TestSystems.Times(a), b, options, applyTransposed: TestSystems.Times(a.mT), initialGuess: initialGuess);

    static void AssertSolves(LinearSolveResult result, Tensor expected, double residual = 1e-10, double error = 1e-8)
    {
        Assert.True(result.Converged, result.ToString());
        Assert.True(result.RelativeResidual <= residual, result.ToString());
        var relativeError = TestSystems.RelativeError(result.Solution, expected);
        Assert.True(relativeError <= error, $"relative error {relativeError:E2} > {error:E2}; {result}");
    }

    [Theory]
    [MemberData(nameof(SpdCases))]
    public void Every_method_solves_a_symmetric_positive_definite_system_like_torch_linalg_solve(LinearSolverKind kind, int n)
    {
        using var scope = NewDisposeScope();
        var a = TestSystems.SymmetricPositiveDefinite(n, seed: 10 + n);
        var b = TestSystems.Vector(n, seed: 20 + n);

        var result = SolveWith(kind, a, b);

        Assert.Equal(kind, result.Method);
        AssertSolves(result, linalg.solve(a, b));
    }

    [Theory]
    [MemberData(nameof(NonSymmetricCases))]
    public void Methods_for_non_symmetric_systems_solve_them_like_torch_linalg_solve(LinearSolverKind kind, int n)
    {
        using var scope = NewDisposeScope();
        var a = TestSystems.NonSymmetric(n, seed: 30 + n);
        var b = TestSystems.Vector(n, seed: 40 + n);

        AssertSolves(SolveWith(kind, a, b), linalg.solve(a, b));
    }

    [Theory]
    [MemberData(nameof(All))]
    public void A_matrix_shaped_unknown_is_solved_as_a_flattened_vector(LinearSolverKind kind)
    {
        using var scope = NewDisposeScope();
        // X ↦ A·X·B with A, B symmetric positive definite is symmetric positive definite on 3×4 matrices.
        var left = TestSystems.SymmetricPositiveDefinite(3, seed: 50);
        var right = TestSystems.SymmetricPositiveDefinite(4, seed: 51);
        var c = TestSystems.Gaussian(3, 4, seed: 52);
        Func<Tensor, Tensor> apply = x => left.matmul(x).matmul(right);
        Func<Tensor, Tensor> transposed = x => left.mT.matmul(x).matmul(right.mT);

        var result = LinearSolvers.Solve(kind, apply, c, applyTransposed: transposed);

        Assert.Equal(new long[] { 3, 4 }, result.Solution.shape);
        AssertSolves(result, linalg.inv(left).matmul(c).matmul(linalg.inv(right)));
    }

    [Theory]
    [MemberData(nameof(All))]
    public void The_ridge_shifts_the_operator_for_every_method(LinearSolverKind kind)
    {
        using var scope = NewDisposeScope();
        const double ridge = 0.75;
        var a = TestSystems.SymmetricPositiveDefinite(12, seed: 60);
        var b = TestSystems.Vector(12, seed: 61);

        var result = SolveWith(kind, a, b, new LinearSolveOptions { Ridge = ridge });

        AssertSolves(result, linalg.solve(a.add(eye(12, dtype: ScalarType.Float64).mul(ridge)), b));
    }

    [Fact]
    public void A_Jacobi_preconditioner_cuts_conjugate_gradient_iterations_on_a_badly_scaled_system()
    {
        using var scope = NewDisposeScope();
        const int n = 40;
        // D S D with D spanning three decades: cond ≈ 10⁶·cond(S), but the diagonal holds nearly all of it.
        var scale = diag(logspace(0, 1.5, n, dtype: ScalarType.Float64));
        var a = scale.matmul(TestSystems.SymmetricPositiveDefinite(n, seed: 70)).matmul(scale);
        var b = TestSystems.Vector(n, seed: 71);
        var inverseDiagonal = a.diagonal().reciprocal();
        var expected = linalg.solve(a, b);

        var plain = LinearSolvers.ConjugateGradient(TestSystems.Times(a), b);
        var jacobi = LinearSolvers.ConjugateGradient(TestSystems.Times(a), b, preconditioner: r => r.mul(inverseDiagonal));

        AssertSolves(jacobi, expected);
        Assert.True(plain.Iterations > jacobi.Iterations, $"plain {plain}; Jacobi {jacobi}");
        Assert.True(jacobi.Iterations < 40, jacobi.ToString());
    }

    [Theory]
    [InlineData(LinearSolverKind.Gmres)]
    [InlineData(LinearSolverKind.BiCgStab)]
    public void Preconditioned_non_symmetric_methods_still_solve_the_original_system(LinearSolverKind kind)
    {
        using var scope = NewDisposeScope();
        const int n = 30;
        var scale = diag(logspace(0, 1, n, dtype: ScalarType.Float64));
        var a = scale.matmul(TestSystems.NonSymmetric(n, seed: 72));
        var b = TestSystems.Vector(n, seed: 73);
        var inverseDiagonal = a.diagonal().reciprocal();

        var result = LinearSolvers.Solve(kind, TestSystems.Times(a), b, preconditioner: r => r.mul(inverseDiagonal));

        AssertSolves(result, linalg.solve(a, b));
    }

    [Theory]
    [MemberData(nameof(Iterative))]
    public void A_run_out_of_iterations_is_reported_and_EnsureConverged_throws_with_the_figures(LinearSolverKind kind)
    {
        using var scope = NewDisposeScope();
        var a = TestSystems.NonSymmetric(40, seed: 80);
        var spd = TestSystems.SymmetricPositiveDefinite(40, seed: 80);
        var matrix = kind == LinearSolverKind.ConjugateGradient ? spd : a;
        var b = TestSystems.Vector(40, seed: 81);

        var result = SolveWith(kind, matrix, b, new LinearSolveOptions { MaxIterations = 2 });

        Assert.False(result.Converged);
        Assert.Equal(2, result.Iterations);
        Assert.InRange(result.RelativeResidual, 1e-6, 1.0);
        var error = Assert.Throws<LinearSolveException>(() => result.EnsureConverged("the test system"));
        Assert.Contains("2 ", error.Message);
        Assert.Contains(result.RelativeResidual.ToString("E2", CultureInfo.InvariantCulture), error.Message);
        Assert.Contains("the test system", error.Message);
        Assert.Contains("MaxIterations", error.Message);
        Assert.Equal(kind, error.Method);
        Assert.Equal(2, error.Iterations);
        Assert.Equal(result.RelativeResidual, error.RelativeResidual);
        Assert.Equal(1e-10, error.Tolerance);
    }

    [Fact]
    public void Conjugate_gradients_on_an_indefinite_matrix_stops_with_a_breakdown_that_suggests_another_method()
    {
        using var scope = NewDisposeScope();
        var a = diag(tensor(new[] { 1.0, 2, 3, -4, -5 }, ScalarType.Float64));
        var b = ones(5, dtype: ScalarType.Float64);

        var result = LinearSolvers.ConjugateGradient(TestSystems.Times(a), b);

        Assert.False(result.Converged);
        Assert.NotNull(result.Breakdown);
        var error = Assert.Throws<LinearSolveException>(() => result.EnsureConverged());
        Assert.Contains("not positive definite", error.Message);
        Assert.Contains("Gmres", error.Message);

        // The same system is fine for a method that does not need definiteness.
        AssertSolves(LinearSolvers.Gmres(TestSystems.Times(a), b), linalg.solve(a, b));
    }

    [Fact]
    public void BiCgStab_reports_its_breakdown_on_a_permutation_and_Gmres_solves_the_same_system()
    {
        using var scope = NewDisposeScope();
        // With r̂ = r = e₁ the first direction is e₁ and Ae₁ = e₂ is orthogonal to r̂: the step length is undefined.
        var a = tensor(new[] { 0.0, 1, 1, 0 }, new long[] { 2, 2 }, ScalarType.Float64);
        var b = tensor(new[] { 1.0, 0 }, ScalarType.Float64);

        var result = LinearSolvers.BiCgStab(TestSystems.Times(a), b);

        Assert.False(result.Converged);
        var error = Assert.Throws<LinearSolveException>(() => result.EnsureConverged());
        Assert.Contains("BiCGSTAB broke down", error.Message);
        Assert.Contains("Gmres", error.Message);
        AssertSolves(LinearSolvers.Gmres(TestSystems.Times(a), b), linalg.solve(a, b));
    }

    [Fact]
    public void Gmres_with_a_short_restart_still_converges_over_several_cycles()
    {
        using var scope = NewDisposeScope();
        var a = TestSystems.NonSymmetric(40, seed: 90);
        var b = TestSystems.Vector(40, seed: 91);

        var result = LinearSolvers.Gmres(TestSystems.Times(a), b, new LinearSolveOptions { Restart = 5 });

        AssertSolves(result, linalg.solve(a, b));
        Assert.True(result.Iterations > 5, result.ToString());
    }

    [Theory]
    [MemberData(nameof(Iterative))]
    public void Starting_at_the_solution_takes_no_iterations(LinearSolverKind kind)
    {
        using var scope = NewDisposeScope();
        var a = TestSystems.SymmetricPositiveDefinite(8, seed: 100);
        var b = TestSystems.Vector(8, seed: 101);
        var exact = linalg.solve(a, b);

        var result = SolveWith(kind, a, b, initialGuess: exact);

        Assert.Equal(0, result.Iterations);
        AssertSolves(result, exact);
    }

    [Theory]
    [MemberData(nameof(Iterative))]
    public void An_operator_that_returns_its_argument_is_not_corrupted_by_in_place_updates(LinearSolverKind kind)
    {
        using var scope = NewDisposeScope();
        var b = TestSystems.Vector(6, seed: 110);

        var result = LinearSolvers.Solve(kind, x => x, b, applyTransposed: x => x);

        AssertSolves(result, b);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void A_float32_system_is_solved_in_float32_on_the_right_hand_side_s_device(LinearSolverKind kind)
    {
        using var scope = NewDisposeScope();
        var a = TestSystems.SymmetricPositiveDefinite(10, seed: 120).to(ScalarType.Float32);
        var b = TestSystems.Vector(10, seed: 121, ScalarType.Float32);

        var result = SolveWith(kind, a, b, new LinearSolveOptions { Tolerance = 1e-4 });

        Assert.Equal(ScalarType.Float32, result.Solution.dtype);
        Assert.Equal(b.device.ToString(), result.Solution.device.ToString());
        Assert.True(result.Converged, result.ToString());
        var expected = linalg.solve(a.to(ScalarType.Float64), b.to(ScalarType.Float64));
        Assert.True(TestSystems.RelativeError(result.Solution.to(ScalarType.Float64), expected) <= 1e-4, result.ToString());
    }

    [Theory]
    [MemberData(nameof(All))]
    public void A_zero_right_hand_side_gives_zero_at_once(LinearSolverKind kind)
    {
        using var scope = NewDisposeScope();
        var calls = 0;
        var b = zeros(7, dtype: ScalarType.Float64);

        var result = LinearSolvers.Solve(kind, x => { calls++; return x.mul(2); }, b, applyTransposed: x => x.mul(2));

        Assert.True(result.Converged);
        Assert.Equal(0, result.Iterations);
        Assert.Equal(0, result.RelativeResidual);
        Assert.Equal(0, calls);
        Assert.Equal(0, result.Solution.abs().max().ToDouble());
    }

    [Theory]
    [MemberData(nameof(All))]
    public void A_NaN_from_the_operator_stops_the_run_unconverged_with_a_NaN_residual(LinearSolverKind kind)
    {
        using var scope = NewDisposeScope();
        var b = TestSystems.Vector(5, seed: 130);

        var result = LinearSolvers.Solve(kind, x => x.mul(double.NaN), b, applyTransposed: x => x.mul(double.NaN));

        Assert.False(result.Converged);
        Assert.True(double.IsNaN(result.RelativeResidual), result.ToString());
        var error = Assert.Throws<LinearSolveException>(() => result.EnsureConverged());
        Assert.Contains("NaN", error.Message);
    }
    [Theory]
    [MemberData(nameof(Iterative))]
    public void A_long_run_keeps_a_bounded_number_of_live_tensors_and_leaves_only_the_solution(LinearSolverKind kind)
    {
        using var scope = NewDisposeScope();
        const int n = 40;
        var scale = diag(logspace(0, 3, n, dtype: ScalarType.Float64));
        var a = kind == LinearSolverKind.ConjugateGradient
            ? scale.matmul(TestSystems.SymmetricPositiveDefinite(n, seed: 140)).matmul(scale)
            : scale.matmul(TestSystems.NonSymmetric(n, seed: 140));
        var b = TestSystems.Vector(n, seed: 141);
        var transposed = TestSystems.Times(a.mT);

        // The largest number of live tensors seen inside the operator, above the count before the solve.
        (long Peak, int Iterations) Run(int maxIterations)
        {
            var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            var peak = 0L;
            Func<Tensor, Tensor> apply = x =>
            {
                peak = Math.Max(peak, DisposeScopeManager.Statistics.ThreadTotalLiveCount - before);
                return a.matmul(x);
            };
            var options = new LinearSolveOptions { MaxIterations = maxIterations, Tolerance = 1e-300, Restart = 10 };
            var result = LinearSolvers.Solve(kind, apply, b, options, applyTransposed: transposed);
            result.Solution.Dispose();
            Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            return (peak, result.Iterations);
        }

        var shortRun = Run(20);
        var longRun = Run(300);
        Assert.True(longRun.Iterations > 100, $"the long run stopped after {longRun.Iterations} iterations");
        Assert.True(longRun.Peak <= shortRun.Peak + 2, $"peak live tensors: {shortRun.Peak} over {shortRun.Iterations} iterations, {longRun.Peak} over {longRun.Iterations}");
    }
}
