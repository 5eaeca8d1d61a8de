using System.Text.RegularExpressions;
using Leibniz.Fuzzing.Tests.Scalar;

namespace Leibniz.Fuzzing.Tests.Infrastructure;

/// <summary>
/// What compiling a batch of programs (one class each, named by a letter and its index) says about each of them, before
/// anything runs: refused by the generator, broken as C# (a fuzzer bug), or with generated code that does not compile.
/// </summary>
internal static class BatchVerdicts
{
    static readonly Regex GeneratedFileOfProgram = new(@"[/\\]([A-Z]\d+)\.", RegexOptions.Compiled);

    /// <summary>
    /// Sets the verdict of every pending program the compilation decides. Returns null when the batch loaded (the rest are
    /// to be run), else the programs to compile again without those decided (empty when nothing could be pinned on one
    /// program, and every one has failed with the batch's errors).
    /// </summary>
    public static List<int>? Sort(CompilationOutcome outcome, string source, IReadOnlyList<int> pending, Func<int, string> className, CheckResult?[] verdicts)
    {
        foreach (var i in pending)
        {
            var name = className(i);
            var refusals = outcome.LeibnizDiagnosticsIn(source, name).ToList();
            if (refusals.Count > 0)
            {
                verdicts[i] = new CheckResult(Verdict.Refused, string.Join("; ", refusals.Select(d => d.Id + ": " + d.GetMessage())));
                continue;
            }

            // The program's own errors first: generated code around a broken program fails in its wake.
            var invalid = outcome.SourceErrors.Where(d => InClass(source, name, d.Location.SourceSpan.Start)).ToList();
            if (invalid.Count > 0)
            {
                verdicts[i] = new CheckResult(Verdict.Failed, "the program itself does not compile (a fuzzer bug): " + string.Join("; ", invalid.Select(d => d.ToString())));
                continue;
            }

            var problems = outcome.GeneratedProblems.Where(d => GeneratedFileOfProgram.Match(d.Location.SourceTree!.FilePath) is { Success: true } m && m.Groups[1].Value == name).ToList();
            if (problems.Count > 0)
                verdicts[i] = new CheckResult(Verdict.Failed, "the generated code does not compile: " + string.Join("; ", problems.Select(d => d.ToString())));
        }

        if (outcome.Assembly is not null) return null;
        var stillPending = pending.Where(i => verdicts[i] is null).ToList();
        if (stillPending.Count < pending.Count) return stillPending;

        // Nothing pinned on one program (a problem in the helpers' generated code, say): every program fails with it.
        var why = string.Join("; ", outcome.GeneratedProblems.Concat(outcome.SourceErrors).Take(5).Select(d => d.ToString()));
        foreach (var i in stillPending) verdicts[i] = new CheckResult(Verdict.Failed, "the batch does not compile: " + why);
        return new List<int>();
    }

    /// <summary>Whether <paramref name="position"/> in <paramref name="source"/> lies inside the class named <paramref name="name"/>.</summary>
    public static bool InClass(string source, string name, int position)
    {
        var start = source.IndexOf("class " + name + "\n", StringComparison.Ordinal);
        if (start < 0) return false;
        var end = source.IndexOf("\n}\n", start, StringComparison.Ordinal);
        return position >= start && position <= end;
    }

    /// <summary>A failure's kind: its message up to the first number or quoted text, so that shrinking keeps to one bug.</summary>
    public static string Kind(string message)
    {
        var end = message.IndexOfAny("0123456789'[(:".ToCharArray());
        return end < 0 ? message : message.Substring(0, end);
    }
}
