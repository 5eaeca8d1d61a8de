using System.Collections.Immutable;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.Frontend;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Leibniz.Analyzers;

/// <summary>LZ0006: <c>[Parameter]</c> or <c>[Buffer]</c> on a field of a class that is not a <c>[Model]</c> does nothing.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StrayComponentAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.ComponentOutsideModel);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(symbolContext =>
        {
            var diagnostic = ModelFrontend.CheckStrayComponent((IFieldSymbol)symbolContext.Symbol, KnownSymbols.For(symbolContext.Compilation));
            if (diagnostic is not null) symbolContext.ReportDiagnostic(diagnostic.ToDiagnostic(symbolContext.Compilation));
        }, SymbolKind.Field);
    }
}
