using System.Linq;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.IR.Functions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>Model composition: a <c>[Model]</c>'s differentiable method calling a <c>[Model]</c> or TorchSharp module field.</summary>
internal sealed class ModelCallLowering
{
    const string ForwardMethod = "Forward";
    const string TorchForwardMethod = "forward";
    const string TorchCallMethod = "call";

    readonly LoweringContext _context;
    readonly FunctionBuilder _builder;
    readonly ExpressionLowering _expressions;

    public ModelCallLowering(LoweringContext context, FunctionBuilder builder, ExpressionLowering expressions)
    {
        _context = context;
        _builder = builder;
        _expressions = expressions;
    }

    /// <summary>
    /// <c>encoder.Forward(x)</c>, <c>encoder.forward(x)</c> or <c>encoder.call(x)</c>, where <c>encoder</c> is a field of
    /// this model holding another <c>[Model]</c>: a <see cref="ModelCall"/> through the field's generated sweep, or
    /// LZ0110 when it has none. <c>fc.call(x)</c> or <c>fc.forward(x)</c> on a field holding a TorchSharp module from a
    /// tensor to a tensor is a <see cref="ModelCall"/> too, recorded on the tape by a <c>ModuleSweep</c>. Recognised by its receiver rather than by the method it binds to, because while
    /// the generators run a <c>[Model]</c> class has no base class, so <c>forward</c> and <c>call</c> may not bind.
    /// </summary>
    /// <returns>Whether the invocation is a call on a [Model] field; <paramref name="lowered"/> is null when it was reported.</returns>
    public bool TryLower(InvocationExpressionSyntax invocation, out Expression? lowered)
    {
        lowered = null;
        if (!_context.IsModelMethod || invocation.Expression is not MemberAccessExpressionSyntax access) return false;
        if (_context.SymbolOf(access.Expression) is not IFieldSymbol { IsStatic: false } field
            || !SymbolEqualityComparer.Default.Equals(field.ContainingType, _context.Method.ContainingType)
            || field.Type is not INamedTypeSymbol { TypeKind: TypeKind.Class } child)
            return false;

        var name = access.Name.Identifier.Text;
        var throughTorch = name is TorchForwardMethod or TorchCallMethod;
        var isTorchModule = !KnownSymbols.Has(child, _context.Known.ModelAttribute);
        if (isTorchModule && (!throughTorch || !IsTensorToTensorModule(child))) return false;
        if (!throughTorch && name != ForwardMethod)
        {
            // Another method of the child: only its Forward has a sweep to run through. A TorchSharp
            // Module method (parameters(), to()…) is no business of this lowering.
            if (_context.SymbolOf(invocation) is not IMethodSymbol other
                || !SymbolEqualityComparer.Default.Equals(other.ContainingType.OriginalDefinition, child.OriginalDefinition))
                return false;
        }

        var arguments = invocation.ArgumentList.Arguments;
        if (arguments.Count != 1 || !arguments[0].RefKindKeyword.IsKind(SyntaxKind.None) || arguments[0].NameColon is not null)
            return false;

        if (_builder.WithoutDerivative)
        {
            // Inside NoDerivative(...) the call is data: it runs as written and needs no sweep.
            lowered = new FrozenModelCall(field.Name, name, _expressions.Lower(arguments[0].Expression));
            return true;
        }

        if (!isTorchModule && Problem(child, name, throughTorch) is { } problem)
        {
            _builder.Diagnostics.Report(DiagnosticDescriptors.ModelCallWithoutBackward, invocation.GetLocation(), LoweringDiagnostics.Shorten(invocation.ToString()), child.Name, problem);
            return true;
        }

        if (_builder.InLoop && !isTorchModule)
        {
            // The reverse loop would run the called model's generated sweep again; one whose Forward draws dropout would
            // draw another mask, which nothing here can see. A TorchSharp module is checked for dropout when it runs.
            _builder.Diagnostics.Unsupported(invocation, "a [Model] call inside a loop is not supported yet; unroll the loop, move the call out of it, or hold the layer as a TorchSharp module (nn.Linear), which may be called in a loop");
            return true;
        }

        if (isTorchModule) _builder.Forward?.CheckModuleCall(invocation, field.Name, child.Name);
        else _builder.Forward?.CheckModelCall(invocation, field.Name);
        var input = _expressions.Lower(arguments[0].Expression);
        var throughCall = name == TorchCallMethod;
        var spec = _builder.ModelFields.Child(field.Name,
            () => new ModelFieldSpec(field.Name, child.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), _builder.Locals.Fresh(field.Name + "Gradients")) { IsTorchModule = isTorchModule });
        lowered = new ModelCall(field.Name, spec.ModelType, input, _builder.Locals.Fresh(field.Name + "Sweep")) { ThroughCall = throughCall, IsTorchModule = isTorchModule, InLoop = _builder.InLoop };
        return true;
    }

    /// <summary>
    /// A TorchSharp module from one tensor to a tensor (<c>nn.Module&lt;Tensor, Tensor&gt;</c>: <c>Linear</c>, <c>Conv2d</c>,
    /// <c>LayerNorm</c>, <c>Embedding</c>, <c>Dropout</c>, <c>Sequential</c>, a user's own): its call runs on the tape.
    /// </summary>
    static bool IsTensorToTensorModule(INamedTypeSymbol type)
        => IRTypes.TorchModule(type) is { MetadataName: "Module`2" } module && module.TypeArguments.All(a => a is INamedTypeSymbol named && IRTypes.IsTensor(named));

    /// <summary>Why a call of <paramref name="method"/> on a <paramref name="child"/> cannot run through its generated sweep; null when it can.</summary>
    string? Problem(INamedTypeSymbol child, string method, bool throughTorch)
    {
        if (!throughTorch && method != ForwardMethod)
            return $"only its Forward (also called as forward(x) or call(x)) runs through a generated backward, not '{method}'; call Forward, or wrap the call in NoDerivative(...) to treat its result as data";
        if (throughTorch && ModelFrontend.DeclaresTorchForward(child))
            return $"'{child.Name}' declares its own forward(), which {method}() runs instead of Forward; call Forward, or remove the hand-written forward()";
        if (ForwardOf(child) is not { } forward)
            return "it has no single instance method Forward";
        if (!KnownSymbols.Has(forward, _context.Known.DifferentiableAttribute))
            return $"'{child.Name}.Forward' is not [Differentiable]; mark it [Differentiable], or wrap the call in NoDerivative(...) if '{child.Name}' is frozen";
        if (forward.Parameters.Length == 1 && IRTypes.TensorTupleElements(forward.Parameters[0].Type) is not null)
            return $"'{child.Name}.Forward' takes a tuple of tensors, and a model calling such a model inside its own [Differentiable] Forward is not supported yet; "
                + $"call it outside a [Differentiable] method, or write the call as a [Differentiable] method of '{child.Name}' taking one Tensor";
        if (forward.Parameters.Length != 1 || IRTypes.Of(forward.Parameters[0].Type) != ValueType.Tensor || IRTypes.Of(forward.ReturnType) != ValueType.Tensor)
            return $"'{child.Name}.Forward' takes {string.Join(", ", forward.Parameters.Select(p => p.Type.ToDisplayString()))} and returns {forward.ReturnType.ToDisplayString()}; only a Forward from one Tensor to a Tensor has a generated backward";
        return null;
    }

    static IMethodSymbol? ForwardOf(INamedTypeSymbol model)
    {
        var candidates = model.GetMembers(ForwardMethod).OfType<IMethodSymbol>().Where(m => !m.IsStatic && m.MethodKind == MethodKind.Ordinary).ToList();
        return candidates.Count == 1 ? candidates[0] : null;
    }
}
