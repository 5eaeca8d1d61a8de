using System.ComponentModel;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>
/// <c>nn.functional.max_pool2d</c> in a generated forward sweep, split in two so the backward can read where each
/// maximum was: <see cref="Indices(Tensor, long[], long[], long[], long[], bool)"/> (which input position won each
/// window, kept for the reverse sweep), then <see cref="Gather"/> (the pooled values, read at those positions). The
/// <c>Indices</c> overloads mirror <c>max_pool2d</c>'s, argument for argument.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class MaxPool2dSelection
{
    /// <summary>For each output position, the index (within its input plane, flattened H·W) of the window's maximum, as <c>max_pool2d_with_indices</c> picks it.</summary>
    /// <param name="input">(N, C, H, W) or unbatched (C, H, W).</param>
    /// <param name="kernel_size">The window: one value or one per spatial dimension.</param>
    /// <param name="strides">The step; null for the window.</param>
    /// <param name="padding">Implicit −∞ padding on both sides; null for 0.</param>
    /// <param name="dilation">The spacing of window elements; null for 1.</param>
    /// <param name="ceil_mode">Whether a last partial window counts.</param>
    public static Tensor Indices(Tensor input, long[] kernel_size, long[]? strides = null, long[]? padding = null, long[]? dilation = null, bool ceil_mode = false)
    {
        var (values, indices) = nn.functional.max_pool2d_with_indices(input, kernel_size, strides!, padding!, dilation!, ceil_mode);
        values.Dispose();
        return indices;
    }

    /// <inheritdoc cref="Indices(Tensor, long[], long[], long[], long[], bool)"/>
    /// <param name="input">(N, C, H, W) or unbatched (C, H, W).</param>
    /// <param name="kernel_size">The window, square.</param>
    /// <param name="stride">The step; null for the window.</param>
    /// <param name="padding">Implicit −∞ padding on both sides; null for 0.</param>
    /// <param name="dilation">The spacing of window elements; null for 1.</param>
    /// <param name="ceil_mode">Whether a last partial window counts.</param>
    public static Tensor Indices(Tensor input, long kernel_size, long? stride = null, long? padding = null, long? dilation = null, bool ceil_mode = false)
        => Indices(input, new[] { kernel_size, kernel_size }, Both(stride ?? kernel_size), Both(padding ?? 0), Both(dilation ?? 1), ceil_mode);

    /// <inheritdoc cref="Indices(Tensor, long[], long[], long[], long[], bool)"/>
    /// <param name="input">(N, C, H, W) or unbatched (C, H, W).</param>
    /// <param name="kernel_size">The window's height and width.</param>
    /// <param name="stride">The step per dimension; null for the window.</param>
    /// <param name="padding">Implicit −∞ padding per dimension; null for 0.</param>
    /// <param name="dilation">The spacing of window elements per dimension; null for 1.</param>
    /// <param name="ceil_mode">Whether a last partial window counts.</param>
    public static Tensor Indices(Tensor input, (long, long) kernel_size, (long, long)? stride = null, (long, long)? padding = null, (long, long)? dilation = null, bool ceil_mode = false)
        => Indices(input, Pair(kernel_size), Pair(stride ?? kernel_size), Pair(padding ?? (0, 0)), Pair(dilation ?? (1, 1)), ceil_mode);

    /// <summary>The pooled values: each plane of <paramref name="input"/> read at <paramref name="indices"/>.</summary>
    /// <param name="input">The pooling's input.</param>
    /// <param name="indices">What <c>Indices</c> returned for it.</param>
    public static Tensor Gather(Tensor input, Tensor indices)
        => input.flatten(-2).gather(-1, indices.flatten(-2)).view(indices.shape);

    /// <summary>
    /// x̄ for y = max_pool2d(x): each ȳ added back at the position its window's maximum came from. Overlapping windows
    /// that share a maximum add their adjoints there, as PyTorch's backward does.
    /// </summary>
    /// <param name="outputAdjoint">ȳ.</param>
    /// <param name="input">x (only its shape, type and device are read).</param>
    /// <param name="indices">What <c>Indices</c> returned in the forward sweep.</param>
    public static Tensor Scatter(Tensor outputAdjoint, Tensor input, Tensor indices)
        => zeros_like(input).flatten(-2).scatter_add(-1, indices.flatten(-2), outputAdjoint.flatten(-2)).view(input.shape);

    static long[] Both(long value) => new[] { value, value };

    static long[] Pair((long, long) value) => new[] { value.Item1, value.Item2 };
}
