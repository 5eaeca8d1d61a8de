using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Leibniz.Generators.Common;

namespace Leibniz.Generators.IR.Functions;

/// <summary>
/// An argument a call spells over several operands: an array of dimensions (<c>new long[] { 0, 2 }</c>, or a
/// <c>params</c> list such as <c>permute(2, 0, 1)</c>), a list of tensors (<c>cat(new[] { a, b }, 1)</c>), or
/// tensor indices (<c>x[.., 1..3]</c>). The operands of its elements are ordinary arguments of the
/// <see cref="TensorCall"/>, from <c>First</c> on, so every analysis sees every variable the argument reads;
/// <c>Elements</c> are the C# patterns of the elements over those operands, each numbering its own with
/// <c>{0}</c>, <c>{1}</c>… (<c>{0}</c> for a plain element, <c>TensorIndex.Slice({0}, {1}, null)</c> for a slice).
/// </summary>
/// <param name="Parameter">The parameter it is passed to, numbered as rule templates number them (the receiver first).</param>
/// <param name="First">The index in the call's arguments of the first element's first operand.</param>
/// <param name="ElementType">The array's element type as C# (<c>long</c>, <c>global::TorchSharp.torch.Tensor</c>).</param>
/// <param name="Params">Whether the call spelled it as a <c>params</c> list, which the forward call keeps.</param>
/// <param name="Elements">One pattern per element.</param>
internal sealed record PackedArgument(int Parameter, int First, string ElementType, bool Params, EquatableArray<string> Elements)
{
    static readonly Regex Placeholder = new(@"\{(\d+)\}", RegexOptions.CultureInvariant);

    /// <summary>How many of the call's arguments its elements take.</summary>
    public int Count => Elements.Sum(OperandsOf);

    /// <summary>How many operands an element pattern reads: its placeholders, each used once.</summary>
    public static int OperandsOf(string pattern) => Placeholder.Matches(pattern).Count;

    /// <summary>
    /// The argument as C#: <c>new T[] { … }</c>, or the bare list when <paramref name="asArray"/> is false (a
    /// <c>params</c> call). <paramref name="operand"/> spells the call's argument at an index.
    /// </summary>
    public string Render(System.Func<int, string> operand, bool asArray)
    {
        var next = First;
        var parts = new List<string>();
        foreach (var element in Elements)
        {
            var start = next;
            parts.Add(Placeholder.Replace(element, m => operand(start + int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))));
            next += OperandsOf(element);
        }

        var list = string.Join(", ", parts);
        return asArray ? $"new {ElementType}[] {{ {list} }}" : list;
    }

    /// <summary>This pack in a rule key, so the table can lay its row's templates over the call's operands.</summary>
    public string Layout => "@" + Parameter.ToString(CultureInfo.InvariantCulture) + ":" + ElementType + "[" + string.Join("|", Elements) + "]";

    /// <summary>The rule key of a row called with <paramref name="packs"/>.</summary>
    public static string KeyOf(string row, IEnumerable<PackedArgument> packs) => row + string.Concat(packs.Select(p => p.Layout));

    /// <summary>Splits a rule key into the row's key and the packs' layouts (parameter, element type, element patterns).</summary>
    public static (string Row, IReadOnlyList<(int Parameter, string ElementType, string[] Elements)> Packs) ParseKey(string key)
    {
        var parts = key.Split('@');
        var packs = new List<(int, string, string[])>();
        foreach (var part in parts.Skip(1))
        {
            var colon = part.IndexOf(':');
            var open = part.IndexOf('[');
            var elements = part.Substring(open + 1, part.Length - open - 2);
            packs.Add((int.Parse(part.Substring(0, colon), CultureInfo.InvariantCulture), part.Substring(colon + 1, open - colon - 1),
                elements.Length == 0 ? System.Array.Empty<string>() : elements.Split('|')));
        }

        return (parts[0], packs);
    }
}
