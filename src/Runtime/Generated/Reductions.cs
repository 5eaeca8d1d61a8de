using System;
using System.ComponentModel;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>Undoes reductions over lists of dimensions in generated tensor derivatives.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Reductions
{
    /// <summary>
    /// The shape a reduction of a tensor of <paramref name="shape"/> over <paramref name="dims"/> has with
    /// <c>keepdim: true</c>: <paramref name="shape"/> with each reduced dimension set to 1. Negative dimensions count
    /// from the end; an empty list reduces every dimension, as in PyTorch. Reshaping a reduction's result (or its
    /// adjoint) to this shape puts the reduced dimensions back whether or not the reduction kept them.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is outside the tensor's rank.</exception>
    public static long[] KeptShape(long[] shape, long[] dims)
    {
        var kept = (long[])shape.Clone();
        if (dims.Length == 0)
        {
            kept.AsSpan().Fill(1);
            return kept;
        }

        foreach (var dim in dims)
        {
            var d = dim < 0 ? dim + shape.Length : dim;
            if (d < 0 || d >= shape.Length)
                throw new ArgumentOutOfRangeException(nameof(dims), dim, $"Dimension {dim} is outside a tensor of rank {shape.Length} (shape [{string.Join(", ", shape)}]); use a dimension in [{-shape.Length}, {shape.Length - 1}].");
            kept[d] = 1;
        }

        return kept;
    }

    /// <summary>
    /// The adjoint of <c>amax</c> or <c>amin</c> over <paramref name="dims"/>, as PyTorch defines it: the output's adjoint
    /// <paramref name="gradient"/>, put back along the reduced dimensions and shared evenly among the elements of each slice
    /// that equal its extremum <paramref name="extremum"/> (the output, kept or not).
    /// </summary>
    public static Tensor ShareAmongTies(Tensor input, Tensor extremum, Tensor gradient, long[] dims)
    {
        var kept = KeptShape(input.shape, dims);
        using var restored = extremum.reshape(kept);
        using var ties = input.eq(restored);
        using var counts = ties.sum(dims, keepdim: true);
        using var spread = gradient.reshape(kept);
        using var share = spread.div(counts);
        return ties.mul(share);
    }

    /// <summary>
    /// The tangent of <c>amax</c> or <c>amin</c> over <paramref name="dims"/>, consistent with <see cref="ShareAmongTies"/>:
    /// the input's tangent <paramref name="tangent"/> averaged over the elements of each slice that equal its extremum
    /// <paramref name="extremum"/>, shaped like <paramref name="extremum"/> (kept or not).
    /// </summary>
    public static Tensor TiesTangent(Tensor input, Tensor extremum, Tensor tangent, long[] dims)
    {
        var kept = KeptShape(input.shape, dims);
        using var restored = extremum.reshape(kept);
        using var ties = input.eq(restored);
        using var counts = ties.sum(dims, keepdim: true);
        using var chosen = tangent.mul(ties);
        using var summed = chosen.sum(dims, keepdim: true);
        using var mean = summed.div(counts);
        return mean.reshape(extremum.shape);
    }

    /// <summary>
    /// The adjoint of a sum over dimension <paramref name="dim"/> of a tensor shaped like <paramref name="input"/>, spread
    /// back over it: the dimension is put back where the sum dropped it (read from the ranks, so it holds whether keepdim
    /// was set or left to its default).
    /// </summary>
    public static Tensor KeepDimension(Tensor gradient, Tensor input, long dim)
        => gradient.dim() < input.dim() ? gradient.unsqueeze(dim) : gradient;

    /// <summary>The adjoint of a mean over every element of a tensor shaped like <paramref name="input"/>: ḡ/n spread over it.</summary>
    public static Tensor SpreadMean(Tensor gradient, Tensor input) => gradient.div(input.numel()).expand_as(input);

    /// <summary>
    /// The adjoint of a cumulative sum along <paramref name="dim"/>: each position receives the sum of the gradient at
    /// itself and every later position, the cumulative sum taken from the other end.
    /// </summary>
    public static Tensor ReverseCumulativeSum(Tensor gradient, long dim)
    {
        var flipped = gradient.flip(dim);
        return flipped.cumsum(dim).flip(dim);
    }
}
