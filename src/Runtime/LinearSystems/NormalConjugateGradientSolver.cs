using System.Globalization;
using static TorchSharp.torch;

namespace Leibniz.LinearSystems;

/// <summary>
/// CGNR in its CGLS arrangement: conjugate gradients on ÂᵀÂ x = Âᵀb (Â = A + ridge·I) without forming
/// ÂᵀÂ, keeping the residual r = b − Âx itself rather than Âᵀr, which is what loses accuracy when the
/// normal equations are formed naively (their condition number is cond(Â)²).
/// </summary>
internal static class NormalConjugateGradientSolver
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
        double gamma = 0;
        var restart = true;
        var iterations = 0;
        while (true)
        {
            problem.CancellationToken.ThrowIfCancellationRequested();
            var rNorm = LinearProblem.Norm(r);
            if (!double.IsFinite(rNorm)) return problem.NotFinite(x, iterations);
            if (rNorm <= tolerance && !restart)
            {
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
                var s0 = problem.ApplyTransposed(r);
                p?.Dispose();
                p = s0.clone().MoveToOuterDisposeScope();
                gamma = LinearProblem.Dot(s0, s0);
                if (!double.IsFinite(gamma)) return problem.NotFinite(x, iterations);
                if (gamma == 0) return problem.Finish(x, bNorm, iterations, Stalled(iterations));
                restart = false;
            }

            var q = problem.Apply(p);
            var delta = LinearProblem.Dot(q, q);
            if (!double.IsFinite(delta)) return problem.NotFinite(x, iterations);
            if (delta == 0)
                return problem.Finish(x, bNorm, iterations, string.Format(CultureInfo.InvariantCulture,
                    "CGNR broke down at iteration {0}: (A + ridge·I) maps the search direction to zero, so the operator is singular", iterations + 1));
            var alpha = gamma / delta;
            x.add_(p, alpha);
            r.add_(q, -alpha);
            iterations++;

            var s = problem.ApplyTransposed(r);
            var gammaNext = LinearProblem.Dot(s, s);
            if (!double.IsFinite(gammaNext)) return problem.NotFinite(x, iterations);
            if (gammaNext == 0) return problem.Finish(x, bNorm, iterations, Stalled(iterations));
            p.mul_(gammaNext / gamma).add_(s);
            gamma = gammaNext;
        }
    }

    // Âᵀr = 0 with r ≠ 0: x already solves the normal equations, so b has a component outside the range of Â.
    static string Stalled(int iterations) => string.Format(CultureInfo.InvariantCulture,
        "CGNR reached a least-squares solution after {0} iterations but the residual is not small: (A + ridge·I)ᵀr = 0, so the system is singular and inconsistent", iterations);
}
