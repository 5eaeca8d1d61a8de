using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Solvers;

/// <summary>
/// Minimisation of a smooth objective by limited-memory BFGS: a quasi-Newton method that needs only values
/// and gradients and keeps the last few steps. The default choice for smooth unconstrained problems of any
/// size when the value is cheap alongside the gradient; <see cref="Newton"/> converges in fewer iterations on
/// small problems with an affordable Hessian, <see cref="GradientDescent"/> needs neither value nor step search.
/// </summary>
public static class Lbfgs
{
    const string Name = nameof(Lbfgs);

    /// <summary>Sufficient-decrease constant c₁ of the Armijo condition f(x + αd) ≤ f(x) + c₁ α ∇f(x)ᵀd.</summary>
    const double ArmijoC1 = 1e-4;

    /// <summary>Each rejected trial step is multiplied by this.</summary>
    const double Backtrack = 0.5;

    /// <summary>Trial steps before the line search gives up (α shrinks to 2⁻⁴⁰ of its first value).</summary>
    const int MaxBacktracks = 40;

    /// <summary>A pair with sᵀy ≤ this × ‖s‖‖y‖ is skipped: it would make the inverse-Hessian estimate indefinite or ill-conditioned.</summary>
    const double CurvatureEpsilon = 1e-10;

    /// <summary>Minimises f from <paramref name="initial"/>.</summary>
    /// <remarks>
    /// <para>
    /// The direction comes from the two-loop recursion over the last <paramref name="memory"/> pairs
    /// (s = x⁺ − x, y = ∇f(x⁺) − ∇f(x)), with the initial inverse Hessian scaled by sᵀy / yᵀy of the newest pair.
    /// The step is found by backtracking from α = 1 (from min(1, 1/‖∇f‖) when there is no history yet) until the
    /// Armijo condition with c₁ = 1e-4 holds, halving up to 40 times; a NaN or infinite trial value counts as
    /// rejected. Pairs with sᵀy ≤ 1e-10‖s‖‖y‖ are not stored, and a direction that is not one of descent
    /// clears the history and falls back to −∇f.
    /// </para>
    /// <para>
    /// <see cref="SolverResult.Residual"/> is ‖∇f(x)‖ at the returned point. When the line search fails (usually
    /// because the tolerance is below what rounding in f allows), the run stops unconverged.
    /// </para>
    /// </remarks>
    /// <param name="valueAndGradient">f(x) and ∇f(x) (shaped like x).</param>
    /// <param name="initial">The starting point; its dtype and device are the solution's. Not modified.</param>
    /// <param name="options">Tolerance, iteration limit, progress and cancellation; defaults when null.</param>
    /// <param name="memory">How many past steps shape the direction; 5 to 20 is typical. Default 10.</param>
    /// <exception cref="ArgumentNullException">The callback or the initial point is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The memory or an option is out of range.</exception>
    /// <exception cref="OperationCanceledException">The options' token was cancelled.</exception>
    public static SolverResult Minimize(
        Func<Tensor, (double Value, Tensor Gradient)> valueAndGradient,
        Tensor initial,
        SolverOptions? options = null,
        int memory = 10)
    {
        ArgumentNullException.ThrowIfNull(valueAndGradient);
        ArgumentNullException.ThrowIfNull(initial);
        SolverRun.CheckMemory(memory);
        using var run = new SolverRun(Name, initial, options,
            "raise MaxIterations, or loosen the tolerance if the line search stalled (f cannot resolve smaller gradients)",
            "check that the value and gradient agree, or start closer to the minimiser");

        var steps = new List<Tensor>(memory);
        var changes = new List<Tensor>(memory);
        var curvatures = new List<double>(memory);
        Tensor gradient;
        double value;
        using (var first = NewDisposeScope())
        {
            var (v, g) = valueAndGradient(run.Current);
            run.CheckShape(g, "the gradient");
            value = v;
            gradient = run.Keep(first, g);
        }

        try
        {
            for (var k = 0; ; k++)
            {
                run.ThrowIfCancelled();
                using var iteration = NewDisposeScope();
                var residual = SolverRun.Norm(gradient);
                if (k > 0) run.Report(k, residual);
                if (!double.IsFinite(residual) || !double.IsFinite(value)) return run.Diverged(k);
                if (residual <= run.Tolerance) return run.Finish(k, residual, converged: true);
                if (k == run.MaxIterations) return run.Finish(k, residual, converged: false);

                var direction = -TwoLoop(gradient, steps, changes, curvatures);
                var slope = SolverRun.Dot(gradient, direction);
                if (!(slope < 0))
                {
                    Clear(steps, changes, curvatures);
                    direction = -gradient;
                    slope = -residual * residual;
                }

                var alpha = steps.Count == 0 ? Math.Min(1.0, 1.0 / residual) : 1.0;
                Tensor? trial = null;
                Tensor? trialGradient = null;
                var trialValue = double.NaN;
                for (var j = 0; j < MaxBacktracks; j++, alpha *= Backtrack)
                {
                    var candidate = run.Current + alpha * direction;
                    var (v, g) = valueAndGradient(candidate);
                    if (double.IsFinite(v) && v <= value + ArmijoC1 * alpha * slope)
                    {
                        run.CheckShape(g, "the gradient");
                        trial = candidate;
                        trialGradient = g;
                        trialValue = v;
                        break;
                    }
                }

                if (trial is null || trialGradient is null) return run.Finish(k, residual, converged: false);

                var s = trial - run.Current;
                var y = trialGradient - gradient;
                var sy = SolverRun.Dot(s, y);
                if (sy > CurvatureEpsilon * SolverRun.Norm(s) * SolverRun.Norm(y))
                {
                    if (steps.Count == memory)
                    {
                        steps[0].Dispose();
                        changes[0].Dispose();
                        steps.RemoveAt(0);
                        changes.RemoveAt(0);
                        curvatures.RemoveAt(0);
                    }
                    steps.Add(run.Keep(iteration, s));
                    changes.Add(run.Keep(iteration, y));
                    curvatures.Add(sy);
                }

                run.Advance(run.Keep(iteration, trial));
                gradient.Dispose();
                gradient = run.Keep(iteration, trialGradient);
                value = trialValue;
            }
        }
        finally
        {
            Clear(steps, changes, curvatures);
            gradient.Dispose();
        }
    }

