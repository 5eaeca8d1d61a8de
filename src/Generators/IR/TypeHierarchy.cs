using Leibniz.Generators.Common;

namespace Leibniz.Generators.IR;

/// <summary>One type declaration to re-open in generated code: its keyword (<c>class</c>, <c>record struct</c>…) and name with type parameters.</summary>
internal sealed record TypeDeclaration(string Keyword, string NameWithTypeParameters);

/// <summary>
/// Where a user's type lives: its namespace and the chain of types containing it, outermost first,
/// so the emitter can re-open every <c>partial</c> container around the generated members.
/// </summary>
internal sealed record TypeHierarchy(string? Namespace, EquatableArray<TypeDeclaration> Containers, TypeDeclaration Type, string HintName);
