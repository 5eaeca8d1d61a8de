using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR;
using Microsoft.CodeAnalysis;

namespace Leibniz.Generators.Frontend;

/// <summary>Reads a type's namespace and containers into a <see cref="TypeHierarchy"/>.</summary>
internal static class TypeHierarchyReader
{
    static readonly SymbolDisplayFormat NameWithTypeParameters = new(
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    public static TypeHierarchy Read(INamedTypeSymbol type)
    {
        var containers = new List<TypeDeclaration>();
        for (var container = type.ContainingType; container is not null; container = container.ContainingType)
            containers.Insert(0, Declaration(container));

        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
        var hintParts = new List<string>();
        if (ns is not null) hintParts.Add(ns);
        hintParts.AddRange(ContainersAndSelf(type).Select(t => t.MetadataName.Replace('`', '_')));

        return new TypeHierarchy(ns, containers.ToEquatableArray(), Declaration(type), string.Join(".", hintParts) + ".g.cs");
    }

    /// <summary>The type and its containers, outermost first.</summary>
    public static IEnumerable<INamedTypeSymbol> ContainersAndSelf(INamedTypeSymbol type)
    {
        var chain = new List<INamedTypeSymbol>();
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType) chain.Insert(0, t);
        return chain;
    }

    static TypeDeclaration Declaration(INamedTypeSymbol type)
    {
        var keyword = type.TypeKind switch
        {
            TypeKind.Struct => type.IsRecord ? "record struct" : "struct",
            TypeKind.Interface => "interface",
            _ => type.IsRecord ? "record" : "class",
        };
        return new TypeDeclaration(keyword, type.ToDisplayString(NameWithTypeParameters));
    }
}
