using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.IR.Functions;
using Leibniz.Generators.Rules.Scalar;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>
/// A call, by what it calls: a <c>[Model]</c> field (<see cref="ModelCallLowering"/>), TorchSharp
/// (<see cref="TensorCallLowering"/>), <c>NoDerivative(…)</c>, a math function of the scalar table, a method with a
/// derivative (<c>[Differentiable]</c> or a hand-written <c>[Derivative]</c>), or a call that is data to the derivative.
/// </summary>
internal sealed class InvocationLowering
{
    readonly LoweringContext _context;
    readonly FunctionBuilder _builder;
    readonly ExpressionLowering _expressions;
    readonly TensorCallLowering _tensorCalls;
    readonly ModelCallLowering _modelCalls;
    readonly ImplicitLayerCallLowering _implicitLayers;

    public InvocationLowering(LoweringContext context, FunctionBuilder builder, ExpressionLowering expressions, TensorCallLowering tensorCalls, ModelCallLowering modelCalls)
    {
        _context = context;
        _builder = builder;
        _expressions = expressions;
        _tensorCalls = tensorCalls;
        _modelCalls = modelCalls;
        _implicitLayers = new ImplicitLayerCallLowering(context, builder, expressions);
    }

    public Expression? Lower(InvocationExpressionSyntax invocation)
    {
        if (_modelCalls.TryLower(invocation, out var modelCall)) return modelCall;
        if (_implicitLayers.TryLower(invocation, out var layerCall)) return layerCall;

        if (_context.SymbolOf(invocation) is not IMethodSymbol callee)
        {
            _builder.Diagnostics.Unsupported(invocation, "a call that does not resolve to one method");
            return null;
        }

        if (callee.ContainingAssembly?.Name == LoweringContext.TorchSharpAssembly)
            return _tensorCalls.LowerCall(invocation, callee);

        var arguments = invocation.ArgumentList.Arguments;
        if (arguments.Any(a => !a.RefKindKeyword.IsKind(SyntaxKind.None) || a.NameColon is not null))
        {
            _builder.Diagnostics.Unsupported(invocation, "ref, out and named arguments are not supported in calls on a differentiable path");
            return null;
        }

        var containing = callee.ContainingType;
        var known = _context.Known;
        if (SymbolEqualityComparer.Default.Equals(containing, known.Derivatives) && callee.Name == "NoDerivative" && arguments.Count == 1)
        {
            // Inside NoDerivative(...) nothing is differentiated, so a call without a derivative is fine there.
            var value = _builder.Underived(() => _expressions.Lower(arguments[0].Expression));
            return new OpaqueCall("global::Leibniz.Derivatives.NoDerivative", new[] { value }.ToEquatableArray());
        }

        // A hand-written [Derivative] wins over a generated pullback and over the rule table, as in Clad.
        var method = _context.Method;
        var custom = callee.IsStatic ? CustomDerivatives.Find(callee, method.ContainingType, known) : null;
        if (custom is null && callee.IsStatic && MathClassOf(callee) is { } mathClass)
        {
            if (ScalarRules.TryGet(callee.Name, arguments.Count, out var rule) && IRTypes.Of(callee.ReturnType) is ValueType.Double or ValueType.Float
                && callee.Parameters.Select((p, i) => IRTypes.Of(p.Type) is ValueType.Double or ValueType.Float || (rule.Partials[i] is null && IRTypes.Of(p.Type) == ValueType.Int)).All(fits => fits))
            {
                var operands = arguments.Select(a => _expressions.Lower(a.Expression)).ToEquatableArray();
                return new PrimitiveCall(CanonicalMathClass(callee, mathClass) + "." + callee.Name, operands);
            }

            if (ScalarRules.IsPiecewiseConstant(callee.Name) && IRTypes.Of(callee.ReturnType) is not null
                && callee.Parameters.Any(p => IRTypes.Of(p.Type) is ValueType.Double or ValueType.Float)
                && callee.Parameters.All(p => IRTypes.Of(p.Type) is not null || p.Type.TypeKind == TypeKind.Enum))
            {
                // Flat between its jumps: the result is data to the derivative, as inside NoDerivative.
                var flatArguments = new List<Operand>();
                foreach (var argument in arguments)
                {
                    if (MathArgument(argument.Expression) is not { } value) return null;
                    flatArguments.Add(value);
                }

                return new OpaqueCall(callee.ContainingType!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + callee.Name, flatArguments.ToEquatableArray());
            }
        }

        // An implicit layer's condition is differentiated like a [Differentiable] method, so it may be called like one.
        if (custom is not null || ((KnownSymbols.Has(callee, known.DifferentiableAttribute) || ImplicitLayerFrontend.ConditionKind(callee, known) is not null) && callee.IsStatic))
        {
            if (custom is null && AppliesDropout(callee))
            {
                _builder.Diagnostics.Unsupported(invocation, $"'{callee.Name}' applies dropout, and its pullback would run it again with a new mask; apply the dropout in this method instead");
                return null;
            }

            var forward = _builder.Forward;
            var tangent = forward is not null && callee.IsStatic ? CustomDerivatives.FindTangent(callee, method.ContainingType, known) : null;
            if (!_builder.WithoutDerivative) forward?.CheckCall(callee, custom, tangent, invocation);
            var operands = arguments.Select(a => _expressions.Lower(a.Expression)).ToEquatableArray();
            var hasAdjoint = callee.Parameters
                .Select(p => IRTypes.Of(p.Type) is { } t && t.IsDifferentiable() && !KnownSymbols.Has(p, known.NoDerivativeAttribute))
                .ToEquatableArray();
            var owner = callee.ContainingType!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            var pullback = custom is null ? owner + "." + callee.Name + "Pullback" : custom.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + custom.Name;
            return new DifferentiableCall(owner, callee.Name, pullback, operands, hasAdjoint)
            {
                Tangent = tangent is null ? null : tangent.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + tangent.Name,
            };
        }

        var returnsFloat = IRTypes.Of(callee.ReturnType) is { } r && r.IsDifferentiable();
        var takesFloat = callee.Parameters.Any(p => IRTypes.Of(p.Type) is { } t && t.IsDifferentiable());
        if (returnsFloat && takesFloat && !_builder.WithoutDerivative)
        {
            _builder.Diagnostics.NoDerivative(invocation.GetLocation(), callee.ToDisplayString(), callee);
            return null;
        }

        if (callee.ReturnsVoid || IRTypes.Of(callee.ReturnType) is null)
        {
            _builder.Diagnostics.Unsupported(invocation, $"a call of '{callee.ToDisplayString()}', whose result is not a number");
            return null;
        }

        if (!callee.IsStatic)
        {
            // The opaque call is emitted as Type.Method(arguments): a receiver would be lost.
            _builder.Diagnostics.Unsupported(invocation, TypeAdvice.ForInstanceCall(callee));
            return null;
        }

        // No floating-point input or output (or inside NoDerivative): the call is data to the derivative.
        var values = arguments.Select(a => _expressions.Lower(a.Expression)).ToEquatableArray();
        return new OpaqueCall(callee.ContainingType!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + callee.Name, values);
    }

