using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Solvers;

/// <summary>
/// Minimisation of f(x) + g(x), f smooth and g with a cheap proximal operator (an ℓ₁ penalty, an indicator
/// of a convex set, a group norm), by forward–backward splitting: ISTA, or FISTA with Nesterov momentum.
/// Choose it for lasso-type and constrained problems whose optimality condition is the fixed point
/// x = prox(x − η∇f(x), η); for a plain projection <see cref="ProjectedGradient"/> reads more directly.
/// </summary>
public static class ProximalGradient
{
    const string Name = nameof(ProximalGradient);

    /// <summary>Minimises f + g from <paramref name="initial"/> with a fixed step.</summary>
    /// <remarks>
    /// <para>
    /// <see cref="SolverResult.Residual"/> is the fixed-point residual ‖x − prox(x − η∇f(x), η)‖ / η at the returned
    /// point: the norm of the gradient mapping, which is zero exactly at a minimiser and equals ‖∇f(x)‖ when g = 0.
    /// </para>
    /// <para>
    /// FISTA (<paramref name="accelerated"/>) evaluates the step at an extrapolated point y, so the residual it
    /// has for free is the one at y; that is what progress reports until it falls below the tolerance, after
    /// which each iteration also evaluates the residual at x itself (one more gradient and prox) and stops only
    /// when that one meets it. The momentum is never restarted, so the objective need not decrease monotonically.
    /// </para>
    /// </remarks>
    /// <param name="gradient">∇f at x, shaped like x.</param>
    /// <param name="prox">prox_{ηg}(v) = argmin_u g(u) + ‖u − v‖² / (2η); receives v and the step size η.</param>
    /// <param name="initial">The starting point; its dtype and device are the solution's. Not modified.</param>
    /// <param name="stepSize">η, positive; 1/L for an L-smooth f.</param>
    /// <param name="options">Tolerance, iteration limit, progress and cancellation; defaults when null.</param>
    /// <param name="accelerated">FISTA (O(1/k²) in objective) when true, the default; ISTA (monotone, O(1/k)) when false.</param>
    /// <exception cref="ArgumentNullException">A callback or the initial point is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The step size or an option is out of range.</exception>
    /// <exception cref="OperationCanceledException">The options' token was cancelled.</exception>
    public static SolverResult Minimize(
        Func<Tensor, Tensor> gradient,
        Func<Tensor, double, Tensor> prox,
        Tensor initial,
        double stepSize,
        SolverOptions? options = null,
        bool accelerated = true)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(prox);
        ArgumentNullException.ThrowIfNull(initial);
        SolverRun.CheckStepSize(stepSize);
        return Run(Name, gradient, prox, "the proximal operator", initial, stepSize, options, accelerated);
    }

    internal static SolverResult Run(
        string name,
        Func<Tensor, Tensor> gradient,
        Func<Tensor, double, Tensor> prox,
        string proxName,
        Tensor initial,
        double stepSize,
        SolverOptions? options,
        bool accelerated)
    {
        using var run = new SolverRun(name, initial, options,
            accelerated
                ? "raise MaxIterations, or raise the step size towards 1/L if it is well below"
                : "raise MaxIterations, or use the accelerated variant (FISTA)",
            "lower the step size (below 1/L, L the Lipschitz constant of the gradient)");

        // The forward-backward map T(v) = prox(v − η∇f(v), η), checked and kept by the run.
        Tensor Step(DisposeScope iteration, Tensor v)
        {
            var g = gradient(v);
            run.CheckShape(g, "the gradient");
            var p = prox(v - stepSize * g, stepSize);
            run.CheckShape(p, proxName);
            return run.Keep(iteration, p);
        }

        double Residual(Tensor v, Tensor stepped) => SolverRun.Norm(v - stepped) / stepSize;

        if (!accelerated)
        {
            for (var k = 0; ; k++)
            {
                run.ThrowIfCancelled();
                using var iteration = NewDisposeScope();
                var next = Step(iteration, run.Current);
                var residual = Residual(run.Current, next);
                if (k > 0) run.Report(k, residual);
                if (!double.IsFinite(residual)) return run.Diverged(k);
                if (residual <= run.Tolerance) return run.Finish(k, residual, converged: true);
                if (k == run.MaxIterations) return run.Finish(k, residual, converged: false);
                run.Advance(next);
            }
        }

        // FISTA (Beck & Teboulle 2009): t₁ = 1, t_{k+1} = (1 + √(1 + 4t_k²)) / 2,
        // y_{k+1} = x_{k+1} + ((t_k − 1) / t_{k+1}) (x_{k+1} − x_k).
        Tensor? previous = null;
        var t = 1.0;
        var momentum = 0.0;
        try
        {
            for (var k = 0; ; k++)
            {
                run.ThrowIfCancelled();
                using var iteration = NewDisposeScope();
                var x = run.Current;
                var y = previous is null ? x : x + momentum * (x - previous);
                var next = Step(iteration, y);
                var residual = Residual(y, next);
                // At y = x (the first iteration) the cheap residual is already the one at x.
                var atX = previous is null;
                if (!atX && double.IsFinite(residual) && residual <= run.Tolerance)
                {
                    using var check = NewDisposeScope();
                    residual = Residual(x, Step(check, x));
                    atX = true;
                }

                if (k > 0) run.Report(k, residual);
                if (!double.IsFinite(residual)) return run.Diverged(k);
                if (atX && residual <= run.Tolerance) return run.Finish(k, residual, converged: true);
                if (k == run.MaxIterations)
                {
                    if (!atX)
                    {
                        using var check = NewDisposeScope();
                        residual = Residual(x, Step(check, x));
                    }
                    return double.IsFinite(residual) ? run.Finish(k, residual, converged: false) : run.Diverged(k);
                }

                var tNext = (1 + Math.Sqrt(1 + 4 * t * t)) / 2;
                momentum = (t - 1) / tNext;
                t = tNext;
                previous?.Dispose();
                // The old iterate stays alive as x_{k−1} for the momentum term.
                previous = run.Exchange(next);
            }
        }
        finally
        {
            previous?.Dispose();
        }
    }
}
