using System;
using System.Linq;
using System.Threading;
using Leibniz.Generators.Common;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.Emit;
using Leibniz.Generators.Frontend;
using Leibniz.Generators.IR;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Leibniz.Generators.Pipelines;

/// <summary>
/// <c>[Model]</c> → a TorchSharp module. The front end's validation diagnostics are the analyzer's
/// to report (they must show while typing); this pipeline only emits valid models and reports its
/// own failures, so nothing is reported twice.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ModelGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var lowered = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                SymbolNames.ModelAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                static (attributed, cancellationToken) => Lower(attributed, cancellationToken))
            .WithTrackingName(TrackingNames.ModelFrontend);

        var specs = lowered
            .Select(static (result, _) => result.Spec)
            .Where(static spec => spec is not null)
            .WithTrackingName(TrackingNames.ModelSpecs);

        var failures = lowered
            .Select(static (result, _) => result.Diagnostics
                .Where(d => d.Descriptor == DiagnosticDescriptors.GeneratorFailure)
                .ToEquatableArray())
            .Where(static failures => failures.Count > 0)
            .WithTrackingName(TrackingNames.ModelFailures);

        context.RegisterSourceOutput(specs, static (output, spec) => Emit(output, spec!));
        context.RegisterSourceOutput(failures, static (output, diagnostics) =>
        {
            foreach (var diagnostic in diagnostics) output.ReportDiagnostic(diagnostic.ToDiagnostic());
        });
    }

    static FrontendResult<ModelSpec> Lower(GeneratorAttributeSyntaxContext attributed, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)attributed.TargetSymbol;
        try
        {
            var result = ModelFrontend.Lower(type, attributed.SemanticModel.Compilation, cancellationToken);
            // Keep the diagnostics out of the cached value: only whether there is a spec matters here.
            return new FrontendResult<ModelSpec>(result.Spec, EquatableArray<DiagnosticInfo>.Empty);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failure = DiagnosticInfo.Create(DiagnosticDescriptors.GeneratorFailure, type.Locations.FirstOrDefault(), type.Name, e.GetType().Name + ": " + e.Message);
            return new FrontendResult<ModelSpec>(null, new[] { failure }.ToEquatableArray());
        }
    }

    static void Emit(SourceProductionContext output, ModelSpec spec)
    {
        string source;
        try
        {
            source = ParameterDocumentation.Complete(ModelEmitter.Emit(spec));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            output.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.GeneratorFailure, Location.None, spec.Hierarchy.Type.NameWithTypeParameters, e.GetType().Name + ": " + e.Message));
            return;
        }

        output.AddSource(spec.Hierarchy.HintName, SourceText.From(source, System.Text.Encoding.UTF8));
    }
}
