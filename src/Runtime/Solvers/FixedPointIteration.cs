using System;
using static TorchSharp.torch;

namespace Leibniz.Solvers;

/// <summary>
/// Plain fixed-point iteration x ← T(x), for a contraction T (a deep-equilibrium layer, a damped gradient
/// step). It converges linearly at T's contraction factor; when that is close to 1, <see cref="Anderson"/>
/// needs far fewer evaluations of T.
/// </summary>
public static class FixedPointIteration
{
    const string Name = nameof(FixedPointIteration);

    /// <summary>Iterates <paramref name="map"/> from <paramref name="initial"/> until it stops moving.</summary>
    /// <remarks>
    /// <see cref="SolverResult.Residual"/> is ‖T(x) − x‖ at the returned x. For a contraction with factor ρ the
    /// distance to the fixed point is at most that residual / (1 − ρ).
    /// </remarks>
    /// <param name="map">T, returning a tensor shaped like its argument.</param>
    /// <param name="initial">The starting point; its dtype and device are the solution's. Not modified.</param>
    /// <param name="options">Tolerance, iteration limit, progress and cancellation; defaults when null.</param>
    /// <exception cref="ArgumentNullException">The map or the initial point is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="OperationCanceledException">The options' token was cancelled.</exception>
    public static SolverResult Run(Func<Tensor, Tensor> map, Tensor initial, SolverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(initial);
        using var run = new SolverRun(Name, initial, options,
            "raise MaxIterations, or use Anderson, which needs far fewer iterations on slowly contracting maps",
            "make the map a contraction (for a gradient step, lower the step size)");

        for (var k = 0; ; k++)
        {
            run.ThrowIfCancelled();
            using var iteration = NewDisposeScope();
            var image = map(run.Current);
            run.CheckShape(image, "the map");
            var residual = SolverRun.Norm(image - run.Current);
            if (k > 0) run.Report(k, residual);
            if (!double.IsFinite(residual)) return run.Diverged(k);
            if (residual <= run.Tolerance) return run.Finish(k, residual, converged: true);
            if (k == run.MaxIterations) return run.Finish(k, residual, converged: false);
            run.Advance(run.Keep(iteration, image));
        }
    }
}
