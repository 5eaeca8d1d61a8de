using System.Text;
using CsCheck;
using Leibniz.Fuzzing.Tests.Infrastructure;

namespace Leibniz.Fuzzing.Tests.Scalar;

/// <summary>Compiles programs in batches through the generators (one compilation per batch keeps Roslyn's cost down) and checks each.</summary>
internal static class ScalarFuzzer
{
    const int BatchSize = 50;

    public static string ClassName(int index) => "P" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static List<(ScalarProgram Program, CheckResult Result)> Check(IReadOnlyList<ScalarProgram> programs)
    {
        // Batches compile and run side by side, one per core; each keeps its own thread's tapes.
        var batches = Enumerable.Range(0, (programs.Count + BatchSize - 1) / BatchSize)
            .Select(b => programs.Skip(b * BatchSize).Take(BatchSize).ToList())
            .ToList();
        var results = new List<(ScalarProgram Program, CheckResult Result)>[batches.Count];
        Parallel.For(0, batches.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, b => results[b] = CheckBatch(batches[b]));
        return results.SelectMany(r => r).ToList();
    }

    /// <summary>One program on its own, as the shrinker needs it.</summary>
    public static CheckResult CheckOne(ScalarProgram program) => CheckBatch(new[] { program })[0].Result;

    static List<(ScalarProgram Program, CheckResult Result)> CheckBatch(IReadOnlyList<ScalarProgram> programs)
    {
        var verdicts = new CheckResult?[programs.Count];
        var pending = Enumerable.Range(0, programs.Count).ToList();
        while (pending.Count > 0)
        {
            var source = Source(programs, pending);
            var outcome = GeneratedAssembly.Compile(source);
            if (BatchVerdicts.Sort(outcome, source, pending, ClassName, verdicts) is { } retry)
            {
                pending = retry;
                continue;
            }

            // A method the generator skipped without a word is one the analyzer reports, as it would in the IDE.
            IReadOnlyList<Microsoft.CodeAnalysis.Diagnostic>? analyzerDiagnostics = null;
            foreach (var i in pending.Where(i => verdicts[i] is null))
            {
                var type = outcome.Assembly!.GetType(ClassName(i))!;
                if (type.GetMethod("FPullback") is null)
                {
                    analyzerDiagnostics ??= outcome.Analyze();
                    var reported = CompilationOutcome.In(analyzerDiagnostics.Where(d => d.Id.StartsWith("LZ", StringComparison.Ordinal)), source, ClassName(i)).ToList();
                    verdicts[i] = reported.Count > 0
                        ? new CheckResult(Verdict.Refused, string.Join("; ", reported.Select(d => d.Id + ": " + d.GetMessage())))
                        : new CheckResult(Verdict.Failed, "no derivative was generated and neither the generator nor the analyzer says why");
                    continue;
                }

                verdicts[i] = ScalarProgramCheck.Run(programs[i], type);
            }

            break;
        }

        return programs.Select((p, i) => (p, verdicts[i]!)).ToList();
    }

    static string Source(IReadOnlyList<ScalarProgram> programs, IEnumerable<int> indices)
    {
        var text = new StringBuilder(ScalarProgram.Usings).Append(ScalarProgram.Helpers);
        foreach (var i in indices) text.Append('\n').Append(programs[i].ClassText(ClassName(i)));
        return text.ToString();
    }



    /// <summary>
    /// The smallest failing program CsCheck finds from <paramref name="failing"/>'s seed within the time given, with
    /// its check's message; a program failing in another way does not count.
    /// </summary>
    public static string Shrink(ScalarProgramGenerator generator, ScalarProgram failing, int seconds)
    {
        try
        {
            var kind = BatchVerdicts.Kind(CheckOne(failing).Message);
            generator.Sample(
                p => CheckOne(p) is not { Verdict: Verdict.Failed } result || BatchVerdicts.Kind(result.Message) != kind,
                seed: failing.Seed, iter: 100_000, time: seconds, threads: 1,
                print: p => p.ClassText("P0") + "\nfails with: " + CheckOne(p).Message);
            return "(did not fail again when checked alone)";
        }
        catch (Exception e)
        {
            return e.Message;
        }
    }
}
