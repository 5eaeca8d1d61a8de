using System.Globalization;
using static TorchSharp.torch;

namespace Leibniz.LinearSystems;

/// <summary>
/// Preconditioned conjugate gradients (Hestenes–Stiefel), for symmetric positive definite (A + ridge·I)
/// and a symmetric positive definite preconditioner M⁻¹.
/// </summary>
internal static class ConjugateGradientSolver
{
    public static LinearSolveResult Solve(LinearProblem problem, Tensor? initialGuess)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var b = problem.Rhs;
        var x = problem.Start(initialGuess);
        var bNorm = LinearProblem.Norm(b);
        if (bNorm == 0) return problem.ZeroSolution();
        if (!double.IsFinite(bNorm)) return problem.NotFinite(x, 0);

        var tolerance = problem.Options.Tolerance * bNorm;
        var r = initialGuess is null ? b.clone() : b.sub(problem.Apply(x));
        Tensor p = null!;
        double rz = 0;
        var restart = true;
        var iterations = 0;
        while (true)
        {
            problem.CancellationToken.ThrowIfCancellationRequested();
            var rNorm = LinearProblem.Norm(r);
            if (double.IsNaN(rNorm) || double.IsInfinity(rNorm)) return problem.NotFinite(x, iterations);
            if (rNorm <= tolerance && !restart)
            {
                // The recurrence's residual drifts from the true one over many steps (badly in float32):
                // confirm with a fresh product, and on a mismatch continue from the true residual.
                double trueNorm;
                using (NewDisposeScope())
                {
                    var trueResidual = b.sub(problem.Apply(x));
                    trueNorm = LinearProblem.Norm(trueResidual);
                    r.copy_(trueResidual);
                }
                if (trueNorm <= tolerance || iterations >= problem.Options.MaxIterations)
                    return problem.Finish(x, bNorm, iterations, residualNorm: trueNorm);
                restart = true;
                continue;
            }
            if (rNorm <= tolerance || iterations >= problem.Options.MaxIterations)
                return problem.Finish(x, bNorm, iterations);

            using var step = NewDisposeScope();
            if (restart)
            {
                // Start (or restart after a residual replacement) along the preconditioned steepest descent.
                var z0 = problem.Precondition(r);
                p?.Dispose();
                p = z0.clone().MoveToOuterDisposeScope();
                rz = LinearProblem.Dot(r, z0);
                if (!(rz > 0)) return Breakdown(problem, x, bNorm, iterations, PreconditionerBreakdown(rz));
                restart = false;
            }

            var ap = problem.Apply(p);
            var pap = LinearProblem.Dot(p, ap);
            if (double.IsNaN(pap) || double.IsInfinity(pap)) return problem.NotFinite(x, iterations);
            if (pap <= 0)
                return Breakdown(problem, x, bNorm, iterations, string.Format(CultureInfo.InvariantCulture,
                    "Conjugate gradients broke down at iteration {0}: the curvature pᵀ(A + ridge·I)p = {1:E2} along a search direction is not positive, so the operator is not positive definite",
                    iterations + 1, pap));
            var alpha = rz / pap;
            x.add_(p, alpha);
            r.add_(ap, -alpha);
            iterations++;

            var z = problem.Precondition(r);
            var rzNext = LinearProblem.Dot(r, z);
            if (double.IsNaN(rzNext)) return problem.NotFinite(x, iterations);
            if (rzNext < 0) return Breakdown(problem, x, bNorm, iterations, PreconditionerBreakdown(rzNext));
            p.mul_(rzNext / rz).add_(z);
            rz = rzNext;
        }
    }

    static string PreconditionerBreakdown(double rz) => string.Format(CultureInfo.InvariantCulture,
        "Conjugate gradients broke down: rᵀM⁻¹r = {0:E2} is not positive, so the preconditioner is not positive definite (pass a symmetric positive definite one, or none)", rz);

    static LinearSolveResult Breakdown(LinearProblem problem, Tensor x, double bNorm, int iterations, string reason) =>
        problem.Finish(x, bNorm, iterations, reason);
}
