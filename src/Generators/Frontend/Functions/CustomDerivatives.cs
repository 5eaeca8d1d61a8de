using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.Diagnostics;
using Microsoft.CodeAnalysis;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>
/// Finds the hand-written derivatives a user wrote for a function — a <c>[Derivative(Of = …)]</c> pullback, a
/// <c>[Tangent(Of = …)]</c> Jacobian–vector product — and checks their signatures against the function's, naming
/// the first parameter that does not match.
/// </summary>
internal static class CustomDerivatives
{
    enum Kind
    {
        Pullback,
        Tangent,
    }

    /// <summary>A valid custom pullback of <paramref name="function"/>, looked for beside it and beside <paramref name="caller"/>.</summary>
    public static IMethodSymbol? Find(IMethodSymbol function, INamedTypeSymbol caller, KnownSymbols known) => Find(function, caller, Kind.Pullback, known);

    /// <summary>A valid custom tangent of <paramref name="function"/>, looked for beside it and beside <paramref name="caller"/>.</summary>
    public static IMethodSymbol? FindTangent(IMethodSymbol function, INamedTypeSymbol caller, KnownSymbols known) => Find(function, caller, Kind.Tangent, known);

    static IMethodSymbol? Find(IMethodSymbol function, INamedTypeSymbol caller, Kind kind, KnownSymbols known)
    {
        foreach (var type in new[] { function.ContainingType, caller }.Distinct<INamedTypeSymbol>(SymbolEqualityComparer.Default))
        {
            foreach (var candidate in type.GetMembers().OfType<IMethodSymbol>())
            {
                if (Target(candidate, kind, known) is { } target && SymbolEqualityComparer.Default.Equals(target.Type, function.ContainingType)
                    && target.Name == function.Name && Mismatch(candidate, function, kind, known) is null)
                    return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// LZ0105 (LZ0111) when a <c>[Derivative]</c> (<c>[Tangent]</c>) method names no function, or does not fit any
    /// function of that name.
    /// </summary>
    public static DiagnosticInfo? Check(IMethodSymbol method, KnownSymbols known) => Check(method, Kind.Pullback, known) ?? Check(method, Kind.Tangent, known);

    static DiagnosticInfo? Check(IMethodSymbol derivative, Kind kind, KnownSymbols known)
    {
        if (Target(derivative, kind, known) is not { } target) return null;
        var descriptor = kind == Kind.Pullback ? DiagnosticDescriptors.DerivativeSignatureMismatch : DiagnosticDescriptors.TangentSignatureMismatch;
        var location = derivative.Locations.FirstOrDefault();
        var candidates = target.Type.GetMembers(target.Name).OfType<IMethodSymbol>().Where(m => !SymbolEqualityComparer.Default.Equals(m, derivative)).ToList();
        if (candidates.Count == 0)
            return DiagnosticInfo.Create(descriptor, location, derivative.Name, $"{target.Type.Name}.{target.Name}", $"'{target.Type.Name}' has no method named '{target.Name}'");

        string? first = null;
        foreach (var candidate in candidates)
        {
            var mismatch = Mismatch(derivative, candidate, kind, known);
            if (mismatch is null) return null;
            first ??= mismatch;
        }

        return DiagnosticInfo.Create(descriptor, location, derivative.Name, $"{target.Type.Name}.{target.Name}", first!);
    }

    static (INamedTypeSymbol Type, string Name)? Target(IMethodSymbol derivative, Kind kind, KnownSymbols known)
    {
        var attribute = KnownSymbols.Find(derivative, kind == Kind.Pullback ? known.DerivativeAttribute : known.TangentAttribute);
        if (attribute is null) return null;
        string? name = null;
        INamedTypeSymbol type = derivative.ContainingType;
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "Of" && argument.Value.Value is string of) name = of;
            if (argument.Key == "In" && argument.Value.Value is INamedTypeSymbol inType) type = inType;
        }

        return string.IsNullOrEmpty(name) ? null : (type, name!);
    }

    /// <summary>Why <paramref name="derivative"/> is not a pullback (tangent) of <paramref name="function"/>, or null when it is.</summary>
    static string? Mismatch(IMethodSymbol derivative, IMethodSymbol function, Kind kind, KnownSymbols known)
    {
        // A pullback: the parameters, the seed, then a ref adjoint per differentiable parameter (an array as is; a tensor's
        // adjoint is null until something adds to it).
        // A tangent: the parameters, then a tangent per differentiable parameter, of its type.
        var expected = new List<(ITypeSymbol Type, RefKind Kind)>();
        foreach (var parameter in function.Parameters) expected.Add((parameter.Type, RefKind.None));
        if (kind == Kind.Pullback) expected.Add((function.ReturnType, RefKind.None));
        foreach (var parameter in function.Parameters.Where(p => HasAdjoint(p, known)))
            expected.Add((parameter.Type, kind == Kind.Pullback && parameter.Type is not IArrayTypeSymbol ? RefKind.Ref : RefKind.None));

        var role = kind == Kind.Pullback ? "a pullback" : "a tangent";
        var returned = kind == Kind.Pullback ? "the function's value" : "the derivative along the tangents";
        if (!derivative.IsStatic || !function.IsStatic) return "both must be static";
        if (!SymbolEqualityComparer.Default.Equals(derivative.ReturnType, function.ReturnType))
            return $"it must return '{function.ReturnType.ToDisplayString()}' ({returned}), not '{derivative.ReturnType.ToDisplayString()}'";
        if (derivative.Parameters.Length != expected.Count)
            return $"it takes {derivative.Parameters.Length} parameters, but {role} of '{function.Name}' takes {expected.Count}: {Describe(expected)}";

        for (var i = 0; i < expected.Count; i++)
        {
            var actual = derivative.Parameters[i];
            if (!SymbolEqualityComparer.Default.Equals(actual.Type, expected[i].Type) || actual.RefKind != expected[i].Kind)
                return $"type mismatch at {Ordinal(i + 1)} parameter: expected '{Text(expected[i])}', found '{Text((actual.Type, actual.RefKind))}'";
        }

        return null;
    }

    /// <summary>Whether a parameter carries an adjoint: a double or float, an array of them, or a tensor, not marked [NoDerivative].</summary>
    static bool HasAdjoint(IParameterSymbol parameter, KnownSymbols known)
    {
        var type = parameter.Type is IArrayTypeSymbol array ? array.ElementType : parameter.Type;
        return (type.SpecialType is SpecialType.System_Double or SpecialType.System_Single || type is INamedTypeSymbol named && IRTypes.IsTensor(named))
            && !KnownSymbols.Has(parameter, known.NoDerivativeAttribute);
    }

    static string Describe(List<(ITypeSymbol Type, RefKind Kind)> parameters) => "(" + string.Join(", ", parameters.Select(Text)) + ")";

    static string Text((ITypeSymbol Type, RefKind Kind) parameter)
    {
        var type = parameter.Type.WithNullableAnnotation(NullableAnnotation.None).ToDisplayString();
        // A tensor adjoint starts as null (zero): the expected signature says so.
        if (parameter.Kind == RefKind.Ref && parameter.Type is INamedTypeSymbol named && IRTypes.IsTensor(named)) type += "?";
        return parameter.Kind == RefKind.Ref ? "ref " + type : type;
    }

    static string Ordinal(int n) => n + (n % 100 is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });
}
