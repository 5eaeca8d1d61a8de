using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.IR.Functions;
using Leibniz.Generators.Rules.Tensor;
using Leibniz.Generators.Transforms;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Frontend.Functions;

// The tensor arguments that are not one value: arrays of dimensions, lists of tensors and tensor indices packed into
// operands, defaults of omitted parameters, tuple results (max(dim)) read by element or deconstructed, and the check that
// no floating-point argument without a derivative depends on the differentiated inputs.
internal sealed partial class FunctionLowering
{
    readonly List<(string Variable, Location Location, string Code, string Api, string Parameter)> _scalarsWithoutDerivative = new();

    /// <summary>
    /// Reports each floating-point argument that a tensor rule takes no derivative in (a slope, an exponent, a scale)
    /// and that depends on a differentiated input: its share of the derivative would be dropped, so the method is
    /// refused instead. Whether it depends on one is the forward half of activity analysis over the lowered body.
    /// </summary>
    bool ReportScalarsWithoutDerivative(FunctionSpec spec)
    {
        if (_scalarsWithoutDerivative.Count == 0) return false;
        var assignments = new List<Assignment>();
        ActivityAnalysis.Collect(spec.Body, assignments);
        var varied = new HashSet<string>(spec.Parameters.Where(p => p.HasAdjoint).Select(p => p.Name));
        bool changed;
        do
        {
            changed = false;
            foreach (var assignment in assignments)
            {
                if (!varied.Contains(assignment.Target) && ActivityAnalysis.DifferentiableInputs(assignment.Value).Any(varied.Contains))
                    changed |= varied.Add(assignment.Target);
            }
        }
        while (changed);

        var reported = false;
        foreach (var scalar in _scalarsWithoutDerivative.Where(s => varied.Contains(s.Variable)))
        {
            Report(DiagnosticDescriptors.UnsupportedStatement, scalar.Location, scalar.Code, _method.Name,
                $"'{scalar.Api}' has no derivative in its argument '{scalar.Parameter}', which depends on the differentiated inputs; pass a value that does not, or wrap it in NoDerivative(...) if its derivative should be zero");
            reported = true;
        }

        return reported;
    }

    static int TupleElement(IFieldSymbol field)
    {
        var elements = field.ContainingType.TupleElements;
        for (var i = 0; i < elements.Length; i++)
        {
            if (SymbolEqualityComparer.Default.Equals(elements[i], field) || SymbolEqualityComparer.Default.Equals(elements[i].CorrespondingTupleField, field.CorrespondingTupleField))
                return i;
        }

        return -1;
    }

    /// <summary>
    /// <c>var (values, indexes) = x.max(1)</c> and <c>(v, _) = …</c>: each element the caller keeps becomes its own call
    /// reading that element, so each is a tensor value like any other (the indices carry no derivative).
    /// </summary>
    void LowerDeconstruction(AssignmentExpressionSyntax assignment)
    {
        if (assignment.Right is not InvocationExpressionSyntax invocation
            || _model.GetSymbolInfo(invocation, _cancellationToken).Symbol is not IMethodSymbol { ContainingAssembly.Name: TorchSharpAssembly, ReturnType: INamedTypeSymbol { IsTupleType: true } } callee)
        {
            Unsupported(assignment, "deconstructing anything but a TorchSharp call returning a tuple of tensors (max(dim), min(dim))");
            return;
        }

        var targets = DeconstructionTargets(assignment.Left);
        if (targets is null || targets.Count != ((INamedTypeSymbol)callee.ReturnType).TupleElements.Length)
        {
            Unsupported(assignment, "this form of deconstruction; write var (a, b) = … or (a, b) = … with one name or _ per element");
            return;
        }

        TensorCall? first = null;
        for (var i = 0; i < targets.Count; i++)
        {
            if (targets[i] is not { } target) continue;
            string? name;
            switch (_model.GetSymbolInfo(target, _cancellationToken).Symbol ?? _model.GetDeclaredSymbol(target, _cancellationToken))
            {
                case ILocalSymbol local when TypeOf(local.Type) == ValueType.Tensor:
                    name = NameOf(local, ValueType.Tensor);
                    break;
                default:
                    Unsupported(target, "a deconstruction target that is not a Tensor local");
                    continue;
            }

            // The arguments are lowered once; each further element reads the same call's other member.
            var lowered = first is null ? LowerTensorCall(invocation, callee, i) : WithMember(first, callee, i, invocation);
            if (lowered is null) return;
            first ??= lowered as TensorCall;
            var output = Temporary(ValueType.Tensor);
            Emit(new Assignment(output, lowered, assignment.ToString()));
            Emit(new Assignment(name, new CopyExpression(new Variable(output)), assignment.ToString()));
        }
    }

