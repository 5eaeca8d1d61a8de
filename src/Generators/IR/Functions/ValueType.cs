namespace Leibniz.Generators.IR.Functions;

/// <summary>The types a differentiable function's values can have.</summary>
internal enum ValueType
{
    Double,
    Float,
    Int,
    Bool,
    DoubleArray,
    FloatArray,
    Tensor,

    /// <summary>A size or index (<c>x.size(0)</c>, <c>x.numel()</c>, a <c>long</c> loop counter): data, no derivative.</summary>
    Long,

    /// <summary>A tensor's element type (<c>x.dtype</c>), passed to a creation call: data.</summary>
    ScalarType,

    /// <summary>A tensor's device (<c>x.device</c>), passed to a creation call: data.</summary>
    Device,
}

internal static class ValueTypeFacts
{
    /// <summary>Whether values of this type carry a derivative.</summary>
    public static bool IsDifferentiable(this ValueType type)
        => type is ValueType.Double or ValueType.Float or ValueType.DoubleArray or ValueType.FloatArray or ValueType.Tensor;

    public static bool IsArray(this ValueType type) => type is ValueType.DoubleArray or ValueType.FloatArray;

    public static ValueType ElementType(this ValueType type) => type switch
    {
        ValueType.DoubleArray => ValueType.Double,
        ValueType.FloatArray => ValueType.Float,
        _ => type,
    };

    public static string CSharpName(this ValueType type) => type switch
    {
        ValueType.Double => "double",
        ValueType.Float => "float",
        ValueType.Int => "int",
        ValueType.Long => "long",
        ValueType.ScalarType => "global::TorchSharp.torch.ScalarType",
        ValueType.Device => "global::TorchSharp.torch.Device",
        ValueType.Bool => "bool",
        ValueType.DoubleArray => "double[]",
        ValueType.FloatArray => "float[]",
        ValueType.Tensor => "global::TorchSharp.torch.Tensor",
        _ => "object",
    };
}
