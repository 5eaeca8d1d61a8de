using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Leibniz.Generators.IR.Functions;

namespace Leibniz.Generators.Rules.Tensor;

/// <summary>
/// Lays a row of the tensor table over a call whose arguments include packed ones (<see cref="PackedArgument"/>):
/// a row numbers parameters, the call numbers operands. A packed parameter's placeholder becomes the array the call
/// passed (<c>new long[] { {1}, {2} }</c>), later parameters shift by the pack's length, and a list of tensors gets
/// one adjoint template per element. Reverse mode then reads the laid-out rule like any other, one template per operand.
/// </summary>
internal static class TensorRuleLayout
{
    static readonly Regex Placeholder = new(@"\{(@?)(\d+)\}", RegexOptions.CultureInvariant);

    /// <summary>The rule for <paramref name="row"/> under <paramref name="packs"/>, or null when the row cannot take them
    /// (a differentiable parameter packed, or a list where the row expects none).</summary>
    public static TensorRule? Lay(TensorRule row, IReadOnlyList<(int Parameter, string ElementType, string[] Elements)> packs)
    {
        var byParameter = new Dictionary<int, (string ElementType, string[] Elements)>();
        foreach (var pack in packs) byParameter[pack.Parameter] = (pack.ElementType, pack.Elements);
        if (row.ListParameter is { } list && !byParameter.ContainsKey(list)) return null;

        int Start(int parameter) => parameter + packs.Where(p => p.Parameter < parameter).Sum(p => OperandCount(p.Elements) - 1);

        string ParameterText(int parameter)
        {
            if (!byParameter.TryGetValue(parameter, out var pack)) return Brace(Start(parameter));
            var packed = new PackedArgument(parameter, Start(parameter), pack.ElementType, false, Common.EquatableArray.ToEquatableArray(pack.Elements));
            return packed.Render(Brace, asArray: true);
        }

        string Lay(string template) => Placeholder.Replace(template, m =>
        {
            var index = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            return m.Groups[1].Length > 0 ? Brace(Start(row.ListParameter!.Value) + index) : ParameterText(index);
        });

        var parameters = new[] { row.Vjps.Length, row.Broadcasts.Length }.Concat(packs.Select(p => p.Parameter + 1)).Max();
        var vjps = new List<string?>();
        var broadcasts = new List<bool>();
        for (var parameter = 0; parameter < parameters; parameter++)
        {
            if (!byParameter.TryGetValue(parameter, out var pack))
            {
                vjps.Add(row.Vjp(parameter) is { } template ? Lay(template) : null);
                broadcasts.Add(row.Broadcast(parameter));
                continue;
            }

            if (parameter == row.ListParameter)
            {
                // Each element of a list of tensors is one operand.
                if (pack.Elements.Any(e => PackedArgument.OperandsOf(e) != 1) || row.ElementVjp is null) return null;
                for (var k = 0; k < pack.Elements.Length; k++)
                {
                    vjps.Add(Lay(row.ElementVjp(k)));
                    broadcasts.Add(false);
                }

                continue;
            }

            // Packed arrays of integers or indices are data: no derivative flows into them.
            if (row.Vjp(parameter) is not null) return null;
            for (var k = OperandCount(pack.Elements); k > 0; k--)
            {
                vjps.Add(null);
                broadcasts.Add(false);
            }
        }

        return new TensorRule(row.Key, vjps.ToArray(), broadcasts.ToArray(), row.Comment);
    }

    static int OperandCount(string[] elements) => elements.Sum(PackedArgument.OperandsOf);

    static string Brace(int index) => "{" + index.ToString(CultureInfo.InvariantCulture) + "}";
}
