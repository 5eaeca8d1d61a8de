using System;
using System.ComponentModel;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>Undoes broadcasting in generated tensor derivatives.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Broadcasting
{
    /// <summary>
    /// Sums <paramref name="gradient"/> down to <paramref name="shape"/>, the shape of the operand that
    /// was broadcast: leading dimensions the operand lacked are summed away, and dimensions where it
    /// had size 1 are summed with <c>keepdim</c>. Returns <paramref name="gradient"/> itself when the
    /// shapes already agree.
    /// </summary>
    /// <exception cref="ArgumentException">The gradient's shape is not a broadcast of <paramref name="shape"/>.</exception>
    public static Tensor SumToShape(Tensor gradient, long[] shape)
    {
        var gradientShape = gradient.shape;
        if (gradientShape.AsSpan().SequenceEqual(shape)) return gradient;

        var extra = gradientShape.Length - shape.Length;
        if (extra < 0)
            throw new ArgumentException($"A gradient of shape [{string.Join(", ", gradientShape)}] cannot be summed to the larger shape [{string.Join(", ", shape)}].", nameof(gradient));

        var result = gradient;
        if (extra > 0)
        {
            var leading = new long[extra];
            for (var i = 0; i < extra; i++) leading[i] = i;
            result = result.sum(leading, keepdim: false);
        }

        for (var d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1 && result.shape[d] != 1) result = result.sum((long)d, keepdim: true);
            else if (shape[d] != result.shape[d])
                throw new ArgumentException($"A gradient of shape [{string.Join(", ", gradientShape)}] is not a broadcast of [{string.Join(", ", shape)}] (dimension {d}).", nameof(gradient));
        }

        return result;
    }

    /// <summary>Sums <paramref name="gradient"/> down to the shape of <paramref name="operand"/>, the value that was broadcast.</summary>
    /// <exception cref="ArgumentException">The gradient's shape is not a broadcast of the operand's.</exception>
    public static Tensor SumToShapeOf(Tensor gradient, Tensor operand) => SumToShape(gradient, operand.shape);
}