    /// <summary>The class of a math static the scalar table covers, as the table's calls name it: <c>Math</c>, <c>MathF</c>, <c>Double</c>, <c>Single</c>.</summary>
    static string? MathClassOf(IMethodSymbol callee) => callee.ContainingType switch
    {
        { SpecialType: SpecialType.System_Double } => "Double",
        { SpecialType: SpecialType.System_Single } => "Single",
        { } type when type.ToDisplayString() == "System.Math" => "Math",
        { } type when type.ToDisplayString() == "System.MathF" => "MathF",
        _ => null,
    };

    /// <summary>
    /// <c>double.Sin</c> is <c>Math.Sin</c>: a generic-math static is named by the <c>Math</c>/<c>MathF</c> method with the
    /// same signature where there is one, so that both spellings are one primitive. Those only <c>double</c>/<c>float</c>
    /// have (<c>Exp2</c>, <c>Hypot</c>) keep their class.
    /// </summary>
    string CanonicalMathClass(IMethodSymbol callee, string mathClass)
    {
        if (mathClass is "Math" or "MathF") return mathClass;
        foreach (var candidate in mathClass == "Single" ? new[] { "MathF", "Math" } : new[] { "Math" })
        {
            var type = _context.Model.Compilation.GetTypeByMetadataName("System." + candidate);
            var same = type?.GetMembers(callee.Name).OfType<IMethodSymbol>().Any(m => m.IsStatic
                && SymbolEqualityComparer.Default.Equals(m.ReturnType, callee.ReturnType)
                && m.Parameters.Length == callee.Parameters.Length
                && m.Parameters.Select((p, i) => SymbolEqualityComparer.Default.Equals(p.Type, callee.Parameters[i].Type)).All(equal => equal));
            if (same == true) return candidate;
        }

        return mathClass;
    }

    /// <summary>An argument of a piecewise-constant math call: a number, or a constant of an enum (<c>MidpointRounding</c>).</summary>
    Operand? MathArgument(ExpressionSyntax syntax)
    {
        var type = _context.ConvertedTypeOf(syntax);
        if (type?.TypeKind != TypeKind.Enum) return _expressions.Lower(syntax);
        if (_context.SymbolOf(syntax) is IFieldSymbol { HasConstantValue: true } member && SymbolEqualityComparer.Default.Equals(member.ContainingType, type))
            return new CodeLiteral(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + member.Name);
        if (_context.ConstantOf(syntax) is { HasValue: true, Value: { } value })
            return new CodeLiteral("((" + type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ")" + System.Convert.ToString(value, CultureInfo.InvariantCulture) + ")");
        _builder.Diagnostics.Unsupported(syntax, $"a {type.Name} that is not a constant");
        return null;
    }

    /// <summary>
    /// Whether a called <c>[Differentiable]</c> method applies dropout outside <c>NoDerivative(...)</c>. Its pullback
    /// runs its forward again, which would draw a second mask, so the caller's value and derivative would disagree. A
    /// syntactic check of the callee's own body suffices: a callee that reaches dropout through a further call is itself
    /// refused there.
    /// </summary>
    static bool AppliesDropout(IMethodSymbol callee)
        => callee.DeclaringSyntaxReferences.Any(reference => reference.GetSyntax().DescendantNodes()
            .OfType<InvocationExpressionSyntax>()
            .Any(call => InvokedName(call) == "dropout" && !call.Ancestors().OfType<InvocationExpressionSyntax>().Any(outer => InvokedName(outer) == "NoDerivative")));

    static string? InvokedName(InvocationExpressionSyntax call) => call.Expression switch
    {
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        _ => null,
    };
}
