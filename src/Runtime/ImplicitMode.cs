namespace Leibniz;

/// <summary>How an <see cref="ImplicitLayerAttribute">[ImplicitLayer]</see> differentiates its solution.</summary>
public enum ImplicitMode
{
    /// <summary>
    /// By the implicit function theorem (the default): one linear solve with the condition's derivatives, whatever the
    /// solver did, in memory independent of its iterations; refused when that solve does not converge.
    /// </summary>
    Implicit,

    /// <summary>
    /// Through the solver's own iterations, on TorchSharp's tape: the solver runs with autograd recording and its answer is
    /// differentiated as computed. For comparison with <see cref="Implicit"/> (and for solvers stopped early on purpose);
    /// it costs memory in proportion to the iterations, and has no forward mode.
    /// </summary>
    Unrolled,

    /// <summary>
    /// By the implicit function theorem with the linear solve cut off at <c>MaxIterations</c> whether or not it converged:
    /// an approximate gradient, asked for (a few Neumann or conjugate-gradient steps are a common cheap stand-in). Only a
    /// NaN is still refused.
    /// </summary>
    Truncated,
}
