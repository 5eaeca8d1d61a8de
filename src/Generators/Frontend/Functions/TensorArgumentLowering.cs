using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>
/// The arguments of a TorchSharp call that are not one IR value: constants spelled with the type the bound overload takes,
/// arrays of dimensions, lists of tensors and tensor indices packed into operands, and sizes a backward repeats.
/// </summary>
internal sealed class TensorArgumentLowering
{
    /// <summary>The element type of the pack an indexer's indices are lowered into.</summary>
    public const string TensorIndexType = "global::TorchSharp.torch.TensorIndex";

    readonly LoweringContext _context;
    readonly FunctionBuilder _builder;
    readonly ExpressionLowering _expressions;

    public TensorArgumentLowering(LoweringContext context, FunctionBuilder builder, ExpressionLowering expressions)
    {
        _context = context;
        _builder = builder;
        _expressions = expressions;
    }

    /// <summary>An argument of one value, as an operand.</summary>
    public Operand Lower(IOperation value)
    {
        // The literal 0 converts to any enum, so t.sum(0) binds to sum(ScalarType?): a constant passed to a long parameter
        // keeps its L, or the generated call could pick another overload than the user's.
        var parameterType = value.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : value.Type;
        if (parameterType?.SpecialType == SpecialType.System_Int64 && value.ConstantValue is { HasValue: true, Value: { } longConstant } && IRTypes.IsIntegral(parameterType))
            return ConstantOperands.LongLiteral(System.Convert.ToInt64(longConstant, CultureInfo.InvariantCulture));

        // A constant passed to a nullable parameter (squeeze(0L) into long?) is lowered as the constant itself: the
        // conversion to Nullable<T> has no constant value, and the literal alone would lower as a double.
        while (value is IConversionOperation { IsImplicit: true } conversion && conversion.Operand.Type?.TypeKind != TypeKind.Enum
            && (IRTypes.Of(conversion.Operand.Type) is not null || (conversion.Conversion.IsNullable && conversion.Operand.ConstantValue.HasValue)))
            value = conversion.Operand;

        if (value.ConstantValue is { HasValue: true } constant)
        {
            if (value.Type?.TypeKind == TypeKind.Enum && value is IFieldReferenceOperation field)
                return new CodeLiteral(field.Field.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + field.Field.Name);
            if (constant.Value is null) return new CodeLiteral("null");
            // einsum's equation: kept as the literal the user wrote.
            if (constant.Value is string text) return new CodeLiteral(Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(text, quote: true));
            // A long (2L) would otherwise print as the double 2.0, which no long parameter takes.
            if (constant.Value is long longValue) return ConstantOperands.LongLiteral(longValue);
            if (value.Type is { } integral && IRTypes.IsIntegral(integral) && constant.Value is not int) return ConstantOperands.Integer(System.Convert.ToInt64(constant.Value, CultureInfo.InvariantCulture));
            if (ConstantOperands.ToNumber(constant.Value) is { } number) return new Literal(number, IRTypes.Of(value.Type) ?? ValueType.Double);
        }

        // An enum member passed to a nullable parameter (dtype: ScalarType.Int64 into ScalarType?): the conversion has no
        // constant value, but the member is written back as it is.
        if (value is IConversionOperation { IsImplicit: true, Operand: IFieldReferenceOperation { Field.IsConst: true, Type.TypeKind: TypeKind.Enum } member })
            return new CodeLiteral(member.Field.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + member.Field.Name);
        if (ConstantSizes(value) is { } sizes) return sizes;
        if (TensorFact(value) is { } fact) return fact;
        return value.Syntax is ExpressionSyntax expression ? _expressions.Lower(expression) : new CodeLiteral(value.Syntax.ToString());
    }

    /// <summary>
    /// <c>x.dtype</c> or <c>x.device</c> passed to a call (<c>zeros(n, dtype: x.dtype)</c>): read into a local of its own, so
    /// that the IR sees the tensor it reads. Null for any other argument.
    /// </summary>
    Operand? TensorFact(IOperation value)
    {
        while (value is IConversionOperation { IsImplicit: true } conversion) value = conversion.Operand;
        if (value is not IPropertyReferenceOperation { Instance: { Type: INamedTypeSymbol receiver } instance } property || !IRTypes.IsTensor(receiver)) return null;
        var (fact, type) = property.Property.Name switch
        {
            "dtype" => ("DtypeOf", ValueType.ScalarType),
            "device" => ("DeviceOf", ValueType.Device),
            _ => (null, ValueType.Double),
        };
        if (fact is null || instance.Syntax is not ExpressionSyntax tensor) return null;
        var result = _builder.Locals.Temporary(type);
        _builder.Emit(new Assignment(result, TensorFactCalls.Of(fact, _expressions.Lower(tensor)), value.Syntax.ToString()));
        return new Variable(result);
    }

