using System;
using System.ComponentModel;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>
/// <c>nn.functional.dropout</c> in a generated forward sweep: the mask is drawn here and kept, the output is the
/// input times the mask, and the reverse sweep multiplies by the same mask. The draw is libtorch's own on the CPU
/// (Bernoulli(1 − p) noise divided by 1 − p), so each element is 0 with probability p and x/(1 − p) otherwise.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DropoutMask
{
    /// <summary>
    /// The mask m for y = x·m: of <paramref name="input"/>'s shape, type and device, each entry 0 with probability
    /// <paramref name="p"/> and 1/(1 − p) otherwise. Outside training, and for p = 0, a scalar one (dropout is the
    /// identity); for p = 1 a scalar zero.
    /// </summary>
    /// <param name="input">The tensor dropout applies to (its values are not read).</param>
    /// <param name="p">The probability of zeroing an element, in [0, 1].</param>
    /// <param name="training">Whether to drop at all.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1].</exception>
    public static Tensor Draw(Tensor input, double p = 0.5, bool training = true)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, $"dropout's probability must lie in [0, 1], but is {p}.");

        if (!training || p == 0 || input.numel() == 0) return ones(Array.Empty<long>(), dtype: input.dtype, device: input.device);
        if (p == 1) return zeros(Array.Empty<long>(), dtype: input.dtype, device: input.device);
        return empty_like(input).bernoulli_(1 - p).div_(1 - p);
    }

    /// <summary>
    /// p̄ for m = <see cref="Draw"/>(x, p, training), the draw held fixed: in training m = b/(1 − p) for the Bernoulli
    /// sample b, so ∂m/∂p = m/(1 − p) and p̄ = Σ m̄·m/(1 − p) (at p = 0, where b is all ones, that is Σ m̄). Outside
    /// training, and at p = 1 (b all zeros), m does not depend on p. A 0-dimensional tensor.
    /// </summary>
    /// <param name="maskAdjoint">m̄.</param>
    /// <param name="mask">What <see cref="Draw"/> returned in the forward sweep.</param>
    /// <param name="p">The probability passed to <see cref="Draw"/>.</param>
    /// <param name="training">The flag passed to <see cref="Draw"/>.</param>
    public static Tensor ProbabilityAdjoint(Tensor maskAdjoint, Tensor mask, double p = 0.5, bool training = true)
        => training && p < 1 ? maskAdjoint.mul(mask).sum().div(1 - p) : zeros(Array.Empty<long>(), dtype: maskAdjoint.dtype, device: maskAdjoint.device);
}
