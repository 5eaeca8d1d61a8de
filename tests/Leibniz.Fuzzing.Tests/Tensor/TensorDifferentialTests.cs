using System.Diagnostics;
using System.Text;
using CsCheck;
using Leibniz.Fuzzing.Tests.Infrastructure;
using Leibniz.Fuzzing.Tests.Scalar;
using Xunit.Abstractions;

namespace Leibniz.Fuzzing.Tests.TensorPrograms;

/// <summary>
/// Random tensor chains and random layer-stack models, compiled through the generators and checked against TorchSharp
/// autograd in float64. A failure prints each program's seed and a shrunk one; a refusal (LZ diagnostic) is a failure,
/// since the grammar holds only constructs the rule table documents.
/// </summary>
public sealed class TensorDifferentialTests(ITestOutputHelper output)
{
    public const int DefaultChains = 200;

    static int Models => Math.Max(4, FuzzSettings.TensorChains(DefaultChains) / 8);

    [Fact]
    public void Random_tensor_chains_match_autograd_in_every_mode()
    {
        var generator = new TensorProgramGenerator();
        Run(
            "chains",
            generator,
            FuzzSettings.TensorChains(DefaultChains),
            generator.FromSeed,
            "T",
            (p, name) => p.ClassText(name),
            TensorProgramCheck.Run,
            p => p.Features,
            p => p.Seed);
    }

    [Fact]
    public void Random_layer_stacks_match_autograd_through_backward_pullback_and_descend()
    {
        var generator = new TensorModelGenerator();
        Run(
            "models",
            generator,
            Models,
            generator.FromSeed,
            "M",
            (p, name) => p.ClassText(name),
            TensorModelCheck.Run,
            p => p.Features,
            p => p.Seed);
    }

    void Run<TProgram>(
        string what,
        Gen<TProgram> generator,
        int count,
        Func<string, TProgram> fromSeed,
        string prefix,
        Func<TProgram, string, string> classText,
        Func<TProgram, Type, CheckResult> check,
        Func<TProgram, string> features,
        Func<TProgram, string> seedOf)
    {
        var clock = Stopwatch.StartNew();
        var (compileBefore, checkBefore) = (TensorFuzzer.CompileTime, TensorFuzzer.CheckTime);
        var programs = FuzzSettings.Replay is { } replay
            ? new List<TProgram> { fromSeed(replay) }
            : Enumerable.Range(0, count).Select(i => generator.Generate(new PCG((uint)i, FuzzSettings.Seed), null, out _)).ToList();
        var results = TensorFuzzer.Check(programs, prefix, classText, check);

        var counts = results.GroupBy(r => r.Result.Verdict).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"{programs.Count} tensor {what} (seed {FuzzSettings.Seed}) in {clock.Elapsed.TotalSeconds:F1} s: "
            + string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Value} {c.Key.ToString().ToLowerInvariant()}")));
        output.WriteLine($"compiling {(TensorFuzzer.CompileTime - compileBefore).TotalSeconds:F1} s, checking {(TensorFuzzer.CheckTime - checkBefore).TotalSeconds:F1} s");
        foreach (var feature in programs.SelectMany(p => features(p).Split(", ", StringSplitOptions.RemoveEmptyEntries)).GroupBy(f => f).OrderBy(g => g.Key, StringComparer.Ordinal))
            output.WriteLine($"  {feature.Key}: {feature.Count()}");
        foreach (var (program, result) in results.Where(r => r.Result.Verdict == Verdict.Refused))
            output.WriteLine($"refused (seed {seedOf(program)}): {result.Message}");
        foreach (var (program, result) in results.Where(r => r.Result.Verdict == Verdict.Inconclusive))
            output.WriteLine($"inconclusive (seed {seedOf(program)}): {result.Message}");

        if (FuzzSettings.Replay is not null)
        {
            var source = TensorProgram.Usings + TensorProgram.Helpers + classText(programs[0], prefix + "0");
            output.WriteLine(source);
            output.WriteLine(GeneratedAssembly.Compile(source).GeneratedText);
        }

        var failures = results.Where(r => r.Result.Verdict is Verdict.Failed or Verdict.Refused).ToList();
        if (failures.Count == 0) return;

        var report = new StringBuilder($"{failures.Count} of {programs.Count} tensor {what} failed (seed {FuzzSettings.Seed}); replay one with LEIBNIZ_FUZZ_REPLAY=<seed>:\n");
        foreach (var (program, result) in failures.Take(30))
            report.Append($"- seed {seedOf(program)} [{features(program)}]: {Truncate(result.Message, 500)}\n");
        foreach (var (program, _) in failures.Take(2))
        {
            report.Append("\nProgram ").Append(seedOf(program)).Append(":\n").Append(classText(program, prefix + "0"));
            report.Append("\nShrunk:\n").Append(Truncate(TensorFuzzer.Shrink(generator, seedOf(program), program, prefix, classText, check, seconds: 20), 6000)).Append('\n');
        }

        Assert.Fail(report.ToString());
    }

    static string Truncate(string text, int length) => text.Length <= length ? text : text.Substring(0, length) + "…";
}
