using System.Collections.Generic;
using Leibniz.Generators.IR.Functions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>A TorchSharp call returning a tuple of tensors (<c>max(dim)</c>), deconstructed into locals.</summary>
internal sealed class TupleDeconstruction
{
    readonly LoweringContext _context;
    readonly FunctionBuilder _builder;
    readonly TensorCallLowering _tensorCalls;

    public TupleDeconstruction(LoweringContext context, FunctionBuilder builder, TensorCallLowering tensorCalls)
    {
        _context = context;
        _builder = builder;
        _tensorCalls = tensorCalls;
    }

    /// <summary>
    /// <c>var (values, indexes) = x.max(1)</c> and <c>(v, _) = …</c>: each element the caller keeps becomes its own call
    /// reading that element, so each is a tensor value like any other (the indices carry no derivative).
    /// </summary>
    public void Lower(AssignmentExpressionSyntax assignment)
    {
        if (assignment.Right is IdentifierNameSyntax identifier && _context.SymbolOf(identifier) is IParameterSymbol && _builder.Locals.TupleElements.Count > 0)
        {
            LowerTupleInput(assignment);
            return;
        }

        if (assignment.Right is not InvocationExpressionSyntax invocation
            || _context.SymbolOf(invocation) is not IMethodSymbol { ContainingAssembly.Name: LoweringContext.TorchSharpAssembly, ReturnType: INamedTypeSymbol { IsTupleType: true } } callee)
        {
            _builder.Diagnostics.Unsupported(assignment, "deconstructing anything but a model method's tuple input or a TorchSharp call returning a tuple of tensors (max(dim), min(dim))");
            return;
        }

        var targets = DeconstructionTargets(assignment.Left);
        if (targets is null || targets.Count != ((INamedTypeSymbol)callee.ReturnType).TupleElements.Length)
        {
            _builder.Diagnostics.Unsupported(assignment, "this form of deconstruction; write var (a, b) = … or (a, b) = … with one name or _ per element");
            return;
        }

        TensorCall? first = null;
        for (var i = 0; i < targets.Count; i++)
        {
            if (targets[i] is not { } target) continue;
            string? name;
            switch (_context.Model.GetSymbolInfo(target, _context.CancellationToken).Symbol ?? _context.Model.GetDeclaredSymbol(target, _context.CancellationToken))
            {
                case ILocalSymbol local when IRTypes.Of(local.Type) == ValueType.Tensor:
                    name = _builder.Locals.NameOf(local, ValueType.Tensor);
                    break;
                default:
                    _builder.Diagnostics.Unsupported(target, "a deconstruction target that is not a Tensor local");
                    continue;
            }

            // The arguments are lowered once; each further element reads the same call's other member.
            var lowered = first is null ? _tensorCalls.LowerCall(invocation, callee, i) : _tensorCalls.WithMember(first, callee, i, invocation);
            if (lowered is null) return;
            first ??= lowered as TensorCall;
            var output = _builder.Locals.Temporary(ValueType.Tensor);
            _builder.Emit(new Assignment(output, lowered, assignment.ToString()));
            _builder.Emit(new Assignment(name, new CopyExpression(new Variable(output)), assignment.ToString()));
        }
    }

    /// <summary><c>var (x, mask) = input</c> on a model method's tuple input: each target is a copy of that element's input.</summary>
    void LowerTupleInput(AssignmentExpressionSyntax assignment)
    {
        var elements = _builder.Locals.TupleElements;
        var targets = DeconstructionTargets(assignment.Left);
        if (targets is null || targets.Count != elements.Count)
        {
            _builder.Diagnostics.Unsupported(assignment, $"this form of deconstruction; write var (a, b) = … or (a, b) = … with one name or _ per element ({elements.Count})");
            return;
        }

        for (var i = 0; i < targets.Count; i++)
        {
            if (targets[i] is not { } target) continue;
            if ((_context.Model.GetSymbolInfo(target, _context.CancellationToken).Symbol ?? _context.Model.GetDeclaredSymbol(target, _context.CancellationToken)) is not ILocalSymbol local
                || IRTypes.Of(local.Type) != ValueType.Tensor)
            {
                _builder.Diagnostics.Unsupported(target, "a deconstruction target that is not a Tensor local");
                continue;
            }

            _builder.Emit(new Assignment(_builder.Locals.NameOf(local, ValueType.Tensor), new CopyExpression(new Variable(elements[i])), assignment.ToString()));
        }
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
}
