using System;
using System.Globalization;
using static TorchSharp.torch;

namespace Leibniz.LinearSystems;

/// <summary>
/// BiCGSTAB (van der Vorst, 1992) with right preconditioning, so that its residual — and the stopping
/// test — is the true b − Âx.
/// </summary>
internal static class BiCgStabSolver
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
        var shadow = r.clone();
        var p = zeros_like(b);
        var v = zeros_like(b);
        double rhoPrevious = 1, alpha = 1, omega = 1;
        var restart = false;
        var iterations = 0;
        while (true)
        {
            problem.CancellationToken.ThrowIfCancellationRequested();
            var rNorm = LinearProblem.Norm(r);
            if (!double.IsFinite(rNorm)) return problem.NotFinite(x, iterations);
            if (rNorm <= tolerance && iterations > 0 && !restart)
            {
                // Confirm the recurrence's residual with a fresh product; on a mismatch restart from the true one.
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
            if (restart)
            {
                shadow.copy_(r);
                p.zero_();
                v.zero_();
                rhoPrevious = alpha = omega = 1;
                restart = false;
            }

            using var step = NewDisposeScope();
            var rho = LinearProblem.Dot(shadow, r);
            if (!double.IsFinite(rho)) return problem.NotFinite(x, iterations);
            if (rho == 0)
                return problem.Finish(x, bNorm, iterations, string.Format(CultureInfo.InvariantCulture,
                    "BiCGSTAB broke down at iteration {0}: ρ = r̂ᵀr = 0, the residual became orthogonal to the shadow residual; use Gmres or NormalConjugateGradient", iterations + 1));

            var beta = rho / rhoPrevious * (alpha / omega);
            p.add_(v, -omega).mul_(beta).add_(r);
            var pHat = problem.Precondition(p);
            v.copy_(problem.Apply(pHat));
            var shadowV = LinearProblem.Dot(shadow, v);
            if (!double.IsFinite(shadowV)) return problem.NotFinite(x, iterations);
            if (shadowV == 0)
                return problem.Finish(x, bNorm, iterations, string.Format(CultureInfo.InvariantCulture,
                    "BiCGSTAB broke down at iteration {0}: r̂ᵀÂp = 0, so the step length is undefined; use Gmres or NormalConjugateGradient", iterations + 1));
            alpha = rho / shadowV;
            x.add_(pHat, alpha);
            r.add_(v, -alpha);
            iterations++;
            if (LinearProblem.Norm(r) <= tolerance)
                continue;

            var sHat = problem.Precondition(r);
            var t = problem.Apply(sHat);
            var tt = LinearProblem.Dot(t, t);
            var ts = LinearProblem.Dot(t, r);
            if (!double.IsFinite(tt) || !double.IsFinite(ts)) return problem.NotFinite(x, iterations);
            omega = tt == 0 ? 0 : ts / tt;
            if (omega == 0)
                return problem.Finish(x, bNorm, iterations, string.Format(CultureInfo.InvariantCulture,
                    "BiCGSTAB broke down at iteration {0}: the stabilising step ω = tᵀs/tᵀt is 0, so the iteration cannot continue; use Gmres or NormalConjugateGradient", iterations));
            x.add_(sHat, omega);
            r.add_(t, -omega);
            rhoPrevious = rho;
        }
    }
}
