using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.Frontend;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Leibniz.CodeFixes;

/// <summary>
/// LZ0202: gives an implicit layer's condition the solver's parameters after its solution, attributes (<c>[NoDerivative]</c>)
/// included. When the condition has as many parameters as the solver, one at the same position with the solver's type but
/// another name is renamed everywhere the body uses it. A body that read a parameter the solver lacks still needs
/// the user's edit, which the compiler then points at.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MatchSolverParametersCodeFixProvider))]
[Shared]
public sealed class MatchSolverParametersCodeFixProvider : CodeFixProvider
{
    const string EquivalenceKey = "Leibniz.MatchSolverParameters";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.ConditionDoesNotFitSolver.Id);

    /// <inheritdoc/>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;

        foreach (var diagnostic in context.Diagnostics)
        {
            var condition = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault();
            if (condition is null || model.GetDeclaredSymbol(condition, context.CancellationToken) is not { } symbol) continue;
            var known = KnownSymbols.For(model.Compilation);
            var solver = ImplicitLayerFrontend.Solvers(symbol.ContainingType, known).FirstOrDefault();
            if (solver?.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(context.CancellationToken) is not MethodDeclarationSyntax solverDeclaration) continue;

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Take the parameters of '{solver.Name}' after the solution",
                    cancellationToken => MatchAsync(context.Document, condition, solverDeclaration, cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }

    static async Task<Document> MatchAsync(Document document, MethodDeclarationSyntax condition, MethodDeclarationSyntax solver, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return document;

        // The body keeps working where a parameter at the same position has the solver's type: its uses take the new name.
        var renames = new System.Collections.Generic.Dictionary<string, string>();
        var existing = condition.ParameterList.Parameters;
        // Only when the counts agree: with one missing or extra, positions say nothing about which is which.
        var sameCount = existing.Count == solver.ParameterList.Parameters.Count + 1;
        for (var i = 0; sameCount && i < solver.ParameterList.Parameters.Count; i++)
        {
            var wanted = solver.ParameterList.Parameters[i];
            var had = existing[i + 1];
            if (had.Type is not null && wanted.Type is not null && SyntaxFactory.AreEquivalent(had.Type, wanted.Type) && had.Identifier.ValueText != wanted.Identifier.ValueText)
                renames[had.Identifier.ValueText] = wanted.Identifier.ValueText;
        }

        var body = (SyntaxNode?)condition.Body ?? condition.ExpressionBody;
        var renamedBody = body?.ReplaceNodes(
            body.DescendantNodes().OfType<IdentifierNameSyntax>().Where(n => renames.ContainsKey(n.Identifier.ValueText)
                && model.GetSymbolInfo(n, cancellationToken).Symbol is IParameterSymbol parameter && parameter.ContainingSymbol.Name == condition.Identifier.ValueText),
            (original, _) => original.WithIdentifier(SyntaxFactory.Identifier(renames[original.Identifier.ValueText]).WithTriviaFrom(original.Identifier)));

        var solution = existing.Count > 0 ? existing[0] : SyntaxFactory.Parameter(SyntaxFactory.Identifier("solution")).WithType(SyntaxFactory.IdentifierName("Tensor").WithTrailingTrivia(SyntaxFactory.Space));
        var parameters = SyntaxFactory.SeparatedList(new[] { solution.WithoutTrivia() }.Concat(solver.ParameterList.Parameters.Select(p => p.WithoutTrivia())));
        var updated = condition.WithParameterList(condition.ParameterList.WithParameters(parameters));
        if (renamedBody is BlockSyntax block) updated = updated.WithBody(block);
        else if (renamedBody is ArrowExpressionClauseSyntax arrow) updated = updated.WithExpressionBody(arrow);
        return document.WithSyntaxRoot(root.ReplaceNode(condition, updated));
    }
}
