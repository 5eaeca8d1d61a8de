using System;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.LinearSystems;

/// <summary>
/// The direct methods: materialise (A + ridge·I) with numel(b) products, factorise, solve. Exact to rounding
/// where the factorisation exists, and a failed factorisation is reported as a breakdown, not thrown.
/// </summary>
internal static class DenseSolver
{
    public static LinearSolveResult Solve(LinearProblem problem, Func<Tensor, Tensor> apply)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var b = problem.Rhs;
        var n = (int)b.numel();
        var bNorm = LinearProblem.Norm(b);
        if (bNorm == 0) return problem.ZeroSolution();
        var matrix = OperatorMatrix.Build(apply, b, problem.Ridge, problem.CancellationToken);
        var column = b.reshape(n, 1);
        if (!double.IsFinite(bNorm) || !matrix.isfinite().all().ToBoolean())
            return problem.NotFinite(zeros_like(b), n);

        Tensor x;
        string? breakdown = null;
        switch (problem.Method)
        {
            case LinearSolverKind.DenseLu:
                var (luSolution, luInfo) = linalg.solve_ex(matrix, column);
                x = luSolution;
                if (luInfo.ToInt64() != 0)
                    breakdown = string.Format(CultureInfo.InvariantCulture, "The LU factorisation met an exactly zero pivot at column {0}: the matrix is singular", luInfo.ToInt64());
                break;
            case LinearSolverKind.DenseCholesky:
                // Products carry rounding, so even a symmetric operator's matrix is not exactly symmetric;
                // Cholesky reads one triangle only, and averaging keeps both halves' information.
                var symmetric = matrix.add(matrix.mT).mul_(0.5);
                var (factor, info) = linalg.cholesky_ex(symmetric);
                if (info.ToInt64() != 0)
                {
                    breakdown = string.Format(CultureInfo.InvariantCulture,
                        "The Cholesky factorisation failed at leading minor {0}: the (symmetrised) matrix is not positive definite", info.ToInt64());
                    x = zeros_like(column);
                }
                else
                {
                    x = cholesky_solve(column, factor);
                }
                break;
            default:
                // pinv rather than lstsq: pinv's SVD gives the minimum-norm solution on every device, with
                // the numerical rank set by a relative cutoff on the singular values; libtorch's lstsq on
                // CUDA has only the 'gels' driver, which assumes full rank and is wrong for singular A.
                x = linalg.pinv(matrix).matmul(column);
                break;
        }
        var solution = x.reshape(b.shape);
        if (breakdown is not null)
            return problem.Finish(solution, bNorm, n, breakdown);
        if (!solution.isfinite().all().ToBoolean())
            return problem.NotFinite(solution, n);

        // The residual is measured with the operator itself, not the materialised matrix, so an error in
        // materialisation (or a non-symmetric operator given to Cholesky) shows as non-convergence.
        var residual = b.sub(problem.Apply(solution));
        var residualNorm = LinearProblem.Norm(residual);
        if (problem.Method != LinearSolverKind.LeastSquares)
            return problem.Finish(solution, bNorm, n, breakdown, residualNorm);

        var normal = LinearProblem.Norm(matrix.mT.matmul(residual.reshape(n, 1))) / (LinearProblem.Norm(matrix) * bNorm);
        var relative = residualNorm / bNorm;
        return new LinearSolveResult(solution.MoveToOuterDisposeScope(), problem.Method, n,
            double.IsFinite(relative) ? relative : double.NaN, problem.Options.Tolerance, normalResidual: double.IsFinite(normal) ? normal : double.NaN);
    }
}
