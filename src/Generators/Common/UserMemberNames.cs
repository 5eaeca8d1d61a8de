using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Leibniz.Generators.Common;

/// <summary>
/// The names of a type's members that the user wrote (not implicitly declared, not marked <c>[GeneratedCode]</c>), read
/// once per type symbol: every <c>[Differentiable]</c> method of a type checks its generated names against the same set,
/// and reading each member's attributes once per method made that check grow with methods × members.
/// </summary>
internal static class UserMemberNames
{
    // Keyed by the symbol, which belongs to one compilation, and held only as long as it is.
    static readonly ConditionalWeakTable<INamedTypeSymbol, HashSet<string>> Cache = new();

    /// <summary>Whether the user declared a member named <paramref name="name"/> in <paramref name="type"/>.</summary>
    public static bool Contains(INamedTypeSymbol type, string name) => Cache.GetValue(type, static t => Read(t)).Contains(name);

    static HashSet<string> Read(INamedTypeSymbol type)
        => new(type.GetMembers()
            .Where(m => !m.IsImplicitlyDeclared && !m.GetAttributes().Any(a => a.AttributeClass?.Name == "GeneratedCodeAttribute"))
            .Select(m => m.Name));
}
