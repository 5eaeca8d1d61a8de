using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Leibniz.Generators.Pipelines;
using Leibniz.Generators.Tests.Infrastructure;

namespace Leibniz.Generators.Tests.Repository;

/// <summary>
/// The emitters print IR, nothing more: what to fuse, guard or rewrite is decided by a transform before emission and
/// carried in the specs, so no file of the Emit namespace names the transforms.
/// </summary>
public sealed class EmitLayeringTests
{
    const string TransformsNamespace = "Leibniz.Generators.Transforms";

    static readonly Assembly Generators = typeof(DifferentiableGenerator).Assembly;

    static bool IsCompilerGenerated(Type type)
        => type.IsDefined(typeof(CompilerGeneratedAttribute), false) || (type.DeclaringType is { } outer && IsCompilerGenerated(outer));

    [Fact]
    public void The_emitters_do_not_reach_into_the_transforms()
    {
        // The transforms' type names as identifiers, besides the namespace itself: a `using static` or a nested using
        // would otherwise hide them.
        var transforms = Generators.GetTypes()
            .Where(t => t.Namespace == TransformsNamespace && !IsCompilerGenerated(t) && t.DeclaringType is null)
            .Select(t => t.Name.Split('`')[0])
            .ToList();
        Assert.Contains("ActivityAnalysis", transforms);
        Assert.Contains("ForwardMode", transforms);
        var named = new Regex(@"\bTransforms\.|\bLeibniz\.Generators\.Transforms\b|\b(?:" + string.Join("|", transforms.Select(Regex.Escape)) + @")\b", RegexOptions.CultureInvariant);
        var comment = new Regex(@"//.*$", RegexOptions.Multiline | RegexOptions.CultureInvariant);

        var root = Path.Combine(TestCompilation.RepositoryRoot, "src", "Generators", "Emit");
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        var problems = new List<string>();
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var code = comment.Replace(lines[i], "");
                if (named.Match(code) is { Success: true } match) problems.Add($"Emit/{relative}:{i + 1}: {match.Value.TrimEnd('.')}");
            }
        }

        Assert.True(problems.Count == 0,
            "the emitters print IR only; decide what they would compute in a transform the pipeline runs before emission, and carry the result in the spec:\n"
            + string.Join('\n', problems));
    }
}
