using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>
/// Lets a model method's body bind as it will once the generators have run. A <c>[Model]</c> class
/// gets its base class (<c>ModelModule&lt;T, TResult&gt;</c>) from the model generator, which the
/// generators themselves never see; so in their compilation <c>encoder.call(x)</c> and
/// <c>encoder.forward(x)</c> on a <c>[Model]</c> field do not resolve, and neither does the type of
/// anything computed from them. When a method has such calls, it is bound again in a copy of the
/// compilation with that base declared for the fields' model classes. The analyzer's compilation
/// already holds the generated base, and needs no copy.
/// </summary>
internal static class ModelBases
{
    const string StubPath = "Leibniz.Generators.ModelBases.g.cs";

    public static (IMethodSymbol Method, SemanticModel Model) Complete(IMethodSymbol method, MethodDeclarationSyntax declaration, SemanticModel model, CancellationToken cancellationToken)
    {
        var compilation = model.Compilation;
        var known = KnownSymbols.For(compilation);
        if (known.ModelModule is null || method.IsStatic || !KnownSymbols.Has(method.ContainingType, known.ModelAttribute)) return (method, model);

        var unresolved = declaration.DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Where(invocation => invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.Text: "call" or "forward" }
                && model.GetSymbolInfo(invocation, cancellationToken).Symbol is null)
            .Select(invocation => model.GetSymbolInfo(((MemberAccessExpressionSyntax)invocation.Expression).Expression, cancellationToken).Symbol)
            .OfType<IFieldSymbol>()
            .Select(field => field.Type)
            .OfType<INamedTypeSymbol>()
            .Select(type => type.OriginalDefinition)
            .Where(type => type.DeclaringSyntaxReferences.Length > 0
                && KnownSymbols.Has(type, known.ModelAttribute)
                && type.BaseType?.SpecialType == SpecialType.System_Object)
            .Distinct<INamedTypeSymbol>(SymbolEqualityComparer.Default)
            .OrderBy(type => type.ToDisplayString(), System.StringComparer.Ordinal)
            .ToList();
        if (unresolved.Count == 0) return (method, model);

        var source = new StringBuilder();
        foreach (var type in unresolved)
        {
            if (Forward(type) is not { } forward) continue;
            var input = forward.Parameters[0].Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            var result = forward.ReturnType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            var hierarchy = TypeHierarchyReader.Read(type);
            if (hierarchy.Namespace is not null) source.Append("namespace ").Append(hierarchy.Namespace).Append(" { ");
            foreach (var container in hierarchy.Containers) source.Append("partial ").Append(container.Keyword).Append(' ').Append(container.NameWithTypeParameters).Append(" { ");
            source.Append("partial class ").Append(hierarchy.Type.NameWithTypeParameters)
                .Append(" : global::Leibniz.ModelModule<").Append(input).Append(", ").Append(result).Append("> { }");
            foreach (var _ in hierarchy.Containers) source.Append(" }");
            if (hierarchy.Namespace is not null) source.Append(" }");
            source.Append('\n');
        }

        var options = (CSharpParseOptions)declaration.SyntaxTree.Options;
        var stub = CSharpSyntaxTree.ParseText(source.ToString(), options, StubPath, cancellationToken: cancellationToken);
        var completed = compilation.AddSyntaxTrees(stub).GetSemanticModel(declaration.SyntaxTree);
        return completed.GetDeclaredSymbol(declaration, cancellationToken) is { } rebound ? (rebound, completed) : (method, model);
    }

    static IMethodSymbol? Forward(INamedTypeSymbol type)
    {
        var candidates = type.GetMembers("Forward").OfType<IMethodSymbol>().Where(m => !m.IsStatic && m.MethodKind == MethodKind.Ordinary && m.Parameters.Length == 1).ToList();
        return candidates.Count == 1 && !candidates[0].ReturnsVoid ? candidates[0] : null;
    }
}
