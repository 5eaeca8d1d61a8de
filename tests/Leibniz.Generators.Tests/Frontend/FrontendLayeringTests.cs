using System.Reflection;
using System.Runtime.CompilerServices;
using Leibniz.Generators.Frontend.Functions;
using Leibniz.Generators.Pipelines;
using Leibniz.Generators.Tests.Infrastructure;

namespace Leibniz.Generators.Tests.Frontend;

/// <summary>
/// The front end reads Roslyn and writes IR and diagnostics, nothing more: its parts share no state but the one
/// <see cref="FunctionBuilder"/> they are handed, and it never reaches into the transforms that run after it.
/// </summary>
public sealed class FrontendLayeringTests
{
    const string FrontendNamespace = "Leibniz.Generators.Frontend";

    static readonly Assembly Generators = typeof(DifferentiableGenerator).Assembly;

    static IReadOnlyList<Type> FrontendTypes() => Generators.GetTypes()
        .Where(t => t.Namespace is { } ns && (ns == FrontendNamespace || ns.StartsWith(FrontendNamespace + ".", StringComparison.Ordinal)))
        .Where(t => !IsCompilerGenerated(t))
        .ToList();

    static bool IsCompilerGenerated(Type type)
        => type.IsDefined(typeof(CompilerGeneratedAttribute), false) || (type.DeclaringType is { } outer && IsCompilerGenerated(outer));

    /// <summary>The builder and the front-end types it is made of: the only place a lowering keeps what it accumulates.</summary>
    static HashSet<Type> BuilderAndItsParts()
    {
        var parts = new HashSet<Type> { typeof(FunctionBuilder) };
        foreach (var field in typeof(FunctionBuilder).GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            if (field.FieldType.Namespace?.StartsWith(FrontendNamespace, StringComparison.Ordinal) == true) parts.Add(field.FieldType);
        }

        return parts;
    }

    static bool IsMutableCollection(Type type)
        => type.IsArray
            || type == typeof(System.Text.StringBuilder)
            || type.Namespace is "System.Collections" or "System.Collections.Generic" or "System.Collections.Concurrent";

    [Fact]
    public void Only_the_builder_holds_state_that_changes_while_a_method_is_lowered()
    {
        var builder = BuilderAndItsParts();
        var types = FrontendTypes();
        Assert.Contains(typeof(StatementLowering), types);
        Assert.Contains(typeof(LocalNames), builder);

        var problems = new List<string>();
        foreach (var type in types)
        {
            foreach (var field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (!field.IsLiteral && !field.IsInitOnly) problems.Add($"{type.Name}.{field.Name}: a static field that is not readonly");
            }

            if (builder.Contains(type) || type.IsEnum) continue;
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (!field.IsInitOnly) problems.Add($"{type.Name}.{field.Name}: not readonly");
                else if (IsMutableCollection(field.FieldType)) problems.Add($"{type.Name}.{field.Name}: a {field.FieldType.Name}, which can change");
                else if (builder.Contains(field.FieldType) && field.FieldType != typeof(FunctionBuilder))
                    problems.Add($"{type.Name}.{field.Name}: holds the builder's {field.FieldType.Name} itself; reach it through the FunctionBuilder");
            }
        }

        Assert.True(problems.Count == 0,
            "keep what a lowering accumulates in FunctionBuilder (statements, locals, diagnostics, model fields), not in its parts:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void The_front_end_does_not_reach_into_the_transforms()
    {
        Assert.Contains("ActivityAnalysis", TransformReferences.TypeNames());
        var problems = TransformReferences.In("Frontend");
        Assert.True(problems.Count == 0,
            "the front end produces IR and diagnostics only; decide what needs a transform (activity, forward mode) after lowering, as Pipelines/LoweredFunctionChecks does:\n"
            + string.Join('\n', problems));
    }
}
