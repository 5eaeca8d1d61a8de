using System.ComponentModel;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>
/// What generated code reads about a tensor without reading its values — sizes, rank, element type, device — as plain
/// calls the generator treats as data (no derivative flows through a size). For generated code: a user's
/// <c>x.shape[0]</c>, <c>x.size(0)</c>, <c>x.dim()</c> or <c>x.numel()</c> becomes one of these.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TensorFacts
{
    /// <summary>The size of <paramref name="tensor"/> along <paramref name="dimension"/> (<c>x.shape[d]</c>, <c>x.size(d)</c>); a negative dimension counts from the end.</summary>
    /// <exception cref="System.ArgumentOutOfRangeException">The tensor has no such dimension; the message names its shape.</exception>
    public static long Size(Tensor tensor, long dimension)
    {
        var shape = tensor.shape;
        var index = dimension < 0 ? dimension + shape.Length : dimension;
        if (index < 0 || index >= shape.Length)
            throw new System.ArgumentOutOfRangeException(nameof(dimension), dimension,
                $"A tensor of shape [{string.Join(", ", shape)}] has no dimension {dimension}; it has {shape.Length} (0 to {shape.Length - 1}, or -1 to -{shape.Length} from the end).");
        return shape[index];
    }

    /// <summary>The number of dimensions (<c>x.dim()</c>, <c>x.Dimensions</c>).</summary>
    public static long Dimensions(Tensor tensor) => tensor.Dimensions;

    /// <summary>The number of dimensions as C#'s <c>x.shape.Length</c> gives it.</summary>
    public static int Rank(Tensor tensor) => tensor.shape.Length;

    /// <summary>The number of elements (<c>x.numel()</c>).</summary>
    public static long Count(Tensor tensor) => tensor.numel();

    /// <summary>The element type (<c>x.dtype</c>): what a tensor created beside <paramref name="tensor"/> is made of.</summary>
    public static ScalarType DtypeOf(Tensor tensor) => tensor.dtype;

    /// <summary>The device (<c>x.device</c>): where a tensor created beside <paramref name="tensor"/> lives.</summary>
    public static Device DeviceOf(Tensor tensor) => tensor.device;
}
