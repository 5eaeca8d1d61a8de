using System.Linq;
using System.Collections.Immutable;
using Leibniz.Generators.Common;
using Leibniz.Generators.Frontend;
using Leibniz.Generators.IR;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Leibniz.Generators.Pipelines;

/// <summary>
/// <c>[Differentiable]</c> methods → reverse mode (<c>…WithGradient</c>, <c>…Pullback</c>, a model's sweep) in one
/// generated file per containing type, and, for methods that ask for it with <c>Modes</c>, forward mode and
/// Hessian–vector products (<c>…Tangent</c>, <c>…JacobianVectorProduct</c>, <c>…HessianVectorProduct</c>) in another.
/// Each method is lowered once per edit; the lowered spec, which holds no location or symbol, feeds every mode.
/// Why a method cannot be differentiated is the analyzer's to report (it runs the same front end); this pipeline
/// emits what lowers and reports only what it alone sees: its own failures, and methods left without forward mode
/// because a method they call has none.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class DifferentiableGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var lowered = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                SymbolNames.DifferentiableAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (attributed, cancellationToken) => Lower(attributed, cancellationToken))
            .WithTrackingName(TrackingNames.DifferentiableFrontend);

        // The front end's failures keep their real locations (so #pragma warning disable applies to them) and go
        // straight to their own output; only the spec, which has no position in it, travels on and is cached.
        var frontendDiagnostics = lowered
            .SelectMany(static (lowering, _) => lowering.Diagnostics)
            .WithTrackingName(TrackingNames.DifferentiableFrontendDiagnostics);

        var ownMethods = lowered
            .SelectMany(static (lowering, _) => lowering.Method is { } method ? ImmutableArray.Create(method) : ImmutableArray<DifferentiableMethod>.Empty)
            .WithTrackingName(TrackingNames.OwnDifferentiableMethods);

        // Implicit layers: each condition is differentiated as a [Differentiable] method would be, beside the others.
        var layers = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                SymbolNames.ImplicitLayerAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                static (attributed, cancellationToken) => LowerLayer(attributed, cancellationToken))
            .WithTrackingName(TrackingNames.ImplicitLayerFrontend);

        var conditions = layers
            .SelectMany(static (layer, _) => layer.Condition is { } condition ? ImmutableArray.Create(condition) : ImmutableArray<DifferentiableMethod>.Empty)
            .WithTrackingName(TrackingNames.ImplicitConditions);

        // One stream of methods for every mode; a method that did not change stays cached item by item after the join.
        var methods = ownMethods
            .Collect()
            .Combine(conditions.Collect())
            .WithTrackingName(TrackingNames.DifferentiableMethodsCollected)
            .SelectMany(static (pair, _) => pair.Left.AddRange(pair.Right))
            .WithTrackingName(TrackingNames.DifferentiableMethods);

        // Reverse mode, for every method.
        var differentiated = methods
            .Select(static (method, _) => Differentiate(method))
            .WithTrackingName(TrackingNames.DifferentiableReverse);

        var derivativeTypes = differentiated
            .SelectMany(static (result, _) => result.Spec is { } spec ? ImmutableArray.Create(spec) : ImmutableArray<TypedFunction>.Empty)
            .WithTrackingName(TrackingNames.DifferentiableReverseSpecs)
            .Collect()
            .WithTrackingName(TrackingNames.DifferentiableReverseCollected)
            .SelectMany(static (functions, _) => Group(functions))
            .WithTrackingName(TrackingNames.DifferentiableTypes);

        // Forward mode and Hessian–vector products, for the methods that ask.
        var tangents = methods
            .Where(static method => method.Forward)
            .WithTrackingName(TrackingNames.ForwardRequests)
            .Select(static (method, _) => DifferentiateForward(method))
            .WithTrackingName(TrackingNames.ForwardTangents);

        var resolved = tangents
            .Collect()
            .WithTrackingName(TrackingNames.ForwardCollected)
            .Select(static (all, _) => Resolve(all))
            .WithTrackingName(TrackingNames.ForwardResolved);

        var tangentTypes = resolved
            .SelectMany(static (result, _) => result.Types)
            .WithTrackingName(TrackingNames.ForwardTypes);

        // What the transforms report names its method by declaration ID; it is placed in the source only here, against the
        // compilation of this run, so no step before it depends on where anything is.
        var pending = differentiated
            .SelectMany(static (result, _) => result.Failures.AsImmutableArray())
            .WithTrackingName(TrackingNames.DifferentiableReverseFailures)
            .Collect()
            .WithTrackingName(TrackingNames.DifferentiableReverseFailuresCollected)
            .Combine(resolved.Select(static (result, _) => result.Failures).WithTrackingName(TrackingNames.ForwardFailures))
            .WithTrackingName(TrackingNames.DifferentiableFailuresCombined)
            .Select(static (pair, _) => Pending(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.DifferentiablePendingDiagnostics);

        // The one step that reads the compilation, so it runs on every edit; it does nothing while nothing is pending.
        var transformDiagnostics = pending
            .Combine(context.CompilationProvider)
            .WithTrackingName(TrackingNames.DifferentiableCompilation)
            .Select(static (pair, cancellationToken) => Place(pair.Left, pair.Right, cancellationToken))
            .WithTrackingName(TrackingNames.DifferentiableTransformDiagnostics);

        // A layer is written once its condition's derivatives are: what it calls must exist.
        var generated = differentiated
            .Select(static (result, _) => result.Spec is { } spec ? GeneratedKey(spec.Hierarchy, spec.Function.Primal.Name) : "")
            .Collect()
            .Combine(resolved)
            .Select(static (pair, _) => Generated(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.GeneratedDerivatives);

        var layerOutputs = layers
            .SelectMany(static (layer, _) => layer.Spec is { } spec ? ImmutableArray.Create(spec) : ImmutableArray<ImplicitLayerSpec>.Empty)
            .WithTrackingName(TrackingNames.ImplicitLayerSpecs)
            .Combine(generated)
            .Select(static (pair, _) => ToEmit(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.ImplicitLayerOutputs);

        context.RegisterSourceOutput(derivativeTypes, static (output, type) => EmitDerivatives(output, type));
        context.RegisterSourceOutput(layerOutputs, static (output, layer) => EmitLayer(output, layer));
        context.RegisterSourceOutput(layers.SelectMany(static (layer, _) => layer.Failures), static (output, diagnostic) => output.ReportDiagnostic(diagnostic));
        context.RegisterSourceOutput(tangentTypes, static (output, type) => EmitTangents(output, type));
        context.RegisterSourceOutput(frontendDiagnostics, static (output, diagnostic) => output.ReportDiagnostic(diagnostic));
        context.RegisterSourceOutput(transformDiagnostics, static (output, diagnostics) => Report(output, diagnostics));
    }

    static EquatableArray<MethodDiagnostic> Pending(ImmutableArray<MethodDiagnostic> reverse, EquatableArray<MethodDiagnostic> forward)
        => reverse.Concat(forward).ToEquatableArray();

    static void Report(SourceProductionContext output, ImmutableArray<Diagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics) output.ReportDiagnostic(diagnostic);
    }
}
