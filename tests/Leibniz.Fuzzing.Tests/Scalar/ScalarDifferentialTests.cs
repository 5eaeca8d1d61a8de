using System.Diagnostics;
using System.Text;
using CsCheck;
using Leibniz.Fuzzing.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Leibniz.Fuzzing.Tests.Scalar;

/// <summary>
/// Random programs over the scalar subset, compiled through the generators and checked against central differences,
/// forward mode, the pullback's contract and H·v's symmetry. A failure prints each program's seed and a shrunk one.
/// </summary>
public sealed class ScalarDifferentialTests(ITestOutputHelper output)
{
    [Fact]
    public void Random_scalar_programs_get_exact_derivatives_or_a_diagnostic()
    {
        var clock = Stopwatch.StartNew();
        var generator = new ScalarProgramGenerator();
        var programs = FuzzSettings.Replay is { } replay
            ? new List<ScalarProgram> { generator.FromSeed(replay) }
            : Enumerable.Range(0, FuzzSettings.ScalarPrograms).Select(i => generator.Generate(new PCG((uint)i, FuzzSettings.Seed), null, out _)).ToList();
        var results = ScalarFuzzer.Check(programs);

        var counts = results.GroupBy(r => r.Result.Verdict).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"{programs.Count} programs (seed {FuzzSettings.Seed}) in {clock.Elapsed.TotalSeconds:F1} s: "
            + string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Value} {c.Key.ToString().ToLowerInvariant()}")));
        foreach (var feature in programs.SelectMany(p => p.Features.Split(", ", StringSplitOptions.RemoveEmptyEntries)).GroupBy(f => f).OrderBy(g => g.Key, StringComparer.Ordinal))
            output.WriteLine($"  {feature.Key}: {feature.Count()} programs");
        foreach (var (program, result) in results.Where(r => r.Result.Verdict == Verdict.Refused))
            output.WriteLine($"refused (seed {program.Seed}): {result.Message}");

        if (FuzzSettings.Replay is not null)
        {
            output.WriteLine(programs[0].ClassText("P0"));
            output.WriteLine(GeneratedAssembly.Compile(ScalarProgram.Usings + ScalarProgram.Helpers + programs[0].ClassText("P0")).GeneratedText);
        }

        // A program holding a construct outside the subset must be refused with a diagnostic (or, if the generator has
        // learnt it, differentiated exactly); a program inside the subset must never be refused.
        var failures = results.Where(r => r.Result.Verdict is Verdict.Failed || r.Result.Verdict is Verdict.Refused && r.Program.Unsupported is null).ToList();
        if (failures.Count == 0) return;

        var report = new StringBuilder($"{failures.Count} of {programs.Count} programs failed (seed {FuzzSettings.Seed}):\n");
        foreach (var (program, result) in failures.Take(30))
            report.Append($"- seed {program.Seed} [{program.Features}]: {Truncate(result.Message, 400)}\n");
        foreach (var (program, result) in failures.Take(2))
        {
            report.Append("\nProgram ").Append(program.Seed).Append(":\n").Append(program.ClassText("P0"));
            report.Append("\nShrunk:\n").Append(Truncate(ScalarFuzzer.Shrink(generator, program, seconds: 20), 6000)).Append('\n');
        }

        Assert.Fail(report.ToString());
    }

    static string Truncate(string text, int length) => text.Length <= length ? text : text.Substring(0, length) + "…";
}