    /// <summary>H·g for the L-BFGS inverse-Hessian estimate H (Nocedal &amp; Wright, Algorithm 7.4).</summary>
    static Tensor TwoLoop(Tensor gradient, List<Tensor> steps, List<Tensor> changes, List<double> curvatures)
    {
        var m = steps.Count;
        if (m == 0) return gradient.clone();
        var q = gradient.clone();
        var a = new double[m];
        for (var i = m - 1; i >= 0; i--)
        {
            a[i] = SolverRun.Dot(steps[i], q) / curvatures[i];
            q.sub_(changes[i].mul(a[i]));
        }

        // H₀ = (sᵀy / yᵀy) I from the newest pair: the Barzilai–Borwein scale, so the unit step is usually accepted.
        var newest = changes[m - 1];
        var gamma = curvatures[m - 1] / SolverRun.Dot(newest, newest);
        var r = q.mul_(gamma);
        for (var i = 0; i < m; i++)
        {
            var b = SolverRun.Dot(changes[i], r) / curvatures[i];
            r.add_(steps[i].mul(a[i] - b));
        }
        return r;
    }

    static void Clear(List<Tensor> steps, List<Tensor> changes, List<double> curvatures)
    {
        foreach (var t in steps) t.Dispose();
        foreach (var t in changes) t.Dispose();
        steps.Clear();
        changes.Clear();
        curvatures.Clear();
    }
}
