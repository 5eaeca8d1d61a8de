using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Leibniz.Generators.Pipelines;

namespace Leibniz.Generators.Tests.Infrastructure;

/// <summary>Where the source of a layer of the generators names the transforms, comments aside: a layering check.</summary>
internal static class TransformReferences
{
    const string TransformsNamespace = "Leibniz.Generators.Transforms";

    static readonly Regex Comment = new(@"//.*$", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    /// <summary>The transforms' top-level type names.</summary>
    public static IReadOnlyList<string> TypeNames() => typeof(DifferentiableGenerator).Assembly.GetTypes()
        .Where(t => t.Namespace == TransformsNamespace && !IsCompilerGenerated(t) && t.DeclaringType is null)
        .Select(t => t.Name.Split('`')[0])
        .ToList();

    /// <summary>
    /// Each line of a <c>.cs</c> file under <c>src/Generators/<paramref name="folder"/></c> that names the transforms'
    /// namespace or one of their types — as an identifier too, which a <c>using static</c> or a nested using would
    /// otherwise hide — as <c>folder/file:line: name</c>.
    /// </summary>
    public static IReadOnlyList<string> In(string folder)
    {
        var named = new Regex(@"\bTransforms\.|\bLeibniz\.Generators\.Transforms\b|\b(?:" + string.Join("|", TypeNames().Select(Regex.Escape)) + @")\b", RegexOptions.CultureInvariant);
        var root = Path.Combine(TestCompilation.RepositoryRoot, "src", "Generators", folder);
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal)) continue;
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (named.Match(Comment.Replace(lines[i], "")) is { Success: true } match) found.Add($"{folder}/{relative}:{i + 1}: {match.Value.TrimEnd('.')}");
            }
        }

        return found;
    }

    static bool IsCompilerGenerated(Type type)
        => type.IsDefined(typeof(CompilerGeneratedAttribute), false) || (type.DeclaringType is { } outer && IsCompilerGenerated(outer));
}
