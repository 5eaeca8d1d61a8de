using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.IR.Functions;

namespace Leibniz.Generators.Rules.Tensor;

/// <summary>
/// Lays a row of the tensor table over a call whose arguments include packed ones (<see cref="PackedArgument"/>):
/// a row numbers parameters, the call numbers operands. Later parameters shift by a pack's length; each element of a
/// list of tensors is an operand with a derivative; packed dimensions and indices are data. The tangent and
/// transposition rules then read the call's operands by index, as for any other call.
/// </summary>
internal static class TensorRuleLayout
{
    /// <summary>The rule for <paramref name="row"/> under <paramref name="packs"/>, or null when the row cannot take them
    /// (a differentiable parameter packed, or a list where the row expects none).</summary>
    public static TensorRule? Lay(TensorRule row, IReadOnlyList<(int Parameter, string ElementType, string[] Elements)> packs)
    {
        var byParameter = new Dictionary<int, string[]>();
        foreach (var pack in packs) byParameter[pack.Parameter] = pack.Elements;
        if (row.ListParameter is { } list && !byParameter.ContainsKey(list)) return null;

        var parameters = new[] { row.Differentiable.Length }.Concat(packs.Select(p => p.Parameter + 1)).Max();
        var differentiable = new List<bool>();
        for (var parameter = 0; parameter < parameters; parameter++)
        {
            if (!byParameter.TryGetValue(parameter, out var elements))
            {
                differentiable.Add(row.HasDerivative(parameter));
                continue;
            }

            if (parameter == row.ListParameter)
            {
                // Each element of a list of tensors is one operand.
                if (elements.Any(e => PackedArgument.OperandsOf(e) != 1)) return null;
                differentiable.AddRange(elements.Select(_ => true));
                continue;
            }

            // Packed arrays of integers or indices are data: no derivative flows into them.
            if (row.HasDerivative(parameter)) return null;
            differentiable.AddRange(Enumerable.Repeat(false, elements.Sum(PackedArgument.OperandsOf)));
        }

        return row with { Differentiable = differentiable.ToArray(), ListParameter = null };
    }
}
