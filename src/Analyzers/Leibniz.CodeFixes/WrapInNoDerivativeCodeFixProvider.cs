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
/// LZ0102: wraps a call that has no known derivative in <c>Derivatives.NoDerivative(...)</c>, so the
/// derivative treats its result as a constant. Offered, not assumed: a zero derivative is right for
/// <c>Math.Floor</c> and wrong for a smooth helper that only lacks <c>[Differentiable]</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WrapInNoDerivativeCodeFixProvider))]
[Shared]
public sealed class WrapInNoDerivativeCodeFixProvider : CodeFixProvider
{
    const string EquivalenceKey = "Leibniz.WrapInNoDerivative";
    const string ShortName = "Derivatives.NoDerivative";
    const string QualifiedName = "global::Leibniz.Derivatives.NoDerivative";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.NonDifferentiableCall.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;

        foreach (var diagnostic in context.Diagnostics)
        {
            var span = diagnostic.Location.SourceSpan;
            var invocation = root.FindNode(span, getInnermostNodeForTie: true)
                .AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault(node => node.Span == span);
            if (invocation is null) continue;

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Wrap in NoDerivative(...) (treat the result as a constant)",
                    cancellationToken => WrapAsync(context.Document, invocation, cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }

    static async Task<Document> WrapAsync(Document document, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return document;

        var callee = SyntaxFactory.ParseExpression(ResolvesToDerivatives(model, invocation.SpanStart) ? ShortName : QualifiedName);
        var wrapped = SyntaxFactory.InvocationExpression(
                callee,
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(invocation.WithoutTrivia()))))
            .WithTriviaFrom(invocation);
        return document.WithSyntaxRoot(root.ReplaceNode(invocation, wrapped));
    }

    /// <summary>
    /// Whether the simple name <c>Derivatives</c> means <c>Leibniz.Derivatives</c> here: true under
    /// <c>using Leibniz;</c> (in this file or a global using) or inside <c>namespace Leibniz</c>, false
    /// when it is out of scope or something else of that name shadows it.
    /// </summary>
    static bool ResolvesToDerivatives(SemanticModel model, int position)
    {
        var derivatives = model.Compilation.GetTypeByMetadataName(SymbolNames.Derivatives);
        if (derivatives is null) return false;
        var visible = model.LookupNamespacesAndTypes(position, name: "Derivatives");
        return visible.Length == 1 && SymbolEqualityComparer.Default.Equals(visible[0], derivatives);
    }
}