    TensorCall? WithMember(TensorCall call, IMethodSymbol callee, int member, SyntaxNode source)
    {
        var name = ((INamedTypeSymbol)callee.ReturnType).TupleElements[member].Name;
        var (key, signature) = TensorKeys(callee, "." + name);
        if (!TensorRules.TryGetRow(signature, out var rule) && !TensorRules.TryGetRow(key, out rule))
        {
            Report(DiagnosticDescriptors.NonDifferentiableCall, source.GetLocation(), callee.ToDisplayString() + "." + name, callee.Name);
            return null;
        }

        return call with { Key = key, Rule = PackedArgument.KeyOf(rule.Key, call.Packs), Member = name };
    }

    /// <summary>An API's keys in the tensor table: <c>Tensor.max</c>, and with its parameter types, <c>Tensor.max(long, bool)</c>; <paramref name="suffix"/> names a tuple element.</summary>
    static (string Key, string Signature) TensorKeys(IMethodSymbol callee, string suffix)
    {
        var owner = callee.IsStatic ? TorchPath(callee.ContainingType) : "Tensor";
        var parameters = string.Join(", ", callee.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
        return (owner + "." + callee.Name + suffix, owner + "." + callee.Name + "(" + parameters + ")" + suffix);
    }

    /// <summary>The syntax naming each element's target, null for a discard; null when the form is not understood.</summary>
    static List<SyntaxNode?>? DeconstructionTargets(ExpressionSyntax left)
    {
        var targets = new List<SyntaxNode?>();
        switch (left)
        {
            case DeclarationExpressionSyntax { Designation: ParenthesizedVariableDesignationSyntax designation }:
                foreach (var variable in designation.Variables)
                {
                    if (variable is DiscardDesignationSyntax) targets.Add(null);
                    else if (variable is SingleVariableDesignationSyntax single) targets.Add(single);
                    else return null;
                }

                return targets;
            case TupleExpressionSyntax tuple:
                foreach (var argument in tuple.Arguments)
                {
                    switch (argument.Expression)
                    {
                        case IdentifierNameSyntax { Identifier.Text: "_" }:
                        case DeclarationExpressionSyntax { Designation: DiscardDesignationSyntax }:
                            targets.Add(null);
                            break;
                        case IdentifierNameSyntax identifier:
                            targets.Add(identifier);
                            break;
                        case DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax single }:
                            targets.Add(single);
                            break;
                        default:
                            return null;
                    }
                }

                return targets;
            default:
                return null;
        }
    }

    /// <summary>
    /// An array written out in the call (<c>new long[] { 0, 2 }</c>, <c>new[] { a, b }</c>, a <c>params</c> list) of
    /// integers, tensors or tensor indices: one operand per element (several for a slice's bounds), and the pack that
    /// spells them back. False when the argument is no such array; null <paramref name="operands"/> when it is one
    /// that cannot be lowered (reported). An empty array is one operand, spelled whole, and no pack.
    /// </summary>
    bool TryPack(IArgumentOperation argument, int parameter, int first, SyntaxNode call, out PackedArgument? pack, out List<Operand>? operands)
    {
        pack = null;
        operands = null;
        var value = argument.Value;
        while (value is IConversionOperation { IsImplicit: true } conversion) value = conversion.Operand;
        if (value is not IArrayCreationOperation creation || creation.Type is not IArrayTypeSymbol { Rank: 1 } arrayType) return false;

        var element = arrayType.ElementType;
        var isIndex = element.Name == "TensorIndex" && element.ContainingAssembly?.Name == TorchSharpAssembly;
        if (!IsIntegral(element) && TypeOf(element) != ValueType.Tensor && !isIndex) return false;

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
            lowered.Add(LowerArgument(item));
        }

