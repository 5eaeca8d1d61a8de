using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Optimization;

/// <summary>
/// Mirror-descent steps, to return from a <see cref="FixedPointAttribute">[FixedPoint]</see>: a minimiser over a set is a
/// fixed point of its mirror step. Written in Leibniz's own DSL, so their derivatives are generated.
/// </summary>
public static partial class Mirror
{
    /// <summary>
    /// The entropic mirror step on the probability simplex (exponentiated gradient), x ↦ x ⊙ exp(−η∇f) / Σ(x ⊙ exp(−η∇f)),
    /// along the last dimension: the mirror step of the negative entropy. Its fixed points in the simplex's interior are the
    /// minimisers of f there. Written as a softmax of log x − η∇f, which is the same and does not overflow.
    /// </summary>
    /// <param name="x">A point of the simplex's interior (every entry positive, each row summing to one).</param>
    /// <param name="gradient">∇f at x.</param>
    /// <param name="stepSize">η, a tensor (0-dimensional, or broadcast to x).</param>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static Tensor EntropicStep(Tensor x, Tensor gradient, Tensor stepSize)
        => nn.functional.softmax(x.log() - stepSize * gradient, -1);
}
