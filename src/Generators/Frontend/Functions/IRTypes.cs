using Microsoft.CodeAnalysis;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>
/// Which C# types the IR models, and as what. Everything else (<c>Scalar</c>, enums, <c>long[]</c>) is no IR value: it
/// may only pass through to a call as written.
/// </summary>
internal static class IRTypes
{
    /// <summary>The IR type of <paramref name="type"/>; null when the IR has none.</summary>
    public static ValueType? Of(ITypeSymbol? type) => type switch
    {
        INamedTypeSymbol named when IsTensor(named) => ValueType.Tensor,
        { SpecialType: SpecialType.System_Double } => ValueType.Double,
        { SpecialType: SpecialType.System_Single } => ValueType.Float,
        { SpecialType: SpecialType.System_Int32 } => ValueType.Int,
        { SpecialType: SpecialType.System_Int64 } => ValueType.Long,
        { SpecialType: SpecialType.System_Boolean } => ValueType.Bool,
        IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Double } => ValueType.DoubleArray,
        IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Single } => ValueType.FloatArray,
        _ => null,
    };

    /// <summary>Whether <paramref name="type"/> is TorchSharp's <c>Tensor</c> or derives from it (<c>Parameter</c>), by metadata name.</summary>
    public static bool IsTensor(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            if (t.MetadataName == "Tensor" && t.ContainingType?.MetadataName == "torch" && t.ContainingNamespace?.Name == "TorchSharp") return true;
        }

        return false;
    }

    /// <summary>
    /// The elements of a tuple of two to seven tensors (<c>(Tensor X, Tensor Mask)</c>), the form a model method takes
    /// several inputs in; null for any other type.
    /// </summary>
    public static System.Collections.Immutable.ImmutableArray<IFieldSymbol>? TensorTupleElements(ITypeSymbol? type)
        => type is INamedTypeSymbol { IsTupleType: true, TupleElements: { Length: >= 2 and <= 7 } elements }
           && System.Linq.Enumerable.All(elements, e => Of(e.Type) == ValueType.Tensor)
            ? elements
            : null;

    /// <summary>
    /// The TorchSharp module class <paramref name="type"/> is or derives from, nearest first (<c>nn.Module&lt;Tensor, Tensor&gt;</c>
    /// for a <c>Linear</c>, the non-generic <c>nn.Module</c> for a module of another shape); null for anything else.
    /// </summary>
    public static INamedTypeSymbol? TorchModule(ITypeSymbol? type)
    {
        for (var t = type as INamedTypeSymbol; t is not null; t = t.BaseType)
        {
            if (t.Name == "Module" && t.ContainingType?.Name == "nn" && t.ContainingAssembly?.Name == LoweringContext.TorchSharpAssembly) return t;
        }

        return null;
    }

    /// <summary>The integer types C# widens to <c>long</c> without a cast: what a TorchSharp size or index may be written in.</summary>
    public static bool IsIntegral(ITypeSymbol type) => type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16
        or SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_UInt16 or SpecialType.System_UInt32;
}
