using System;
using System.Collections.Generic;
using System.Globalization;
using static TorchSharp.torch;

namespace Leibniz.LinearSystems;

/// <summary>
/// Restarted GMRES(m) with right preconditioning: each cycle minimises ‖r₀ − Â M⁻¹ V y‖ over the Krylov
/// space of Â M⁻¹ built by Arnoldi with modified Gram–Schmidt, and sets x += M⁻¹ V y.
/// </summary>
/// <remarks>
/// Right rather than left preconditioning because then the residual the least-squares problem minimises,
/// and the one the stopping test reads, is the true residual b − Âx, not M⁻¹(b − Âx): the tolerance means
/// the same with and without a preconditioner. The Hessenberg matrix is reduced by Givens rotations as it
/// grows, so the residual norm of every inner iterate is known (|g_{j+1}|) without forming it.
/// </remarks>
internal static class GmresSolver
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

        var options = problem.Options;
        var tolerance = options.Tolerance * bNorm;
        var m = options.Restart;
        var h = new double[m + 1, m];
        var g = new double[m + 1];
        var cs = new double[m];
        var sn = new double[m];
        var y = new double[m];
        var total = 0;
        var previousBeta = double.PositiveInfinity;
        var first = true;
        while (true)
        {
            problem.CancellationToken.ThrowIfCancellationRequested();
            using var cycle = NewDisposeScope();
            // Each cycle starts from the true residual, so drift in the Givens estimate cannot end the run early.
            var r = first && initialGuess is null ? b : b.sub(problem.Apply(x));
            first = false;
            var beta = LinearProblem.Norm(r);
            if (!double.IsFinite(beta)) return problem.NotFinite(x, total);
            if (beta <= tolerance || total >= options.MaxIterations)
                return problem.Finish(x, bNorm, total, residualNorm: beta);
            if (beta >= previousBeta)
                return problem.Finish(x, bNorm, total, string.Format(CultureInfo.InvariantCulture,
                    "GMRES({0}) stagnated: a whole restart cycle did not reduce the residual ({1:E2} relative), which happens when the restart is too short for the problem or the operator is singular; raise Restart, or use DenseLu or LeastSquares",
                    m, beta / bNorm), residualNorm: beta);
            previousBeta = beta;

            var basis = new List<Tensor>(m + 1) { r.div(beta) };
            Array.Clear(h);
            Array.Clear(g);
            g[0] = beta;
            var k = 0;
            string? breakdown = null;
            for (var j = 0; j < m && total < options.MaxIterations; j++)
            {
                problem.CancellationToken.ThrowIfCancellationRequested();
                var w = problem.Apply(problem.Precondition(basis[j]));
                // Out of place first: the product may be the caller's own tensor, which must not change.
                for (var i = 0; i <= j; i++)
                {
                    h[i, j] = LinearProblem.Dot(w, basis[i]);
                    w = i == 0 ? w.add(basis[i], -h[i, j]) : w.add_(basis[i], -h[i, j]);
                }
                var next = LinearProblem.Norm(w);
                h[j + 1, j] = next;
                total++;

                for (var i = 0; i < j; i++)
                {
                    var upper = cs[i] * h[i, j] + sn[i] * h[i + 1, j];
                    h[i + 1, j] = -sn[i] * h[i, j] + cs[i] * h[i + 1, j];
                    h[i, j] = upper;
                }
                var radius = Hypot(h[j, j], h[j + 1, j]);
                if (!double.IsFinite(radius)) return problem.NotFinite(x, total);
                if (radius == 0)
                {
                    // Â M⁻¹ v_j lies in the span of the earlier vectors with no component along v_j: the
                    // projected matrix is singular, so this column cannot be used.
                    breakdown = string.Format(CultureInfo.InvariantCulture,
                        "GMRES broke down at iteration {0}: the operator maps the Krylov space into a smaller one, so it is singular", total);
                    break;
                }
                cs[j] = h[j, j] / radius;
                sn[j] = h[j + 1, j] / radius;
                h[j, j] = radius;
                h[j + 1, j] = 0;
                g[j + 1] = -sn[j] * g[j];
                g[j] *= cs[j];
                k = j + 1;

                // next = 0 is the lucky breakdown: the Krylov space is invariant and holds the exact solution.
                if (Math.Abs(g[j + 1]) <= tolerance || next == 0) break;
                basis.Add(w.div(next));
            }

            if (k > 0)
            {
                for (var i = k - 1; i >= 0; i--)
                {
                    var sum = g[i];
                    for (var l = i + 1; l < k; l++) sum -= h[i, l] * y[l];
                    y[i] = sum / h[i, i];
                }
                var update = zeros_like(x);
                for (var i = 0; i < k; i++) update.add_(basis[i], y[i]);
                x.add_(problem.Precondition(update));
            }
            if (breakdown is not null)
                return problem.Finish(x, bNorm, total, breakdown);
        }
    }

    static double Hypot(double a, double b)
    {
        // Scaled so that squaring cannot overflow or underflow.
        var scale = Math.Max(Math.Abs(a), Math.Abs(b));
        if (scale == 0 || double.IsInfinity(scale)) return scale;
        a /= scale;
        b /= scale;
        return scale * Math.Sqrt(a * a + b * b);
    }
}
