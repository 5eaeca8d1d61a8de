using System;
using static TorchSharp.torch;

namespace Leibniz.Solvers;

/// <summary>
/// Minimisation of a smooth f over a convex set C by projected gradient descent, x ← Π_C(x − η∇f(x)):
/// for box, simplex or ball constraints whose Euclidean projection is cheap. It is
/// <see cref="ProximalGradient"/> (unaccelerated) with the projection as the proximal operator.
/// </summary>
public static class ProjectedGradient
{
    const string Name = nameof(ProjectedGradient);

    /// <summary>Minimises f over C from <paramref name="initial"/> with a fixed step.</summary>
    /// <remarks>
    /// <see cref="SolverResult.Residual"/> is ‖x − Π_C(x − η∇f(x))‖ / η at the returned point: zero exactly at a
    /// constrained minimiser, ‖∇f(x)‖ in the interior. The initial point need not lie in C.
    /// </remarks>
    /// <param name="gradient">∇f at x, shaped like x.</param>
    /// <param name="project">The Euclidean projection onto C.</param>
    /// <param name="initial">The starting point; its dtype and device are the solution's. Not modified.</param>
    /// <param name="stepSize">η, positive; 1/L for an L-smooth f.</param>
    /// <param name="options">Tolerance, iteration limit, progress and cancellation; defaults when null.</param>
    /// <exception cref="ArgumentNullException">A callback or the initial point is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The step size or an option is out of range.</exception>
    /// <exception cref="OperationCanceledException">The options' token was cancelled.</exception>
    public static SolverResult Minimize(Func<Tensor, Tensor> gradient, Func<Tensor, Tensor> project, Tensor initial, double stepSize, SolverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(initial);
        SolverRun.CheckStepSize(stepSize);
        return ProximalGradient.Run(Name, gradient, (v, _) => project(v), "the projection", initial, stepSize, options, accelerated: false);
    }
}
