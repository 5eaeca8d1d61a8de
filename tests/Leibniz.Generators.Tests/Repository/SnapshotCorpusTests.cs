using Leibniz.Generators.Tests.Infrastructure;

namespace Leibniz.Generators.Tests.Repository;

/// <summary>What every generated file of the snapshot corpus must hold to.</summary>
public sealed class SnapshotCorpusTests
{
    static IEnumerable<string> Snapshots()
        => Directory.EnumerateFiles(Path.Combine(TestCompilation.RepositoryRoot, "tests", "Leibniz.Generators.Tests", "Snapshots"), "*.verified.cs", SearchOption.AllDirectories);

    [Fact]
    public void The_corpus_is_not_empty() => Assert.NotEmpty(Snapshots());

    [Fact]
    public void No_generated_file_suppresses_a_warning()
    {
        // Generated code compiles with warnings as errors because it trips none, not because it hides them.
        var suppressing = Snapshots()
            .Where(file => File.ReadLines(file).Any(line => line.TrimStart().StartsWith("#pragma", StringComparison.Ordinal)))
            .Select(file => Path.GetRelativePath(TestCompilation.RepositoryRoot, file))
            .ToList();
        Assert.True(suppressing.Count == 0, "these generated files hold a #pragma:\n" + string.Join('\n', suppressing));
    }
}
