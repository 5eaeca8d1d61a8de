using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.IR.Functions;
using Leibniz.Generators.Rules.Tensor;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>
/// TorchSharp calls, operators and indexers to <see cref="TensorCall"/>s: the overload C# bound is looked up in the tensor
/// table (by its signature, then by its name), and its arguments are laid out as the row numbers them — the receiver
/// first, a packed list as one parameter (<see cref="TensorArgumentLowering"/>), an omitted one as its default.
/// </summary>
internal sealed class TensorCallLowering
{
    const string Conv2dKey = "nn.functional.conv2d";
    const string IndexRow = "Tensor.index(TensorIndex[])";

    readonly LoweringContext _context;
    readonly FunctionBuilder _builder;
    readonly ExpressionLowering _expressions;
    readonly TensorArgumentLowering _arguments;
    readonly LayerLowering _layers;

    public TensorCallLowering(LoweringContext context, FunctionBuilder builder, ExpressionLowering expressions)
    {
        _context = context;
        _builder = builder;
        _expressions = expressions;
        _arguments = new TensorArgumentLowering(context, builder, expressions);
        _layers = new LayerLowering(builder, _arguments);
    }

    /// <summary>An operator on tensors (<c>a * b</c>, <c>-a</c>), lowered as the call of its operator method.</summary>
    public Expression? LowerOperator(ExpressionSyntax syntax, IMethodSymbol method, ExpressionSyntax[] operands, string token)
    {
        var key = "Tensor." + method.Name;
        if (!TensorRules.TryGet(key, out var rule))
        {
            _builder.Diagnostics.NoDerivative(syntax.GetLocation(), $"operator {token} on tensors", method);
            return null;
        }

        if (!_builder.WithoutDerivative) _builder.Forward?.CheckTensorRule(rule, syntax);
        var arguments = operands.Select(_expressions.Lower).ToEquatableArray();
        var names = method.Parameters.Select(p => p.Name).ToEquatableArray();
        return new TensorCall(key, rule.Key, CallForm.Operator, token, arguments, names);
    }

    /// <summary>
    /// <c>h += x</c> on tensors as <c>h = h + x</c>: a new tensor, so the old <c>h</c> stays intact for the backward. False
    /// when the compound assignment is not a TorchSharp operator.
    /// </summary>
    public bool TryLowerCompoundAssignment(AssignmentExpressionSyntax assignment, string name)
    {
        if (_context.OperationOf(assignment) is not ICompoundAssignmentOperation { OperatorMethod: { } tensorOperator }
            || tensorOperator.ContainingAssembly?.Name != LoweringContext.TorchSharpAssembly)
            return false;

        var key = "Tensor." + tensorOperator.Name;
        if (!TensorRules.TryGet(key, out var rule))
        {
            _builder.Diagnostics.NoDerivative(assignment.GetLocation(), $"operator {assignment.OperatorToken.Text} on tensors", tensorOperator);
            return true;
        }

        if (!_builder.WithoutDerivative) _builder.Forward?.CheckTensorRule(rule, assignment);
        var operands = new[] { new Variable(name), _expressions.Lower(assignment.Right) }.ToEquatableArray();
        var token = assignment.OperatorToken.Text.TrimEnd('=');
        var call = new TensorCall(key, rule.Key, CallForm.Operator, token, operands, tensorOperator.Parameters.Select(p => p.Name).ToEquatableArray());
        var output = _builder.Locals.Temporary(ValueType.Tensor);
        _builder.Emit(new Assignment(output, call, assignment.ToString()));
        _builder.Emit(new Assignment(name, new CopyExpression(new Variable(output)), assignment.ToString()));
        return true;
    }