        pack = new PackedArgument(parameter, first, type, argument.ArgumentKind == ArgumentKind.ParamArray, patterns.ToEquatableArray());
        operands = lowered;
        return true;
    }

    const string TensorIndexType = "global::TorchSharp.torch.TensorIndex";

    /// <summary>
    /// <c>x[…]</c> on a tensor, whichever TorchSharp indexer it binds to, as the call <c>x.index(…)</c> that every one of
    /// them makes, so the table's row for <c>index</c> differentiates it.
    /// </summary>
    Expression? LowerTensorIndexer(ElementAccessExpressionSyntax element)
    {
        if (_model.GetOperation(element, _cancellationToken) is not IPropertyReferenceOperation { Property.IsIndexer: true } indexer
            || indexer.Property.ContainingAssembly?.Name != TorchSharpAssembly || !TensorRules.TryGetRow(IndexRow, out var rule))
        {
            Unsupported(element, "indexing a tensor through anything but TorchSharp's indexers");
            return null;
        }

        var receiver = Lower(element.Expression);
        var patterns = new List<string>();
        var operands = new List<Operand>();
        foreach (var argument in indexer.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
        {
            var items = argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } initializer }
                ? initializer.ElementValues
                : ImmutableArray.Create(argument.Value);
            foreach (var item in items)
                if (!LowerTensorIndex(item, patterns, operands, element)) return null;
        }

        var pack = new PackedArgument(1, 1, TensorIndexType, true, patterns.ToEquatableArray());
        var arguments = new[] { receiver }.Concat(operands).ToEquatableArray();
        var names = new[] { "this" }.Concat(operands.Select(_ => "indices")).ToEquatableArray();
        return new TensorCall("Tensor.index", PackedArgument.KeyOf(rule.Key, new[] { pack }), CallForm.Instance, "index", arguments, names)
        {
            Packs = new[] { pack }.ToEquatableArray(),
        };
    }

    const string IndexRow = "Tensor.index(TensorIndex[])";

    /// <summary>
    /// One tensor index as a pattern over int operands. Integers become <c>TensorIndex.Single</c>; ranges and from-end
    /// indices (<c>1..^1</c>, <c>^2</c>) keep their C# form under a cast, so TorchSharp's own conversion reads them;
    /// <c>TensorIndex.Slice/Single/Ellipsis/None/Colon</c> keep theirs. Tensor and bool indices (advanced indexing) read
    /// a position more than once or by mask, which writing the adjoint back through the indices would not undo: refused.
    /// </summary>
    bool LowerTensorIndex(IOperation index, List<string> patterns, List<Operand> operands, SyntaxNode call)
    {
        var value = index;
        if (value is IConversionOperation { IsImplicit: true, Operand: var converted } && value.Type?.Name == "TensorIndex") value = converted;
        while (value is IConversionOperation { IsImplicit: true, OperatorMethod: null, Operand.Type: { } from } widening && IsIntegral(from)) value = widening.Operand;

        switch (value)
        {
            case { Type: { } type } when IsIntegral(type):
                patterns.Add(TensorIndexType + ".Single({0})");
                operands.Add(LowerArgument(value));
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
                && method.ContainingAssembly?.Name == TorchSharpAssembly:
            {
                if (invocation.Arguments.Length == 1 && invocation.Arguments[0].Value.Type?.Name == "Range")
                    return LowerTensorIndex(invocation.Arguments[0].Value, patterns, operands, call);
                if (!method.Parameters.All(p => p.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } n && IsIntegral(n.TypeArguments[0]))) break;
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

                    if (bound.Type is not { } boundType || !IsIntegral(boundType)) return RefuseIndex(index, call);
                    parts.Add("{" + parts.Count(p => p != "null").ToString(CultureInfo.InvariantCulture) + "}");
                    operands.Add(LowerArgument(bound));
                }

                patterns.Add($"{TensorIndexType}.{method.Name}({string.Join(", ", parts)})");
                return true;
            }
        }

        return RefuseIndex(index, call);
    }

    bool RefuseIndex(IOperation index, SyntaxNode call)
    {
        Unsupported(call, $"indexing a tensor with '{Shorten(index.Syntax.ToString())}': only integers, ranges, ^n and TensorIndex.Slice/Single/Ellipsis/None/Colon are differentiated; for tensor (advanced) indices use index_select or gather");
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
        operands.Add(LowerArgument(bound));
        return ((fromEnd ? "^" : "") + "{" + first.ToString(CultureInfo.InvariantCulture) + "}", 1);
    }

    /// <summary>The declared default of an optional parameter, as an operand a template can print.</summary>
    static Operand? DefaultOf(IParameterSymbol? parameter)
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

    /// <summary>An integer constant: an int literal where it fits (C# widens it to the long TorchSharp takes), else a long one.</summary>
    /// <summary>
    /// A long constant spelled as one (<c>0L</c>): an int literal would let C# pick another overload — <c>x.sum(0)</c>
    /// binds to <c>sum(ScalarType?)</c> and sums everything into bytes (NATIVE.md).
    /// </summary>
    static Operand LongLiteral(long value)
        => new CodeLiteral(value < 0 ? "(" + value.ToString(CultureInfo.InvariantCulture) + "L)" : value.ToString(CultureInfo.InvariantCulture) + "L");

    static Operand Integer(long value)
        => value is >= int.MinValue and <= int.MaxValue ? new Literal(value, ValueType.Int) : new CodeLiteral(value.ToString(CultureInfo.InvariantCulture) + "L");

    static bool IsIntegral(ITypeSymbol type) => type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16
        or SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_UInt16 or SpecialType.System_UInt32;
}
