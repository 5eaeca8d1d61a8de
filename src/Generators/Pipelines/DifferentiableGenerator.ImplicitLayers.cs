using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Leibniz.Generators.Common;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.Emit;
using Leibniz.Generators.Frontend;
using Leibniz.Generators.Frontend.Functions;
using Leibniz.Generators.IR;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Leibniz.Generators.Pipelines;

public sealed partial class DifferentiableGenerator
{
    /// <summary>An implicit layer as read: its spec (null when it has errors, which the analyzer reports), its condition lowered, and this pipeline's own failures.</summary>
    internal sealed record LayerLowering(ImplicitLayerSpec? Spec, DifferentiableMethod? Condition, ImmutableArray<Diagnostic> Failures);

    /// <summary>A layer to emit, and whether its condition's forward mode (its H·v, for an objective) exists to call.</summary>
    internal sealed record LayerOutput(ImplicitLayerSpec Spec, bool Emit, bool HasForward);

    static LayerLowering LowerLayer(GeneratorAttributeSyntaxContext attributed, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)attributed.TargetSymbol;
        try
        {
            var compilation = attributed.SemanticModel.Compilation;
            var known = KnownSymbols.For(compilation);
            var spec = ImplicitLayerFrontend.Read(type, compilation, cancellationToken).Spec;
            if (spec is null) return new LayerLowering(null, null, ImmutableArray<Diagnostic>.Empty);

            // A condition the user also marked [Differentiable] is lowered by that pipeline already.
            var (method, _) = ImplicitLayerFrontend.Condition(type, known)!.Value;
            if (KnownSymbols.Has(method, known.DifferentiableAttribute)) return new LayerLowering(spec, null, ImmutableArray<Diagnostic>.Empty);
            if (method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not MethodDeclarationSyntax declaration)
                return new LayerLowering(null, null, ImmutableArray<Diagnostic>.Empty);

            var model = compilation.GetSemanticModel(declaration.SyntaxTree);
            var condition = LowerMethod(method, declaration, model, cancellationToken);
            return new LayerLowering(condition is null ? null : spec, condition, ImmutableArray<Diagnostic>.Empty);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failure = Diagnostic.Create(DiagnosticDescriptors.GeneratorFailure, type.Locations.FirstOrDefault(), type.Name, e.GetType().Name + ": " + e.Message);
            return new LayerLowering(null, null, ImmutableArray.Create(failure));
        }
    }

    static string GeneratedKey(TypeHierarchy hierarchy, string method) => hierarchy.HintName + "|" + method;

    /// <summary>The keys of the methods whose reverse mode is generated, and, suffixed with <c>|forward</c>, those whose forward mode is.</summary>
    static EquatableArray<string> Generated(ImmutableArray<string> reverse, Resolved forward)
        => reverse.Where(k => k.Length > 0)
            .Concat(forward.Types.SelectMany(t => t.Functions.Select(f => GeneratedKey(t.Hierarchy, f.Primal.Name) + "|forward" + (f.Reverse is null ? "" : "|hvp"))))
            .OrderBy(k => k, StringComparer.Ordinal)
            .ToEquatableArray();

    static LayerOutput ToEmit(ImplicitLayerSpec spec, EquatableArray<string> generated)
    {
        var key = GeneratedKey(spec.Hierarchy, spec.Condition);
        var forward = spec.Kind == ImplicitConditionKind.Objective ? key + "|forward|hvp" : null;
        var hasForward = forward is null ? generated.Any(k => k.StartsWith(key + "|forward", StringComparison.Ordinal)) : generated.Contains(forward);
        // An objective's backward is its Hessian–vector product: without it there is nothing to write.
        var emit = generated.Contains(key) && (spec.Kind != ImplicitConditionKind.Objective || hasForward);
        return new LayerOutput(spec, emit, hasForward);
    }

    static void EmitLayer(SourceProductionContext output, LayerOutput layer)
    {
        if (!layer.Emit) return;
        string source;
        try
        {
            source = ParameterDocumentation.Complete(ImplicitLayerEmitter.Emit(layer.Spec, layer.HasForward));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            output.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.GeneratorFailure, Location.None, layer.Spec.Hierarchy.Type.NameWithTypeParameters, e.GetType().Name + ": " + e.Message));
            return;
        }

        var hint = layer.Spec.Hierarchy.HintName.Substring(0, layer.Spec.Hierarchy.HintName.Length - ".g.cs".Length) + ".ImplicitLayer.g.cs";
        output.AddSource(hint, SourceText.From(source, System.Text.Encoding.UTF8));
    }
}
