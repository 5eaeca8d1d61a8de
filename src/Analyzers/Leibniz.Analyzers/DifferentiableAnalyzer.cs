using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.Frontend;
using Leibniz.Generators.Frontend.Functions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Leibniz.Analyzers;

/// <summary>
/// Reports, while the user types, why a <c>[Differentiable]</c> method cannot be differentiated
/// (LZ0101–LZ0103, from the generator's own front end run on the same method), why its
/// derivatives would have nowhere to go (LZ0104, a type around it that is not partial), and why a
/// hand-written <c>[Derivative]</c> does not fit its function (LZ0105); in-place tensor updates
/// (LZ0106), conversions that zero a derivative (LZ0107), and a result independent of the
/// differentiated inputs (LZ0108); what forward mode cannot follow in a method that asks for it (LZ0109);
/// a [Model] field called without a generated backward to run through (LZ0110); a hand-written [Tangent] that
/// does not fit its function (LZ0111); a user name that a generated member callers reach by name needs (LZ0112).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DifferentiableAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.UnsupportedStatement,
        DiagnosticDescriptors.NonDifferentiableCall,
        DiagnosticDescriptors.UnsupportedSignature,
        DiagnosticDescriptors.DifferentiableMustBeInPartialType,
        DiagnosticDescriptors.DerivativeSignatureMismatch,
        DiagnosticDescriptors.InPlaceMutation,
        DiagnosticDescriptors.IntegerConversion,
        DiagnosticDescriptors.ResultIndependentOfInputs,
        DiagnosticDescriptors.ForwardModeUnavailable,
        DiagnosticDescriptors.ModelCallWithoutBackward,
        DiagnosticDescriptors.TangentSignatureMismatch,
        DiagnosticDescriptors.GeneratedNameTaken);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var differentiable = start.Compilation.GetTypeByMetadataName(SymbolNames.DifferentiableAttribute);
            if (differentiable is null) return;
            var model = start.Compilation.GetTypeByMetadataName(SymbolNames.ModelAttribute);

            // A syntax-node action, not a symbol action: the front end needs the semantic model of
            // the method's tree, and this one is shared with the rest of the analysis.
            start.RegisterSyntaxNodeAction(nodeContext => AnalyzeMethod(nodeContext, differentiable), SyntaxKind.MethodDeclaration);

            // LZ0104 sits on a type, so it is reported from that type's own symbol action: a diagnostic
            // outside the node being analysed is non-local, and the IDE offers no fix for it while typing.
            start.RegisterSymbolAction(symbolContext => AnalyzeType(symbolContext, differentiable, model), SymbolKind.NamedType);

            // LZ0105 / LZ0111: a hand-written [Derivative] pullback or [Tangent] whose signature does not fit its function.
            start.RegisterSymbolAction(symbolContext =>
            {
                var mismatch = CustomDerivatives.Check((IMethodSymbol)symbolContext.Symbol, KnownSymbols.For(symbolContext.Compilation));
                if (mismatch is not null) symbolContext.ReportDiagnostic(mismatch.ToDiagnostic(symbolContext.Compilation));
            }, SymbolKind.Method);
        });
    }

    static void AnalyzeMethod(SyntaxNodeAnalysisContext context, INamedTypeSymbol differentiable)
    {
        var declaration = (MethodDeclarationSyntax)context.Node;
        if (declaration.AttributeLists.Count == 0) return;
        if (context.SemanticModel.GetDeclaredSymbol(declaration, context.CancellationToken) is not { } method) return;
        // An implicit layer's condition is differentiated as a [Differentiable] method is, and reports the same way.
        if (!IsDifferentiable(method, differentiable) && ImplicitLayerFrontend.ConditionKind(method, KnownSymbols.For(context.Compilation)) is null) return;

        var result = Leibniz.Generators.Pipelines.LoweredFunctionChecks.Apply(FunctionLowering.Lower(method, declaration, context.SemanticModel, context.CancellationToken));
        foreach (var diagnostic in result.Diagnostics)
            context.ReportDiagnostic(diagnostic.ToDiagnostic(context.Compilation));

        // LZ0108: Swift's "result does not depend on differentiation arguments" — a zero gradient is usually a bug.
        if (result.Spec is { } spec)
        {
            var wrt = spec.Parameters.Where(p => p.IsWrt).Select(p => p.Name).ToList();
            if (wrt.Count > 0 && !Leibniz.Generators.Transforms.ActivityAnalysis.ResultDependsOn(spec, wrt))
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ResultIndependentOfInputs, declaration.Identifier.GetLocation(), method.Name, string.Join(", ", wrt)));
        }
    }

    /// <summary>
    /// LZ0104 on <paramref name="context"/>'s type, once for each <c>[Differentiable]</c> method in it
    /// or nested in it whose first non-partial type, from the method's own type outwards, is this one:
    /// the type around the method is the one to fix first, and a container follows once it is.
    /// A <c>[Model]</c> class, or a type holding one, already gets LZ0001 for the same fix.
    /// </summary>
    static void AnalyzeType(SymbolAnalysisContext context, INamedTypeSymbol differentiable, INamedTypeSymbol? model)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (NonPartialDeclaration(type, context.CancellationToken) is not { } notPartial) return;
        if (model is not null && IsOrContainsModel(type, model)) return;

        foreach (var method in DifferentiableMethods(type, differentiable))
        {
            if (!SymbolEqualityComparer.Default.Equals(FirstNonPartial(method.ContainingType, context.CancellationToken), type)) continue;
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.DifferentiableMustBeInPartialType,
                notPartial.Identifier.GetLocation(),
                type.Name,
                method.Name));
        }
    }

    static IEnumerable<IMethodSymbol> DifferentiableMethods(INamedTypeSymbol type, INamedTypeSymbol differentiable)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is IMethodSymbol method && IsDifferentiable(method, differentiable)) yield return method;
            if (member is INamedTypeSymbol nested)
                foreach (var inner in DifferentiableMethods(nested, differentiable)) yield return inner;
        }
    }

    static bool IsOrContainsModel(INamedTypeSymbol type, INamedTypeSymbol model)
        => type.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, model))
            || type.GetTypeMembers().Any(nested => IsOrContainsModel(nested, model));

    static bool IsDifferentiable(IMethodSymbol method, INamedTypeSymbol differentiable)
        => method.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, differentiable));

    static INamedTypeSymbol? FirstNonPartial(INamedTypeSymbol? type, CancellationToken cancellationToken)
    {
        for (var current = type; current is not null; current = current.ContainingType)
            if (NonPartialDeclaration(current, cancellationToken) is not null) return current;
        return null;
    }

    static TypeDeclarationSyntax? NonPartialDeclaration(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
                && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                return declaration;
        }

        return null;
    }
}
