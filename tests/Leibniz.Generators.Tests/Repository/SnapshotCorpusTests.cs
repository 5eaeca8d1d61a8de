using System.Text.RegularExpressions;
using Leibniz.Generators.Tests.Infrastructure;

namespace Leibniz.Generators.Tests.Repository;

/// <summary>What every generated file of the snapshot corpus must hold to.</summary>
public sealed class SnapshotCorpusTests
{
    static IEnumerable<string> Snapshots()
        => Directory.EnumerateFiles(Path.Combine(TestCompilation.RepositoryRoot, "tests", "Leibniz.Generators.Tests", "Snapshots"), "*.verified.cs", SearchOption.AllDirectories);

    [Fact]
    public void The_corpus_is_not_empty() => Assert.NotEmpty(Snapshots());

    static readonly Regex Creation = new(@"global::TorchSharp\.torch\.(?<op>zeros|ones|full|empty|eye|arange|linspace|logspace|rand|randn|randint|tensor|scalar_tensor|normal)\((?<arguments>[^;]*);");

    static readonly Regex DeviceLocal = new(@"(?<local>\w+) = global::Leibniz\.Generated\.TensorFacts\.DeviceOf\(");

    [Fact]
    public void Every_tensor_the_generated_code_creates_is_placed_on_a_device()
    {
        // A creation call without a device makes its tensor on the CPU, which fails (or silently copies) beside CUDA
        // inputs: each must name a device, in practice the one of the values it combines with.
        var checkedCalls = 0;
        var unplaced = new List<string>();
        foreach (var file in Snapshots())
        {
            var text = File.ReadAllText(file);
            var devices = DeviceLocal.Matches(text).Select(m => m.Groups["local"].Value).ToHashSet();
            foreach (Match call in Creation.Matches(text))
            {
                checkedCalls++;
                var arguments = call.Groups["arguments"].Value;
                var placed = arguments.Contains("device:", StringComparison.Ordinal) || arguments.Contains(".device", StringComparison.Ordinal)
                    || devices.Any(local => Regex.IsMatch(arguments, $@"\b{Regex.Escape(local)}\b"));
                if (!placed) unplaced.Add($"{Path.GetRelativePath(TestCompilation.RepositoryRoot, file)}: {call.Value.Trim()}");
            }
        }

        Assert.True(checkedCalls > 0, "no creation call in the corpus: the check would pass whatever the generator emits");
        Assert.True(unplaced.Count == 0, "these generated creation calls name no device:\n" + string.Join('\n', unplaced));
    }

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
