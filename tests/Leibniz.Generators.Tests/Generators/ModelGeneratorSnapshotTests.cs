using Leibniz.Generators.Tests.Infrastructure;

namespace Leibniz.Generators.Tests.Generators;

public sealed class ModelGeneratorSnapshotTests
{
    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (var directory in Directory.GetDirectories(Path.Combine(TestCompilation.RepositoryRoot, "samples")).OrderBy(d => d, StringComparer.Ordinal))
            data.Add(Path.GetFileName(directory));
        return data;
    }

    public static TheoryData<string> Inputs() => new(ModelInputs.Valid.Keys);

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_sample_generates_its_verified_source_and_compiles_cleanly(string sample)
    {
        var root = Path.Combine(TestCompilation.RepositoryRoot, "samples", sample);
        var sources = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .OrderBy(path => path, StringComparer.Ordinal)
            .Select(path => (path, File.ReadAllText(path)))
            .Append(("GlobalUsings.cs", TestCompilation.ImplicitUsings))
            .ToArray();

        var (results, output) = GeneratorRunner.RunAll(TestCompilation.Create(sources));

        Assert.All(results, result => Assert.Null(result.Exception));
        Assert.All(results, result => Assert.Empty(result.Diagnostics));
        // The samples' own references (Spectre.Console…) are their project's business, built with the
        // solution; here only the generated files must be free of problems.
        var generatedSources = results.SelectMany(r => r.GeneratedSources).ToList();
        var generatedTrees = generatedSources.Select(g => g.SyntaxTree).ToHashSet();
        Assert.DoesNotContain(GeneratorRunner.Problems(output), d => d.Location.SourceTree is { } tree && generatedTrees.Contains(tree));
        foreach (var generated in generatedSources)
            Snapshot.Verify($"Samples/{sample}/{Path.GetFileNameWithoutExtension(generated.HintName)}", generated.SourceText.ToString());
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Each_model_shape_generates_its_verified_source_and_compiles_cleanly(string name)
    {
        var (result, output) = GeneratorRunner.Run(TestCompilation.Create(($"{name}.cs", ModelInputs.Valid[name])));

        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorRunner.Problems(output));
        Assert.NotEmpty(result.GeneratedSources);
        foreach (var generated in result.GeneratedSources.OrderBy(g => g.HintName, StringComparer.Ordinal))
            Snapshot.Verify($"Models/{name}/{Path.GetFileNameWithoutExtension(generated.HintName)}", generated.SourceText.ToString());
    }

    [Fact]
    public void Generation_is_deterministic()
    {
        var input = ModelInputs.Valid["BuffersAndSubmodules"];
        var first = GeneratorRunner.Run(TestCompilation.Create(("a.cs", input))).Result.GeneratedSources.Select(g => (g.HintName, g.SourceText.ToString()));
        var second = GeneratorRunner.Run(TestCompilation.Create(("a.cs", input))).Result.GeneratedSources.Select(g => (g.HintName, g.SourceText.ToString()));
        Assert.Equal(first, second);
    }
}
