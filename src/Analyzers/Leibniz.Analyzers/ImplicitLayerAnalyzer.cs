using System.Collections.Immutable;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.Frontend;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Leibniz.Analyzers;

/// <summary>
/// Reports, while the user types, why an <c>[ImplicitLayer]</c> class cannot be generated (LZ0201: its solver or
/// condition is missing, doubled or misdeclared; LZ0202: the condition's parameters do not follow the solver's). The checks
/// are the generator's own front end; why the condition's body cannot be differentiated is <see cref="DifferentiableAnalyzer"/>'s
/// to say — among it a hyperparameter read from a field instead of passed (LZ0101), JAXopt's most asked question.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ImplicitLayerAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.MalformedImplicitLayer,
        DiagnosticDescriptors.ConditionDoesNotFitSolver);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = KnownSymbols.For(start.Compilation);
            if (known.ImplicitLayerAttribute is null) return;

            start.RegisterSymbolAction(symbolContext =>
            {
                var type = (INamedTypeSymbol)symbolContext.Symbol;
                if (!KnownSymbols.Has(type, known.ImplicitLayerAttribute)) return;
                var result = ImplicitLayerFrontend.Read(type, symbolContext.Compilation, symbolContext.CancellationToken);
                foreach (var diagnostic in result.Diagnostics)
                    symbolContext.ReportDiagnostic(diagnostic.ToDiagnostic(symbolContext.Compilation));
            }, SymbolKind.NamedType);
        });
    }
}
