using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Leibniz.Generators.Emit;

/// <summary>
/// Completes the documentation of generated members: a member whose comment documents some of its parameters must
/// document all of them, or a project that builds its XML documentation with warnings as errors fails on CS1573. The
/// emitters document the parameters a reader needs explained (directions, outputs, seeds); this pass adds a line for
/// each other one, which is an input the member takes as the method it differentiates does.
/// </summary>
internal static class ParameterDocumentation
{
    static readonly Regex Documented = new("<param name=\"([^\"]+)\">", RegexOptions.Compiled);

    public static string Complete(string source)
    {
        var lines = source.Split('\n');
        var output = new StringBuilder(source.Length + 256);
        var comment = new List<string>();
        foreach (var line in lines)
        {
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("///", System.StringComparison.Ordinal))
            {
                comment.Add(line);
                continue;
            }

            if (comment.Count == 0)
            {
                output.Append(line).Append('\n');
                continue;
            }

            // Attributes sit between a comment and its declaration.
            if (trimmed.StartsWith("[", System.StringComparison.Ordinal))
            {
                comment.Add(line);
                continue;
            }

            Flush(comment, line, output);
            comment.Clear();
        }

        foreach (var pending in comment) output.Append(pending).Append('\n');
        // Split and rejoin add one newline at the end.
        output.Length--;
        return output.ToString();
    }

    /// <summary>Writes <paramref name="comment"/> (with the attributes after it) and the declaration that follows it.</summary>
    static void Flush(List<string> comment, string declaration, StringBuilder output)
    {
        var documented = new HashSet<string>(comment.SelectMany(c => Documented.Matches(c).Cast<Match>().Select(m => m.Groups[1].Value)));
        var docLines = comment.Where(c => c.TrimStart().StartsWith("///", System.StringComparison.Ordinal)).ToList();
        var attributes = comment.Where(c => !c.TrimStart().StartsWith("///", System.StringComparison.Ordinal)).ToList();
        foreach (var line in docLines) output.Append(line).Append('\n');
        if (documented.Count > 0)
        {
            var indent = docLines[0].Substring(0, docLines[0].Length - docLines[0].TrimStart().Length);
            var parameters = Parameters(declaration).ToList();
            var names = new HashSet<string>(parameters.Select(p => p.Name));
            foreach (var (name, isOut) in parameters.Where(p => !documented.Contains(p.Name)))
                output.Append(indent).Append("/// <param name=\"").Append(name).Append("\">").Append(Describe(name, isOut, names)).Append("</param>\n");
        }

        foreach (var line in attributes) output.Append(line).Append('\n');
        output.Append(declaration).Append('\n');
    }

    /// <summary>What an undocumented parameter is, from the naming the emitters follow: gx and hvx are outputs for the input x.</summary>
    static string Describe(string name, bool isOut, HashSet<string> parameters)
    {
        if (!isOut) return $"The input <c>{name}</c>, as the differentiated method takes it.";
        if (name.StartsWith("hv", System.StringComparison.Ordinal) && parameters.Contains(name.Substring(2)))
            return $"Receives the Hessian–vector product's component for <paramref name=\"{name.Substring(2)}\"/>.";
        if (name.StartsWith("g", System.StringComparison.Ordinal) && parameters.Contains(name.Substring(1)))
            return $"Receives the gradient's component for <paramref name=\"{name.Substring(1)}\"/>.";
        return $"Receives the <c>{name}</c> the summary describes.";
    }

    /// <summary>The parameters of a one-line method declaration: each one's name, and whether it is an <c>out</c>.</summary>
    static IEnumerable<(string Name, bool IsOut)> Parameters(string declaration)
    {
        // The parameter list is the last parenthesised group: a tuple return type has one before it.
        var close = declaration.LastIndexOf(')');
        var open = close;
        for (var nesting = 0; open >= 0; open--)
        {
            if (declaration[open] == ')') nesting++;
            else if (declaration[open] == '(' && --nesting == 0) break;
        }

        if (open < 0 || close <= open + 1) yield break;
        var list = declaration.Substring(open + 1, close - open - 1);
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= list.Length; i++)
        {
            if (i < list.Length)
            {
                var c = list[i];
                if (c is '(' or '<' or '[') depth++;
                else if (c is ')' or '>' or ']') depth--;
                if (c != ',' || depth != 0) continue;
            }

            var parameter = list.Substring(start, i - start).Trim();
            start = i + 1;
            var withoutDefault = parameter.Split('=')[0].Trim();
            var name = withoutDefault.Split(' ').Last().TrimStart('@');
            if (name.Length > 0) yield return (name, withoutDefault.StartsWith("out ", System.StringComparison.Ordinal));
        }
    }
}