    /// <summary>
    /// An array written out in the call (<c>new long[] { 0, 2 }</c>, <c>new[] { a, b }</c>, a <c>params</c> list) of
    /// integers, tensors or tensor indices: one operand per element (several for a slice's bounds), and the pack that
    /// spells them back. False when the argument is no such array; null <paramref name="operands"/> when it is one
    /// that cannot be lowered (reported). An empty array is one operand, spelled whole, and no pack.
    /// </summary>
    public bool TryPack(IArgumentOperation argument, int parameter, int first, SyntaxNode call, out PackedArgument? pack, out List<Operand>? operands)
    {
        pack = null;
        operands = null;
        var value = argument.Value;
        while (value is IConversionOperation { IsImplicit: true } conversion) value = conversion.Operand;
        if (value is not IArrayCreationOperation creation || creation.Type is not IArrayTypeSymbol { Rank: 1 } arrayType) return false;

        var element = arrayType.ElementType;
        var isIndex = element.Name == "TensorIndex" && element.ContainingAssembly?.Name == LoweringContext.TorchSharpAssembly;
        if (!IRTypes.IsIntegral(element) && IRTypes.Of(element) != ValueType.Tensor && !isIndex) return false;

        var type = element.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        var values = creation.Initializer?.ElementValues ?? ImmutableArray<IOperation>.Empty;
        if (values.Length == 0)
        {
            if (creation.Initializer is null && creation.DimensionSizes.Any(d => d.ConstantValue is not { HasValue: true, Value: 0 })) return false;
            operands = new List<Operand> { new CodeLiteral($"global::System.Array.Empty<{type}>()") };
            return true;
        }

        var lowered = new List<Operand>();
        var patterns = new List<string>();
        foreach (var item in values)
        {
            if (isIndex)
            {
                if (!LowerTensorIndex(item, patterns, lowered, call)) return true;
                continue;
            }

            patterns.Add("{0}");
            lowered.Add(Lower(item));
        }

        pack = new PackedArgument(parameter, first, type, argument.ArgumentKind == ArgumentKind.ParamArray, patterns.ToEquatableArray());
        operands = lowered;
        return true;
    }

    /// <summary>
    /// One tensor index as a pattern over int operands. Integers become <c>TensorIndex.Single</c>; ranges and from-end
    /// indices (<c>1..^1</c>, <c>^2</c>) keep their C# form under a cast, so TorchSharp's own conversion reads them;
    /// <c>TensorIndex.Slice/Single/Ellipsis/None/Colon</c> keep theirs. Tensor and bool indices (advanced indexing) read
    /// a position more than once or by mask, which writing the adjoint back through the indices would not undo: refused.
    /// </summary>
    public bool LowerTensorIndex(IOperation index, List<string> patterns, List<Operand> operands, SyntaxNode call)
    {
        var value = index;
        if (value is IConversionOperation { IsImplicit: true, Operand: var converted } && value.Type?.Name == "TensorIndex") value = converted;
        while (value is IConversionOperation { IsImplicit: true, OperatorMethod: null, Operand.Type: { } from } widening && IRTypes.IsIntegral(from)) value = widening.Operand;

        switch (value)
        {
            case { Type: { } type } when IRTypes.IsIntegral(type):
                patterns.Add(TensorIndexType + ".Single({0})");
                operands.Add(Lower(value));
                return true;
            case IRangeOperation range:
            {
                var start = RangeBound(range.LeftOperand, operands, 0);
                var end = RangeBound(range.RightOperand, operands, start.Operands);
                if (start.Text is null || end.Text is null) break;
                patterns.Add($"({TensorIndexType})({start.Text}..{end.Text})");
                return true;
            }
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat }:
            {
                var bound = RangeBound(value, operands, 0);
                if (bound.Text is null) break;
                patterns.Add($"({TensorIndexType})({bound.Text})");
                return true;
            }
            case IFieldReferenceOperation { Field: { IsStatic: true, Name: "Ellipsis" or "None" or "Colon" } field } when field.ContainingType.Name == "TensorIndex":
                patterns.Add(TensorIndexType + "." + field.Name);
                return true;
            case IInvocationOperation { TargetMethod: { Name: "Slice" or "Single" } method } invocation when method.ContainingType.Name == "TensorIndex"
                && method.ContainingAssembly?.Name == LoweringContext.TorchSharpAssembly:
            {
                if (invocation.Arguments.Length == 1 && invocation.Arguments[0].Value.Type?.Name == "Range")
                    return LowerTensorIndex(invocation.Arguments[0].Value, patterns, operands, call);
                if (!method.Parameters.All(p => p.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } n && IRTypes.IsIntegral(n.TypeArguments[0]))) break;
                var parts = new List<string>();
                foreach (var argument in invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
                {
                    var bound = argument.Value;
                    while (bound is IConversionOperation { IsImplicit: true } conversion) bound = conversion.Operand;
                    if (argument.ArgumentKind == ArgumentKind.DefaultValue || bound.ConstantValue is { HasValue: true, Value: null })
                    {
                        parts.Add("null");
                        continue;
                    }

                    if (bound.Type is not { } boundType || !IRTypes.IsIntegral(boundType)) return RefuseIndex(index, call);
                    parts.Add("{" + parts.Count(p => p != "null").ToString(CultureInfo.InvariantCulture) + "}");
                    operands.Add(Lower(bound));
                }

                patterns.Add($"{TensorIndexType}.{method.Name}({string.Join(", ", parts)})");
                return true;
            }
        }

