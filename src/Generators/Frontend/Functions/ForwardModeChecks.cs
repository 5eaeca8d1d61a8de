using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.IR.Functions;
using Leibniz.Generators.Rules.Tensor;
using Microsoft.CodeAnalysis;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>
/// For a <c>[Differentiable]</c> method that asks for forward mode (<c>Modes</c>), what forward mode cannot follow,
/// reported at the code as LZ0109 while lowering: a call whose only derivative is a hand-written pullback, a call
/// of a method that does not ask for the same modes. Whether forward mode has a tangent for a tensor op is the tangent
/// table's to say, after lowering (<see cref="TensorTangentCheck"/>); this only records each op and where it is. Methods
/// that do not ask get no such warnings: forward mode is opt-in, so reverse-mode users never see them.
/// </summary>
internal sealed class ForwardModeChecks
{
    /// <summary><c>DerivativeModes.Forward</c>, <c>DerivativeModes.HessianVectorProduct</c> (which includes it) as the attribute stores them.</summary>
    public const int Forward = 2;
    public const int HessianVectorProduct = 4 | Forward;

    readonly IMethodSymbol _method;
    readonly KnownSymbols _known;
    readonly List<DiagnosticInfo> _diagnostics = new();
    readonly List<TensorTangentCheck> _tensorCalls = new();

    ForwardModeChecks(IMethodSymbol method, int modes, KnownSymbols known)
    {
        _method = method;
        _known = known;
        Modes = modes;
    }

    /// <summary>The modes the method asks for, as <c>DerivativeModes</c> flags.</summary>
    public int Modes { get; }

    public bool WantsHessianVectorProduct => (Modes & HessianVectorProduct) == HessianVectorProduct;

    public IReadOnlyList<DiagnosticInfo> Diagnostics => _diagnostics;

    /// <summary>The tensor calls forward mode must have a tangent for, checked after lowering.</summary>
    public IReadOnlyList<TensorTangentCheck> TensorCalls => _tensorCalls;

    /// <summary>The checks for <paramref name="method"/>, or null when it asks only for reverse mode.</summary>
    public static ForwardModeChecks? For(IMethodSymbol method, KnownSymbols known)
    {
        var modes = ModesOf(method, known);
        if ((modes & Forward) == 0) return null;
        return new ForwardModeChecks(method, modes, known);
    }

    /// <summary>The <c>Modes</c> of <paramref name="method"/>'s <c>[Differentiable]</c>; 0 when it has none.</summary>
    public static int ModesOf(IMethodSymbol method, KnownSymbols known)
    {
        // An implicit layer's backward runs its condition's pullback and Jacobian–vector product (an objective's, its
        // Hessian–vector product): a condition asks for them by being one.
        var implied = ImplicitLayerFrontend.ConditionKind(method, known) switch
        {
            null => 0,
            IR.ImplicitConditionKind.Objective => HessianVectorProduct | 1,
            _ => Forward | 1,
        };
        var attribute = KnownSymbols.Find(method, known.DifferentiableAttribute);
        if (attribute is null) return implied;
        foreach (var argument in attribute.NamedArguments)
            if (argument.Key == "Modes" && argument.Value.Value is int modes) return modes | implied | 1;
        return implied | 1;
    }

    /// <summary>
    /// A call of <paramref name="callee"/>, differentiated through <paramref name="custom"/> when the user wrote one, and
    /// followed by forward mode through <paramref name="tangent"/> when the user wrote that.
    /// </summary>
    public void CheckCall(IMethodSymbol callee, IMethodSymbol? custom, IMethodSymbol? tangent, SyntaxNode call)
    {
        if (tangent is not null)
        {
            // A Hessian–vector product runs reverse mode over the tangent, so the tangent needs a generated pullback.
            if (WantsHessianVectorProduct && !KnownSymbols.Has(tangent, _known.DifferentiableAttribute))
                Report(call.GetLocation(), Shorten(call.ToString()), $"its hand-written tangent '{tangent.Name}' is not [Differentiable], and a Hessian–vector product runs reverse mode over it; mark '{tangent.Name}' [Differentiable]");
            return;
        }

        if (custom is not null)
        {
            Report(call.GetLocation(), Shorten(call.ToString()), $"'{callee.Name}' has a hand-written [Derivative] pullback, which gives no tangent; write its [Tangent] too, or mark '{callee.Name}' [Differentiable] instead");
            return;
        }

        var needed = WantsHessianVectorProduct ? HessianVectorProduct : Forward;
        var mode = needed == HessianVectorProduct ? nameof(HessianVectorProduct) : nameof(Forward);
        if ((ModesOf(callee, _known) & needed) != needed)
        {
            Report(call.GetLocation(), Shorten(call.ToString()), $"'{callee.Name}' does not ask for it; add Modes = DerivativeModes.{mode} to its [Differentiable]");
            return;
        }

        // A callee compiled elsewhere either has its generated methods or was built without them (LZ0109 there).
        if (callee.Locations.All(l => l.IsInMetadata))
        {
            var jvp = callee.Name + DerivativeMethodNames.JacobianVectorProductSuffix;
            var members = callee.ContainingType.GetMembers().Select(m => m.Name).ToList();
            if (!members.Contains(jvp) || (needed == HessianVectorProduct && !members.Contains(jvp + DerivativeMethodNames.PullbackSuffix)))
                Report(call.GetLocation(), Shorten(call.ToString()), $"'{callee.ContainingType.Name}.{callee.Name}' was compiled without its {mode} methods");
        }
    }