    /// <summary>A TorchSharp call; <paramref name="member"/>, for an API returning a tuple (<c>max(dim)</c>), is the element the caller reads.</summary>
    public Expression? LowerCall(InvocationExpressionSyntax invocation, IMethodSymbol callee, int? member = null)
    {
        if (_context.OperationOf(invocation) is not IInvocationOperation operation)
        {
            _builder.Diagnostics.Unsupported(invocation, "a call that does not resolve to one TorchSharp method");
            return null;
        }

        if (SizeQuery(operation) is { } fact)
        {
            var operands = new List<Operand> { operation.Instance is { } instance ? _expressions.Lower((ExpressionSyntax)instance.Syntax) : _arguments.Lower(operation.Arguments[0].Value) };
            operands.AddRange(operation.Arguments.Skip(operation.Instance is null ? 1 : 0).Select(a => _arguments.Lower(a.Value)));
            return TensorFactCalls.Of(fact, operands.ToArray());
        }

        var memberName = member is { } m && m >= 0 && callee.ReturnType is INamedTypeSymbol { IsTupleType: true } tuple ? tuple.TupleElements[m].Name : null;
        var suffix = memberName is null ? "" : "." + memberName;
        var (key, signature) = Keys(callee, suffix);
        var hasRule = TensorRules.TryGetRow(signature, out var rule) || TensorRules.TryGetRow(key, out rule);

        var returnsTensor = memberName is not null || IRTypes.Of(callee.ReturnType) == ValueType.Tensor;
        var tensorInvolved = returnsTensor && (operation.Instance is not null || callee.Parameters.Any(p => IRTypes.Of(p.Type) == ValueType.Tensor));
        if (callee.Name.EndsWith("_", System.StringComparison.Ordinal) && tensorInvolved)
        {
            // TorchSharp's in-place ops overwrite a tensor the reverse sweep may still read.
            _builder.Diagnostics.Report(DiagnosticDescriptors.InPlaceMutation, invocation.GetLocation(), callee.Name, callee.Name.TrimEnd('_'));
            return null;
        }

        if (_layers.TryLower(invocation, operation, key, out var layer)) return layer;

        if (!hasRule && _builder.WithoutDerivative)
        {
            // Inside NoDerivative(...) the call is data: no rule, no adjoint.
            hasRule = true;
            rule = new TensorRule("", System.Array.Empty<bool>(), "no derivative");
        }

        if (!hasRule && ModuleAdvice(operation) is { } advice)
        {
            _builder.Diagnostics.Unsupported(invocation, advice);
            return null;
        }

        if (!hasRule)
        {
            if (tensorInvolved)
            {
                _builder.Diagnostics.NoDerivative(invocation.GetLocation(), callee.ToDisplayString() + suffix, callee);
                return null;
            }

            _builder.Diagnostics.Unsupported(invocation, $"a call of '{callee.ToDisplayString()}' on a differentiable path");
            return null;
        }

        var arguments = new List<Operand>();
        var names = new List<string>();
        var packs = new List<PackedArgument>();
        if (operation.Instance is not null)
        {
            arguments.Add(_expressions.Lower(((MemberAccessExpressionSyntax)invocation.Expression).Expression));
            names.Add("this");
        }

        var receivers = arguments.Count;
        var scalars = new List<(int Index, IArgumentOperation Argument)>();
        foreach (var argument in operation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
        {
            // Rules number parameters, the receiver first; a packed argument takes several operands but one number.
            var parameter = receivers + (argument.Parameter?.Ordinal ?? 0);
            if (rule.DefaultsFrom is { } from && parameter >= from && argument.ArgumentKind != ArgumentKind.DefaultValue)
            {
                _builder.Diagnostics.Unsupported(invocation, $"'{callee.Name}' with '{argument.Parameter?.Name}' set; only its default is differentiated");
                return null;
            }

            var name = argument.Parameter?.Name ?? "";
            if (argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                arguments.Add(new OmittedArgument(ConstantOperands.DefaultOf(argument.Parameter)));
                names.Add(name);
                continue;
            }

            // conv2d's sizes stay whole: its backward repeats them, so they must be constants (ConstantSizes checks).
            if (key != Conv2dKey && _arguments.TryPack(argument, parameter, arguments.Count, invocation, out var pack, out var packed))
            {
                if (packed is null) return null;
                if (pack is not null) packs.Add(pack);
                arguments.AddRange(packed);
                names.AddRange(packed.Select(_ => name));
                continue;
            }

            scalars.Add((arguments.Count, argument));
            arguments.Add(_arguments.Lower(argument.Value));
            names.Add(name);
        }

        var ruleKey = PackedArgument.KeyOf(rule.Key, packs);
        TensorRule? laid = null;
        if (rule.Key.Length > 0 && !TensorRules.TryGet(ruleKey, out laid))
        {
            _builder.Diagnostics.Unsupported(invocation, $"'{callee.Name}' called this way: its derivative needs its list of tensors written out, as in new[] {{ a, b }}");
            return null;
        }

        if (rule.Key == "torch.einsum" && !_builder.WithoutDerivative && arguments.Count > 0 && arguments[0] is CodeLiteral equation
            && RepeatedSubscript(equation.CSharp) is { } repeated)
        {
            _builder.Diagnostics.Unsupported(invocation, $"'einsum' with the subscript '{repeated}' repeated in one operand (a diagonal), whose derivative is not generated; take torch.diagonal first");
            return null;
        }

        if (rule.WrittenOut is { } list && !_builder.WithoutDerivative && packs.All(p => p.Parameter != list))
        {
            _builder.Diagnostics.Unsupported(invocation, $"'{callee.Name}' with a list of sizes held in a variable: its derivative needs the list written out, as in new long[] {{ 64 }}");
            return null;
        }

        if (!_builder.WithoutDerivative) _builder.Forward?.CheckTensorRule(rule, invocation, packed: packs.Count > 0);

        if (laid is not null && !_builder.WithoutDerivative)
        {
            foreach (var (index, argument) in scalars)
            {
                // Whether the variable depends on a differentiated input is for activity analysis, after lowering, to tell.
                if (!laid.HasDerivative(index) && arguments[index] is Variable v && _builder.Locals.TypeOf(v.Name) is ValueType.Double or ValueType.Float)
                    _builder.Diagnostics.UnsupportedIfVaried(v.Name, argument.Syntax, callee.Name, argument.Parameter?.Name ?? "");
            }
        }

        if (CreationPlacement(rule.Key) is { } placement) OnInputsDevice(placement, arguments, names);

        var form = operation.Instance is null ? CallForm.Static : CallForm.Instance;
        var target = form == CallForm.Static ? callee.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + callee.Name : callee.Name;
        return new TensorCall(key, ruleKey, form, target, arguments.ToEquatableArray(), names.ToEquatableArray())
        {
            Packs = packs.ToEquatableArray(),
            Member = memberName,
        };
    }


    /// <summary>
    /// For <c>fc.call(x)</c> or <c>fc.forward(x)</c> on a TorchSharp module that is not a field of the model whose method
    /// calls it (those run on the tape, see <see cref="ModelCallLowering"/>): what to write instead; null for any other call.
    /// </summary>
    static string? ModuleAdvice(IInvocationOperation operation)
    {
        if (operation.TargetMethod.Name is not ("call" or "forward") || operation.Instance?.Type is not INamedTypeSymbol module || IRTypes.TorchModule(module) is null) return null;
        var instead = module.Name switch
        {
            "Linear" => "hold its weight and bias as [Parameter] Tensor fields and call nn.functional.linear(x, weight, bias)",
            "Conv2d" => "hold its weight and bias as [Parameter] Tensor fields and call nn.functional.conv2d(x, weight, bias, strides, padding) with the sizes written out",
            "LayerNorm" => "hold its weight and bias as [Parameter] Tensor fields and call nn.functional.layer_norm(x, new long[] { size }, weight, bias)",
            "Embedding" => "hold its table as a [Parameter] Tensor field and read it with table.index_select(0, indices.reshape(-1)).reshape(…)",
            "Dropout" => "call nn.functional.dropout(x, p, training) in the method",
            "Sequential" => "call its layers one by one, each written as above",
            _ => "write its computation with TorchSharp operations on [Parameter] Tensor fields, or make it a [Model] with a [Differentiable] Forward",
        };
        return $"calling the TorchSharp module '{module.Name}' here: a module's call is differentiated only on a field of the [Model] whose method calls it (fc.call(x), with 'fc' a field of that model); otherwise {instead}";
    }

    /// <summary>
    /// A size read from a tensor (<c>x.size(d)</c>, <c>x.dim()</c>, <c>x.numel()</c>): data, lowered as a call of
    /// <c>Leibniz.Generated.TensorFacts</c> so it is an IR value loops and creation calls can use. Null for any other call.
    /// </summary>
    static string? SizeQuery(IInvocationOperation operation)
    {
        var method = operation.TargetMethod;
        if (method.ReturnType.SpecialType != SpecialType.System_Int64) return null;
        var onTensor = operation.Instance is { Type: INamedTypeSymbol receiver } && IRTypes.IsTensor(receiver);
        var ofTensor = method.IsStatic && method.Parameters.Length == 1 && method.Parameters[0].Type is INamedTypeSymbol only && IRTypes.IsTensor(only);
        return (method.Name, method.Parameters.Length) switch
        {
            ("size", 1) when onTensor => "Size",
            ("dim", 0) when onTensor => "Dimensions",
            ("numel", 0) when onTensor => "Count",
            ("numel", 1) when ofTensor => "Count",
            _ => null,
        };
    }

    /// <summary>Whether a creation row's result takes the inputs' dtype (floating fills and draws) or only their device (indices, integer draws).</summary>
    enum Placement { DtypeAndDevice, Device }

    static Placement? CreationPlacement(string row) => row switch
    {
        "torch.zeros" or "torch.ones" or "torch.full" or "torch.empty" or "torch.eye" or "torch.linspace" or "torch.rand" or "torch.randn" => Placement.DtypeAndDevice,
        "torch.arange" or "torch.randint" => Placement.Device,
        _ => null,
    };

    /// <summary>
    /// A creation call that leaves <c>dtype</c> or <c>device</c> to its default is given those of the method's inputs
    /// (<see cref="PlacementReference"/>): <c>zeros(n, h)</c> beside float64 inputs on a GPU is float64 on that GPU, as the code around it expects,
    /// not float32 on the CPU. What the call sets itself is kept.
    /// </summary>
    void OnInputsDevice(Placement placement, List<Operand> arguments, List<string> names)
    {
        if (PlacementReference() is not { } reference) return;
        for (var i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] is not OmittedArgument) continue;
            var (fact, type) = names[i] switch
            {
                "dtype" when placement == Placement.DtypeAndDevice => ("DtypeOf", ValueType.ScalarType),
                "device" => ("DeviceOf", ValueType.Device),
                _ => (null, ValueType.Double),
            };
            if (fact is null) continue;
            var value = _builder.Locals.Temporary(type);
            _builder.Emit(new Assignment(value, TensorFactCalls.Of(fact, new Variable(reference)), $"{names[i]} of {reference}"));
            arguments[i] = new Variable(value);
        }
    }

    /// <summary>
    /// The tensor whose dtype and device created tensors take: a model's first <c>[Parameter]</c> (its input may be token
    /// indices), else the first tensor parameter with a derivative (a <c>[NoDerivative]</c> one is often indices or labels),
    /// else the first tensor parameter; null when the method has none.
    /// </summary>
    string? PlacementReference()
    {
        if (_context.IsModelMethod && _context.Known.ParameterAttribute is not null)
        {
            foreach (var field in _context.Method.ContainingType.GetMembers().OfType<IFieldSymbol>())
            {
                if (KnownSymbols.Has(field, _context.Known.ParameterAttribute) && _builder.ModelFields.Input(field) is { } parameter) return parameter;
            }
        }

        var tensors = _context.Method.Parameters.Where(p => IRTypes.Of(p.Type) == ValueType.Tensor).ToList();
        return (tensors.FirstOrDefault(p => !KnownSymbols.Has(p, _context.Known.NoDerivativeAttribute)) ?? tensors.FirstOrDefault())?.Name;
    }

    /// <summary><paramref name="call"/>, already lowered, reading another element (<paramref name="member"/>) of the tuple it returns.</summary>
    public TensorCall? WithMember(TensorCall call, IMethodSymbol callee, int member, SyntaxNode source)
    {
        var name = ((INamedTypeSymbol)callee.ReturnType).TupleElements[member].Name;
        var (key, signature) = Keys(callee, "." + name);
        if (!TensorRules.TryGetRow(signature, out var rule) && !TensorRules.TryGetRow(key, out rule))
        {
            _builder.Diagnostics.NoDerivative(source.GetLocation(), callee.ToDisplayString() + "." + name, callee);
            return null;
        }

        return call with { Key = key, Rule = PackedArgument.KeyOf(rule.Key, call.Packs), Member = name };
    }

    /// <summary>
    /// <c>x[…]</c> on a tensor, whichever TorchSharp indexer it binds to, as the call <c>x.index(…)</c> that every one of
    /// them makes, so the table's row for <c>index</c> differentiates it.
    /// </summary>
    public Expression? LowerIndexer(ElementAccessExpressionSyntax element)
    {
        if (_context.OperationOf(element) is not IPropertyReferenceOperation { Property.IsIndexer: true } indexer
            || indexer.Property.ContainingAssembly?.Name != LoweringContext.TorchSharpAssembly || !TensorRules.TryGetRow(IndexRow, out var rule))
        {
            _builder.Diagnostics.Unsupported(element, "indexing a tensor through anything but TorchSharp's indexers");
            return null;
        }

        var receiver = _expressions.Lower(element.Expression);
        var patterns = new List<string>();
        var operands = new List<Operand>();
        foreach (var argument in indexer.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
        {
            var items = argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } initializer }
                ? initializer.ElementValues
                : System.Collections.Immutable.ImmutableArray.Create(argument.Value);
            foreach (var item in items)
                if (!_arguments.LowerTensorIndex(item, patterns, operands, element)) return null;
        }

        var pack = new PackedArgument(1, 1, TensorArgumentLowering.TensorIndexType, true, patterns.ToEquatableArray());
        var arguments = new[] { receiver }.Concat(operands).ToEquatableArray();
        var names = new[] { "this" }.Concat(operands.Select(_ => "indices")).ToEquatableArray();
        return new TensorCall("Tensor.index", PackedArgument.KeyOf(rule.Key, new[] { pack }), CallForm.Instance, "index", arguments, names)
        {
            Packs = new[] { pack }.ToEquatableArray(),
        };
    }

    /// <summary>An API's keys in the tensor table: <c>Tensor.max</c>, and with its parameter types, <c>Tensor.max(long, bool)</c>; <paramref name="suffix"/> names a tuple element.</summary>
    static (string Key, string Signature) Keys(IMethodSymbol callee, string suffix)
    {
        var owner = callee.IsStatic ? TorchPath(callee.ContainingType) : "Tensor";
        var parameters = string.Join(", ", callee.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
        return (owner + "." + callee.Name + suffix, owner + "." + callee.Name + "(" + parameters + ")" + suffix);
    }

    /// <summary><c>TorchSharp.torch.nn.functional</c> → <c>nn.functional</c>; <c>TorchSharp.torch</c> → <c>torch</c>.</summary>
    static string TorchPath(INamedTypeSymbol type)
    {
        var path = type.ToDisplayString();
        const string torch = "TorchSharp.torch";
        if (path == torch) return "torch";
        return path.StartsWith(torch + ".", System.StringComparison.Ordinal) ? path.Substring(torch.Length + 1) : path;
    }

    /// <summary>A subscript an einsum equation's operand repeats (<c>"ii->i"</c>), or null; the equation as the C# literal the call wrote.</summary>
    static char? RepeatedSubscript(string literal)
    {
        var arrow = literal.IndexOf("->", System.StringComparison.Ordinal);
        var inputs = (arrow < 0 ? literal : literal.Substring(0, arrow)).Trim('"', '@');
        foreach (var operand in inputs.Split(','))
        {
            var letters = operand.Where(char.IsLetter).ToList();
            var repeated = letters.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1);
            if (repeated is not null) return repeated.Key;
        }

        return null;
    }
}
