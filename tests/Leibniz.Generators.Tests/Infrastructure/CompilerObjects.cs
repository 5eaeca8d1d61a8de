using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Leibniz.Generators.Tests.Infrastructure;

/// <summary>Walks pipeline models by reflection: a cached model holding a symbol, a compilation or syntax would defeat caching.</summary>
internal static class CompilerObjects
{
    static readonly Type[] Forbidden = { typeof(ISymbol), typeof(Compilation), typeof(SyntaxNode), typeof(Location), typeof(SemanticModel), typeof(SyntaxTree) };

    public static void AssertNone(IEnumerable<object> values)
    {
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var value in values)
            Walk(value, "step output", visited);
    }

    static void Walk(object? value, string path, HashSet<object> visited)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum) return;
        var type = value.GetType();
        Assert.False(Forbidden.Any(f => f.IsAssignableFrom(type)), $"{path} holds a {type.Name}, which would defeat caching");
        if (!type.IsValueType && !visited.Add(value)) return;

        // DiagnosticDescriptor is a shared static singleton; it is compared by reference and safe to cache.
        if (value is DiagnosticDescriptor) return;

        if (value is IEnumerable items)
        {
            var index = 0;
            foreach (var item in items) Walk(item, $"{path}[{index++}]", visited);
        }

        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            if (field.FieldType.IsPointer) continue;
            Walk(field.GetValue(value), $"{path}.{field.Name}", visited);
        }
    }
}