    /// <summary>
    /// A call of a <c>[Model]</c> field's <c>Forward</c>: the caller's tangent runs the called model's generated
    /// <c>ForwardTangent</c> over its parameters' directions, so that model's <c>Forward</c> must ask for forward mode too
    /// (a Hessian–vector product of the caller runs reverse mode over the whole tangent, which needs no more of it).
    /// </summary>
    public void CheckModelCall(SyntaxNode call, string field)
    {
        ITypeSymbol? type = null;
        for (var owner = _method.ContainingType; owner is not null && type is null; owner = owner.BaseType)
            type = owner.GetMembers(field).OfType<IFieldSymbol>().FirstOrDefault()?.Type;
        var forward = type?.GetMembers("Forward").OfType<IMethodSymbol>()
            .FirstOrDefault(m => KnownSymbols.Has(m.OriginalDefinition, _known.DifferentiableAttribute));
        if (forward is null)
        {
            Report(call.GetLocation(), Shorten(call.ToString()), $"the [Model] held in '{field}' has no [Differentiable] Forward forward mode can run");
            return;
        }

        if ((ModesOf(forward.OriginalDefinition, _known) & Forward) != Forward)
        {
            Report(call.GetLocation(), Shorten(call.ToString()), $"'{field}' is a [Model] whose Forward does not ask for forward mode; add Modes = DerivativeModes.Forward to {type!.Name}.Forward's [Differentiable]");
            return;
        }

        if (forward.Locations.All(l => l.IsInMetadata) && !type!.GetMembers("ForwardTangent").Any())
            Report(call.GetLocation(), Shorten(call.ToString()), $"'{type.Name}' was compiled without its forward-mode methods");
    }

    /// <summary>
    /// A call of an implicit layer's <c>Apply</c>: its forward mode is generated with it (a linear solve with the
    /// condition's Jacobian–vector product); a Hessian–vector product would need that solve differentiated again.
    /// </summary>
    public void CheckImplicitLayerCall(SyntaxNode call, string layer, bool unrolled)
    {
        if (unrolled)
            Report(call.GetLocation(), Shorten(call.ToString()), $"the implicit layer '{layer}' is unrolled (Mode = ImplicitMode.Unrolled), which differentiates on TorchSharp's tape and has no tangent");
        else if (WantsHessianVectorProduct)
            Report(call.GetLocation(), Shorten(call.ToString()), $"the implicit layer '{layer}' has no Hessian–vector product yet; ask for Modes = DerivativeModes.Forward only");
    }

    /// <summary>A TorchSharp module's call runs on the tape, which has no tangent to offer forward mode.</summary>
    public void CheckModuleCall(SyntaxNode call, string field, string module)
        => Report(call.GetLocation(), Shorten(call.ToString()),
            $"'{field}' holds the TorchSharp module {module}, whose call runs on TorchSharp's tape and has no generated tangent; write its computation with TorchSharp operations on [Parameter] fields (nn.functional.linear(x, weight, bias)) for forward mode");

    /// <summary>A tensor call differentiated by <paramref name="rule"/>; <paramref name="packed"/> when a list or index in it is written out element by element.</summary>
    public void CheckTensorRule(TensorRule rule, SyntaxNode call, bool packed = false)
        => _tensorCalls.Add(new TensorTangentCheck(rule, packed, LocationInfo.From(call.GetLocation()), Shorten(call.ToString()), _method.Name));

    void Report(Location? location, string code, string why)
        => _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ForwardModeUnavailable, location, code, _method.Name, why));

    static string Shorten(string text)
    {
        var line = text.Replace("\r", "").Split('\n')[0].Trim();
        return line.Length > 60 ? line.Substring(0, 57) + "..." : line;
    }
}
