using System.Globalization;
using Leibniz.Generators.IR.Functions;
using Microsoft.CodeAnalysis;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>Constants C# knows at compile time, as the operands that print them back with the type C# gave them.</summary>
internal static class ConstantOperands
{
    /// <summary>A numeric or boolean constant as the double the IR's <see cref="Literal"/> holds; null for anything else.</summary>
    public static double? ToNumber(object? value) => value switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        bool b => b ? 1 : 0,
        _ => null,
    };

    /// <summary>
    /// A long constant spelled as one (<c>0L</c>): an int literal would let C# pick another overload — <c>x.sum(0)</c>
    /// binds to <c>sum(ScalarType?)</c> and sums everything into bytes (NATIVE.md).
    /// </summary>
    public static Operand LongLiteral(long value)
        => new CodeLiteral(value < 0 ? "(" + value.ToString(CultureInfo.InvariantCulture) + "L)" : value.ToString(CultureInfo.InvariantCulture) + "L");

    /// <summary>An integer constant: an int literal where it fits (C# widens it to the long TorchSharp takes), else a long one.</summary>
    public static Operand Integer(long value)
        => value is >= int.MinValue and <= int.MaxValue ? new Literal(value, ValueType.Int) : new CodeLiteral(value.ToString(CultureInfo.InvariantCulture) + "L");

    /// <summary>The declared default of an optional parameter, as an operand a template can print.</summary>
    public static Operand? DefaultOf(IParameterSymbol? parameter)
    {
        if (parameter is null || !parameter.HasExplicitDefaultValue) return null;
        var value = parameter.ExplicitDefaultValue;
        if (value is null) return new CodeLiteral("null");
        var type = parameter.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : parameter.Type;
        if (type.TypeKind == TypeKind.Enum)
            return new CodeLiteral($"(({type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}){System.Convert.ToString(value, CultureInfo.InvariantCulture)})");

        return value switch
        {
            // A non-finite default has no literal a template could repeat.
            double d => double.IsNaN(d) || double.IsInfinity(d) ? null : new Literal(d, ValueType.Double),
            float f => float.IsNaN(f) || float.IsInfinity(f) ? null : new Literal(f, ValueType.Float),
            bool b => new Literal(b ? 1 : 0, ValueType.Bool),
            long l => LongLiteral(l),
            _ when value is int or short or byte or sbyte or ushort or uint => Integer(System.Convert.ToInt64(value, CultureInfo.InvariantCulture)),
            _ => null,
        };
    }
}
