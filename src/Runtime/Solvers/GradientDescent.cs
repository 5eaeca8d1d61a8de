using System;
using static TorchSharp.torch;

namespace Leibniz.Solvers;

/// <summary>
/// Minimisation by fixed-step gradient descent, x ← x − η ∇f(x): the simplest choice, for smooth objectives
/// when a gradient is all there is and the Lipschitz constant L of ∇f is known (η ≤ 1/L converges, η &lt; 2/L
/// for a quadratic). Prefer <see cref="Lbfgs"/> when the value is available too, <see cref="Newton"/> for small
/// dense problems, and <see cref="ProximalGradient"/> or <see cref="ProjectedGradient"/> for constraints or
/// non-smooth terms.
/// </summary>
public static class GradientDescent
{
    const string Name = nameof(GradientDescent);

    /// <summary>Minimises f from <paramref name="initial"/> with a fixed step.</summary>
    /// <remarks>
    /// <see cref="SolverResult.Residual"/> is ‖∇f(x)‖ (all elements, whatever the shape) at the returned point.
    /// Runs without autograd recording; each iteration's temporaries are freed when it ends.
    /// </remarks>
    /// <param name="gradient">∇f at x, shaped like x.</param>
    /// <param name="initial">The starting point; its dtype and device are the solution's. Not modified.</param>
    /// <param name="stepSize">η, positive; 1/L for an L-smooth f.</param>
    /// <param name="options">Tolerance, iteration limit, progress and cancellation; defaults when null.</param>
    /// <exception cref="ArgumentNullException">A callback or the initial point is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The step size or an option is out of range.</exception>
    /// <exception cref="OperationCanceledException">The options' token was cancelled.</exception>
    public static SolverResult Minimize(Func<Tensor, Tensor> gradient, Tensor initial, double stepSize, SolverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(initial);
        SolverRun.CheckStepSize(stepSize);
        using var run = new SolverRun(Name, initial, options,
            "raise MaxIterations, or use Lbfgs or Newton, which need far fewer iterations on ill-conditioned problems",
            "lower the step size (below 2/L, L the largest Hessian eigenvalue)");

        for (var k = 0; ; k++)
        {
            run.ThrowIfCancelled();
            using var iteration = NewDisposeScope();
            var g = gradient(run.Current);
            run.CheckShape(g, "the gradient");
            var residual = SolverRun.Norm(g);
            if (k > 0) run.Report(k, residual);
            if (!double.IsFinite(residual)) return run.Diverged(k);
            if (residual <= run.Tolerance) return run.Finish(k, residual, converged: true);
            if (k == run.MaxIterations) return run.Finish(k, residual, converged: false);
            var next = run.Keep(iteration, run.Current - stepSize * g);
            if (!SolverRun.IsFinite(next)) return run.Diverged(k);
            run.Advance(next);
        }
    }
}
