using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

/// <summary>
/// Code as users write it around sizes, creation and masks: loops to a size read from a tensor, start states and
/// constants created from sizes, reshapes by batch size, masks from comparisons and logical operations.
/// </summary>
public static partial class SizeAndCreationFunctions
{
    /// <summary>Creation and indices with their dtype written as an enum member, as most code writes it.</summary>
    [Differentiable]
    public static Tensor DtypeAsWritten(Tensor x)
    {
        var every = arange(0, x.shape[0], 2, dtype: ScalarType.Int64);
        var offset = ones(x.shape[1], dtype: ScalarType.Float64) * 0.5;
        return (x.index_select(0, every) * offset).tanh().sum() + x.to(ScalarType.Float64).pow(2).mean();
    }

    /// <summary>A recurrence over the time steps of xs [T, B, D], its start state created from the sizes it reads.</summary>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static Tensor Recurrence(Tensor xs, Tensor w)
    {
        var steps = xs.shape[0];
        var h = zeros(xs.shape[1], w.shape[1], dtype: xs.dtype);
        for (long t = 0; t < steps; t++)
            h = tanh(h + xs[t].matmul(w));
        return h.sum();
    }

    /// <summary>The same recurrence with an int counter compared against x.size(0), and the start state from zeros_like.</summary>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static Tensor RecurrenceBySize(Tensor xs, Tensor w)
    {
        var h = zeros_like(xs[0]);
        for (var t = 0; t < xs.size(0); t++)
            h = tanh(h * w + xs[t]);
        return (h * h).sum();
    }

    /// <summary>A reshape by the batch size read from the input, and a mean by its element count.</summary>
    [Differentiable]
    public static Tensor FlattenByBatch(Tensor x)
    {
        var batch = x.shape[0];
        var rows = x.reshape(batch, -1);
        return (rows * rows).sum() / x.numel();
    }

    /// <summary>The last dimension by rank: x.dim() - 1 and x.shape.Length - 1.</summary>
    [Differentiable]
    public static Tensor SumOverLast(Tensor x)
    {
        var last = x.dim() - 1;
        var y = x.sum(last);
        var z = x.sum(x.shape.Length - 1, keepdim: true);
        return y.pow(2).sum() + (z.squeeze(-1) * y).sum();
    }

    /// <summary>Masks from comparison operators, logical operations and value tests, used by where and masked_fill.</summary>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static Tensor Masks(Tensor x)
    {
        var inside = logical_and(x > -1, x < 1);
        var usable = inside.logical_and(isfinite(x)).logical_or(x.isnan());
        var kept = where(usable, x * x, x);
        return kept.sum() + x.masked_fill(logical_not(x > 0), 0.0).pow(3).sum();
    }

    /// <summary>NoDerivative on a tensor expression, and detach: both are constants to the derivative.</summary>
    [Differentiable]
    public static Tensor Detached(Tensor x)
    {
        var scale = Derivatives.NoDerivative(x.abs().max());
        var frozen = x.detach();
        return (x * scale).sum() + (x * frozen).sum();
    }

    /// <summary>Creation calls with the dtype the code asks for: arange and eye of x's dtype, ones of its shape.</summary>
    [Differentiable]
    public static Tensor CreatedWithDtype(Tensor x)
    {
        var positions = arange(x.shape[1], dtype: x.dtype);
        var identity = eye(x.shape[1], dtype: x.dtype, device: x.device);
        var all = ones(x.shape[0], x.shape[1], dtype: x.dtype);
        return (x * positions).sum() + x.matmul(identity).pow(2).sum() + (all * x).sum();
    }

    /// <summary>
    /// Creation calls that leave dtype and device to their default: the generated code creates them beside x, so the dot
    /// product works for float64 inputs too (plain TorchSharp would make float32 ones and refuse the dot product).
    /// </summary>
    [Differentiable]
    public static Tensor CreatedBesideInput(Tensor x)
    {
        var weights = ones(x.shape[0]);
        var identity = eye(x.shape[0]);
        return weights.matmul(x * x).sum() + identity.matmul(x).sum();
    }
}
