using System.Text;
using Leibniz.Generators.Rules.Scalar;
using Leibniz.Generators.Rules.Tensor;
using Leibniz.Generators.Tests.Infrastructure;

namespace Leibniz.Generators.Tests.Documentation;

/// <summary>
/// The list of operations in docs/reverse-mode.md is rendered from the rule tables, so it cannot drift from them: the test
/// fails while the marked region differs from the tables, and rewrites it with <c>LEIBNIZ_ACCEPT_SNAPSHOTS=1</c>.
/// </summary>
public sealed class OperationListTests
{
    const string AcceptVariable = "LEIBNIZ_ACCEPT_SNAPSHOTS";
    const string Begin = "<!-- operations:begin -->";
    const string End = "<!-- operations:end -->";

    static string DocumentPath => Path.Combine(TestCompilation.RepositoryRoot, "docs", "reverse-mode.md");

    [Fact]
    public void Reverse_mode_document_lists_every_operation_of_the_rule_tables()
    {
        var document = File.ReadAllText(DocumentPath).Replace("\r\n", "\n");
        var begin = document.IndexOf(Begin, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"{DocumentPath} needs a region between {Begin} and {End} for the list of operations");

        var start = begin + Begin.Length;
        var current = document.Substring(start, end - start);
        var expected = "\n" + Render() + "\n";
        if (current == expected) return;

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllText(DocumentPath, document.Substring(0, start) + expected + document.Substring(end));
            return;
        }

        Assert.Fail($"The list of operations in {DocumentPath} differs from the rule tables at line {FirstDifferentLine(current, expected)} of the region; "
            + $"run the test with {AcceptVariable}=1 to rewrite it, and review the diff.");
    }

    [Fact]
    public void Rendered_list_names_every_row_and_alias()
    {
        var list = Render();
        foreach (var rule in TensorRules.All) Assert.Contains("`" + rule.Key + "`", list);
        foreach (var alias in TensorRules.AliasTable.Keys) Assert.Contains("`" + alias + "`", list);
        foreach (var rule in ScalarRules.All) Assert.Contains("`" + rule.Name + "(", list);
    }

    /// <summary>The markdown of the region: tensor rows with their aliases, then the scalar functions.</summary>
    internal static string Render()
    {
        var text = new StringBuilder();
        var aliases = TensorRules.AliasTable
            .GroupBy(pair => pair.Value, pair => pair.Key)
            .ToDictionary(group => group.Key, group => group.OrderBy(alias => alias, StringComparer.Ordinal).ToList());

        text.Append("### Tensor operations\n\n");
        text.Append($"{TensorRules.All.Count()} rows, {TensorRules.AliasTable.Count} other spellings.\n\n");
        text.Append("| operation | also written | pullback | forward mode | derivative |\n");
        text.Append("|---|---|---|---|---|\n");
        foreach (var rule in TensorRules.All)
        {
            var also = aliases.TryGetValue(rule.Key, out var names) ? string.Join(", ", names.Select(Code)) : "";
            text.Append($"| {Code(rule.Key)} | {also} | {Pullback(rule)} | {Forward(rule)} | {Cell(rule.Comment)} |\n");
        }

        var linear = TensorTransposeRules.Keys.OrderBy(key => key, StringComparer.Ordinal).Select(Code);
        text.Append("\nLinear primitives with a transposition rule, through which derived pullbacks are written: ");
        text.Append(string.Join(", ", linear)).Append(".\n\n");

        text.Append("### Scalar functions\n\n");
        text.Append("Of `System.Math` and `System.MathF`, for `double` and `float`.\n\n");
        text.Append("| function | derivative |\n");
        text.Append("|---|---|\n");
        foreach (var rule in ScalarRules.All)
        {
            var arguments = string.Join(", ", Enumerable.Range(0, rule.Arity).Select(i => ((char)('a' + i)).ToString()));
            var derivative = rule.Partials.All(p => p is null) ? "none: " + rule.Comment : rule.Comment;
            text.Append($"| {Code(rule.Name + "(" + arguments + ")")} | {Cell(derivative)} |\n");
        }

        return text.ToString();
    }

    static string Pullback(TensorRule rule)
    {
        if (!rule.HasAnyDerivative) return "none";
        return rule.Pullback is null ? "derived" : "hand-written";
    }

    static string Forward(TensorRule rule)
    {
        if (!rule.HasAnyDerivative) return "—";
        return TensorTangentRules.TryGet(rule.Key, out _) ? "yes" : "no";
    }

    static string Code(string text) => "`" + text + "`";

    /// <summary>Text for a table cell: a pipe would end the cell.</summary>
    static string Cell(string text) => text.Replace("|", "\\|");

    static int FirstDifferentLine(string a, string b)
    {
        var left = a.Split('\n');
        var right = b.Split('\n');
        var line = 0;
        while (line < left.Length && line < right.Length && left[line] == right[line]) line++;
        return line + 1;
    }
}
