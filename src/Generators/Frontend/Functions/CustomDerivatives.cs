using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.Diagnostics;
using Microsoft.CodeAnalysis;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>
/// Finds the <c>[Derivative(Of = …)]</c> pullback a user wrote for a function, and checks its
/// signature against the function's, naming the first parameter that does not match.
/// </summary>
internal static class CustomDerivatives
{
    /// <summary>A valid custom pullback of <paramref name="function"/>, looked for beside it and beside <paramref name="caller"/>.</summary>
    public static IMethodSymbol? Find(IMethodSymbol function, INamedTypeSymbol caller)
    {
        foreach (var type in new[] { function.ContainingType, caller }.Distinct<INamedTypeSymbol>(SymbolEqualityComparer.Default))
        {
            foreach (var candidate in type.GetMembers().OfType<IMethodSymbol>())
            {
                if (Target(candidate) is { } target && SymbolEqualityComparer.Default.Equals(target.Type, function.ContainingType)
                    && target.Name == function.Name && Mismatch(candidate, function) is null)
                    return candidate;
            }
        }

        return null;
    }

    /// <summary>LZ0105 when a <c>[Derivative]</c> method names no function, or does not fit any function of that name.</summary>
    public static DiagnosticInfo? Check(IMethodSymbol derivative)
    {
        if (Target(derivative) is not { } target) return null;
        var location = derivative.Locations.FirstOrDefault();
        var candidates = target.Type.GetMembers(target.Name).OfType<IMethodSymbol>().Where(m => !SymbolEqualityComparer.Default.Equals(m, derivative)).ToList();
        if (candidates.Count == 0)
            return DiagnosticInfo.Create(DiagnosticDescriptors.DerivativeSignatureMismatch, location, derivative.Name, $"{target.Type.Name}.{target.Name}", $"'{target.Type.Name}' has no method named '{target.Name}'");

        string? first = null;
        foreach (var candidate in candidates)
        {
            var mismatch = Mismatch(derivative, candidate);
            if (mismatch is null) return null;
            first ??= mismatch;
        }

        return DiagnosticInfo.Create(DiagnosticDescriptors.DerivativeSignatureMismatch, location, derivative.Name, $"{target.Type.Name}.{target.Name}", first!);
    }

    static (INamedTypeSymbol Type, string Name)? Target(IMethodSymbol derivative)
    {
        var attribute = derivative.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == SymbolNames.DerivativeAttribute);
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

    /// <summary>Why <paramref name="derivative"/> is not a pullback of <paramref name="function"/>, or null when it is.</summary>
    static string? Mismatch(IMethodSymbol derivative, IMethodSymbol function)
    {
        var expected = new List<(string Type, RefKind Kind)>();
        foreach (var parameter in function.Parameters) expected.Add((parameter.Type.ToDisplayString(), RefKind.None));
        expected.Add((function.ReturnType.ToDisplayString(), RefKind.None));
        foreach (var parameter in function.Parameters.Where(HasAdjoint))
            expected.Add((parameter.Type.ToDisplayString(), parameter.Type is IArrayTypeSymbol ? RefKind.None : RefKind.Ref));

        if (!derivative.IsStatic || !function.IsStatic) return "both must be static";
        if (!SymbolEqualityComparer.Default.Equals(derivative.ReturnType, function.ReturnType))
            return $"it must return '{function.ReturnType.ToDisplayString()}' (the function's value), not '{derivative.ReturnType.ToDisplayString()}'";
        if (derivative.Parameters.Length != expected.Count)
            return $"it takes {derivative.Parameters.Length} parameters, but a pullback of '{function.Name}' takes {expected.Count}: {Describe(expected)}";

        for (var i = 0; i < expected.Count; i++)
        {
            var actual = derivative.Parameters[i];
            if (actual.Type.ToDisplayString() != expected[i].Type || actual.RefKind != expected[i].Kind)
                return $"type mismatch at {Ordinal(i + 1)} parameter: expected '{Text(expected[i])}', found '{Text((actual.Type.ToDisplayString(), actual.RefKind))}'";
        }

        return null;
    }

    static bool HasAdjoint(IParameterSymbol parameter)
    {
        var type = parameter.Type is IArrayTypeSymbol array ? array.ElementType : parameter.Type;
        return type.SpecialType is SpecialType.System_Double or SpecialType.System_Single
            && !parameter.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == SymbolNames.NoDerivativeAttribute);
    }

    static string Describe(List<(string Type, RefKind Kind)> parameters) => "(" + string.Join(", ", parameters.Select(Text)) + ")";

    static string Text((string Type, RefKind Kind) parameter) => parameter.Kind == RefKind.Ref ? "ref " + parameter.Type : parameter.Type;

    static string Ordinal(int n) => n + (n % 100 is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });
}
