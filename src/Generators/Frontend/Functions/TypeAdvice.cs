using Microsoft.CodeAnalysis;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>
/// What to write instead of a value whose type the IR does not model, for the types people reach for first: the remedy
/// a refusal ends with, so that it names the working alternative and not only the rule.
/// </summary>
internal static class TypeAdvice
{
    /// <summary>A remedy for a value of <paramref name="type"/>, starting with "; ", or empty when there is nothing specific to say.</summary>
    public static string For(ITypeSymbol type)
    {
        if (type.Name == "Random" && type.ContainingNamespace?.ToDisplayString() == "System")
            return "; a Random is state the derivative cannot follow: draw the numbers before the call and pass them in (a [NoDerivative] array or tensor), or use torch.rand_like/randn_like on tensors";
        if (type.SpecialType == SpecialType.System_String)
            return "; text carries no derivative: pass the choice it makes as an int or a bool";
        if (type.SpecialType == SpecialType.System_Decimal)
            return "; decimal has no derivative rules: use double";
        if (type is INamedTypeSymbol { IsGenericType: true } generic && generic.ContainingNamespace?.ToDisplayString() is "System.Collections.Generic" or "System.Collections.Immutable")
            return "; pass the numbers as a double[] (or a Tensor)";
        if (type.IsValueType && type.TypeKind == TypeKind.Struct && type.SpecialType == SpecialType.None)
            return $"; pass the fields of {type.Name} as separate parameters (or a double[])";
        return "";
    }

    /// <summary>The remedy for a call of an instance method: LINQ and Random get their own; anything else is to be made static.</summary>
    public static string ForInstanceCall(IMethodSymbol callee)
    {
        if (callee.ReducedFrom is { ContainingType: { } extensions } && extensions.ToDisplayString() == "System.Linq.Enumerable")
            return $"a LINQ query ('{callee.Name}'), which the generator cannot see into; write the loop out, as in for (var i = 0; i < x.Length; i++) s += x[i];";
        if (callee.ContainingType is { Name: "Random" } random && random.ContainingNamespace?.ToDisplayString() == "System")
            return "a draw from a Random, which is state the derivative cannot follow; draw the numbers before the call and pass them in (a [NoDerivative] array or tensor)";
        return $"a call of instance method '{callee.ToDisplayString()}'; call a static method instead";
    }
}
