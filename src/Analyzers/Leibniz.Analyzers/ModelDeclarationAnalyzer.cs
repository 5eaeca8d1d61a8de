using System.Collections.Immutable;
using System.Linq;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.Frontend;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Leibniz.Analyzers;

/// <summary>
/// Reports, while the user types, why a <c>[Model]</c> class cannot become a module
/// (LZ0001–LZ0005). The checks are the generator's own front end, run on the same symbol.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ModelDeclarationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.ModelMustBePartial,
        DiagnosticDescriptors.ComponentMustBeTensorField,
        DiagnosticDescriptors.ModelNeedsForward,
        DiagnosticDescriptors.ModelCannotHaveBaseClass,
        DiagnosticDescriptors.ModelMustBeInstantiable);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var modelAttribute = start.Compilation.GetTypeByMetadataName(SymbolNames.ModelAttribute);
            if (modelAttribute is null) return;

            start.RegisterSymbolAction(symbolContext =>
            {
                var type = (INamedTypeSymbol)symbolContext.Symbol;
                if (!type.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, modelAttribute)))
                {
                    // A type holding a model is checked for 'partial' here, on its own symbol, so the diagnostic is local to it.
                    var container = ModelFrontend.CheckContainer(type, KnownSymbols.For(symbolContext.Compilation), symbolContext.CancellationToken);
                    if (container is not null) symbolContext.ReportDiagnostic(container.ToDiagnostic(symbolContext.Compilation));
                    return;
                }

                var result = ModelFrontend.Lower(type, symbolContext.Compilation, symbolContext.CancellationToken);
                foreach (var diagnostic in result.Diagnostics)
                    symbolContext.ReportDiagnostic(diagnostic.ToDiagnostic(symbolContext.Compilation));
            }, SymbolKind.NamedType);
        });
    }
}