        return RefuseIndex(index, call);
    }

    bool RefuseIndex(IOperation index, SyntaxNode call)
    {
        _builder.Diagnostics.Unsupported(call, $"indexing a tensor with '{LoweringDiagnostics.Shorten(index.Syntax.ToString())}': only integers, ranges, ^n and TensorIndex.Slice/Single/Ellipsis/None/Colon are differentiated; for tensor (advanced) indices use index_select or gather");
        return false;
    }

    /// <summary>A range's bound or a from-end index as C# over int operands numbered from <paramref name="first"/>: <c>{0}</c>, <c>^{0}</c>, or nothing.</summary>
    (string? Text, int Operands) RangeBound(IOperation? bound, List<Operand> operands, int first)
    {
        if (bound is null) return ("", 0);
        var fromEnd = false;
        while (bound is IConversionOperation { IsImplicit: true } conversion) bound = conversion.Operand;
        if (bound is IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat } hat)
        {
            fromEnd = true;
            bound = hat.Operand;
            while (bound is IConversionOperation { IsImplicit: true } conversion) bound = conversion.Operand;
        }

        if (bound.Type?.SpecialType != SpecialType.System_Int32) return (null, 0);
        operands.Add(Lower(bound));
        return ((fromEnd ? "^" : "") + "{" + first.ToString(CultureInfo.InvariantCulture) + "}", 1);
    }

    /// <summary>
    /// A size argument (<c>long[]</c>, <c>(long, long)</c>) as C#: a constant array or tuple is repeated verbatim in the
    /// backward, which reads it again. Null when <paramref name="value"/> is not a size; anything else is reported.
    /// </summary>
    Operand? ConstantSizes(IOperation value)
    {
        if (!IsSizes(value.Type)) return null;
        if (value.Syntax is not ExpressionSyntax syntax) return null;
        var elements = syntax switch
        {
            ArrayCreationExpressionSyntax { Initializer: { } initializer } => initializer.Expressions.ToList(),
            ImplicitArrayCreationExpressionSyntax creation => creation.Initializer.Expressions.ToList(),
            CollectionExpressionSyntax collection when collection.Elements.All(e => e is ExpressionElementSyntax)
                => collection.Elements.Cast<ExpressionElementSyntax>().Select(e => e.Expression).ToList(),
            TupleExpressionSyntax tuple => tuple.Arguments.Select(a => a.Expression).ToList(),
            _ => null,
        };

        var sizes = elements?.Select(e => _context.ConstantOf(e) is { HasValue: true, Value: int or long } c ? System.Convert.ToInt64(c.Value, CultureInfo.InvariantCulture) : (long?)null).ToList();
        if (sizes is null || sizes.Any(s => s is null))
        {
            _builder.Diagnostics.Unsupported(syntax, "sizes, strides, padding and dilation must be constants written at the call (new long[] { 2, 2 }, or (2, 2)), which the generated backward repeats");
            return new CodeLiteral("null");
        }

        var text = string.Join(", ", sizes.Select(s => s!.Value.ToString(CultureInfo.InvariantCulture)));
        return new CodeLiteral(syntax is TupleExpressionSyntax ? "(" + text + ")" : "new long[] { " + text + " }");
    }

    static bool IsSizes(ITypeSymbol? type) => type switch
    {
        IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Int64 } => true,
        INamedTypeSymbol { IsTupleType: true } tuple => tuple.TupleElements.All(e => e.Type.SpecialType == SpecialType.System_Int64),
        INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable => IsSizes(nullable.TypeArguments[0]),
        _ => false,
    };
}
