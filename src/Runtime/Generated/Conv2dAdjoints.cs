using System;
using System.ComponentModel;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>
/// The adjoints of <c>nn.functional.conv2d</c> in generated derivatives, for any stride, padding, dilation and
/// groups. Each takes the convolution's arguments as the call passed them (null for a default, one value for both
/// spatial dimensions or one per dimension), so a generated backward repeats the forward call's arguments.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Conv2dAdjoints
{
    /// <summary>
    /// x̄ for y = conv2d(x, W): the transposed convolution of ȳ with the same W, stride, padding, dilation and groups.
    /// A strided convolution ignores the last (H + 2p − d(k − 1) − 1) mod s rows (and columns) of x; the transposed
    /// convolution's output padding restores them, as zeros, so x̄ has x's shape.
    /// </summary>
    /// <param name="outputAdjoint">ȳ, of the convolution's output shape.</param>
    /// <param name="input">x (only its shape is read).</param>
    /// <param name="weight">W, (C_out, C_in / groups, kH, kW).</param>
    /// <param name="strides">The forward call's strides; null for 1.</param>
    /// <param name="padding">The forward call's padding; null for 0.</param>
    /// <param name="dilation">The forward call's dilation; null for 1.</param>
    /// <param name="groups">The forward call's groups.</param>
    public static Tensor Input(Tensor outputAdjoint, Tensor input, Tensor weight, long[]? strides, long[]? padding, long[]? dilation, long groups)
    {
        var s = PerDimension(strides, 1, nameof(strides));
        var p = PerDimension(padding, 0, nameof(padding));
        var d = PerDimension(dilation, 1, nameof(dilation));
        var outputPadding = new long[2];
        for (var i = 0; i < 2; i++)
        {
            var inputSize = input.shape[input.dim() - 2 + i];
            var outputSize = outputAdjoint.shape[outputAdjoint.dim() - 2 + i];
            var kernel = weight.shape[2 + i];
            outputPadding[i] = inputSize - ((outputSize - 1) * s[i] - 2 * p[i] + d[i] * (kernel - 1) + 1);
        }

        var batched = outputAdjoint.dim() == 4 ? outputAdjoint : outputAdjoint.unsqueeze(0);
        var result = nn.functional.conv_transpose2d(batched, weight, null, s, p, outputPadding, d, groups);
        return outputAdjoint.dim() == 4 ? result : result.squeeze(0);
    }

    /// <summary>
    /// W̄ for y = conv2d(x, W): W̄[o, c, i, j] = Σ over n, h, w of ȳ[n, o, h, w]·x_padded[n, g(o)·C_in/G + c, h·s + i·d, w·s + j·d].
    /// That is itself a convolution, with the roles of stride and dilation swapped, of x (batch and channels exchanged,
    /// the G groups' channels side by side) by ȳ (batch and channels exchanged) in G groups; it can reach past the
    /// kernel where the forward ignored x's last rows, so the result is cut to the kernel's size.
    /// </summary>
    /// <param name="outputAdjoint">ȳ, of the convolution's output shape.</param>
    /// <param name="input">x.</param>
    /// <param name="weight">W (only its shape is read).</param>
    /// <param name="strides">The forward call's strides; null for 1.</param>
    /// <param name="padding">The forward call's padding; null for 0.</param>
    /// <param name="dilation">The forward call's dilation; null for 1.</param>
    /// <param name="groups">The forward call's groups.</param>
    public static Tensor Weight(Tensor outputAdjoint, Tensor input, Tensor weight, long[]? strides, long[]? padding, long[]? dilation, long groups)
    {
        var s = PerDimension(strides, 1, nameof(strides));
        var p = PerDimension(padding, 0, nameof(padding));
        var d = PerDimension(dilation, 1, nameof(dilation));
        using var scope = NewDisposeScope();
        var x = input.dim() == 4 ? input : input.unsqueeze(0);
        var g = outputAdjoint.dim() == 4 ? outputAdjoint : outputAdjoint.unsqueeze(0);
        long batch = x.shape[0], channels = x.shape[1], height = x.shape[2], width = x.shape[3];
        var perGroup = channels / groups;

        // x'[c, γ·N + n] = x[n, γ·C_in/G + c]: each group's channels become that group's block of N input channels.
        var inputs = x.reshape(batch, groups, perGroup, height, width).permute(2, 1, 0, 3, 4).reshape(perGroup, groups * batch, height, width);
        var kernels = g.transpose(0, 1);
        var full = nn.functional.conv2d(inputs, kernels, null, strides: d, padding: p, dilation: s, groups: groups);
        var result = full.narrow(2, 0, weight.shape[2]).narrow(3, 0, weight.shape[3]).transpose(0, 1).contiguous();
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>b̄ for y = conv2d(x, W, b): ȳ summed over every dimension but the channels (batch, height, width).</summary>
    /// <param name="outputAdjoint">ȳ, (N, C_out, H_out, W_out) or unbatched (C_out, H_out, W_out).</param>
    public static Tensor Bias(Tensor outputAdjoint)
        => outputAdjoint.dim() == 4 ? outputAdjoint.sum(new long[] { 0, 2, 3 }) : outputAdjoint.sum(new long[] { 1, 2 });

    /// <summary>A size argument as one value per spatial dimension, as libtorch reads it: null is the default, one value serves both.</summary>
    static long[] PerDimension(long[]? values, long fallback, string name) => values switch
    {
        null or { Length: 0 } => new[] { fallback, fallback },
        { Length: 1 } => new[] { values[0], values[0] },
        { Length: 2 } => values,
        _ => throw new ArgumentException($"conv2d's {name} has {values.Length} values ({string.Join(", ", values)}); pass one, or one per spatial dimension (two).", name),
    };
}
