using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>
/// Transposes of <c>einsum</c> and <c>tensordot</c>, which are linear in each operand: the cotangent of one operand is
/// the contraction of the output's cotangent with the other operands, written as another einsum. For generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Contractions
{
    /// <summary>
    /// The cotangent of operand <paramref name="operand"/> of <c>einsum(equation, operands)</c>, shaped like
    /// <paramref name="like"/>: einsum("others…,output->input") over the other operands and <paramref name="cotangent"/>,
    /// spread along the subscripts only that operand had (which the einsum summed away), then summed back where the
    /// operand was broadcast.
    /// </summary>
    /// <exception cref="NotSupportedException">The operand repeats a subscript (a diagonal), which has no einsum transpose.</exception>
    /// <exception cref="ArgumentException">The equation is not one einsum reads.</exception>
    public static Tensor EinsumOperand(string equation, int operand, Tensor cotangent, Tensor like, params Tensor[] operands)
    {
        var (inputs, output) = Parse(equation, operands.Length);
        var mine = inputs[operand];
        var repeated = mine.GroupBy(s => s).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
            throw new NotSupportedException($"einsum \"{equation}\": operand {operand} repeats the subscript '{repeated.Key}' (a diagonal), whose derivative Leibniz does not generate; take the diagonal with torch.diagonal first.");

        // Subscripts the operand shares with the others or the output come back through the einsum; the rest were summed away.
        var available = new HashSet<string>(output.Concat(inputs.Where((_, i) => i != operand).SelectMany(s => s)));
        var kept = mine.Where(available.Contains).ToList();
        var sources = inputs.Where((_, i) => i != operand).Append(output).Select(Spell);
        var transposed = string.Join(",", sources) + "->" + Spell(kept);
        var others = operands.Where((_, i) => i != operand).Append(cotangent).ToArray();
        var result = einsum(transposed, others);

        if (kept.Count < mine.Count)
        {
            // Put each summed-away subscript back as a dimension of size one, then spread along it.
            var shape = new List<long>();
            var k = 0;
            for (var d = 0; d < mine.Count; d++)
            {
                if (mine[d] == "...")
                {
                    var rank = (int)like.dim() - (mine.Count - 1);
                    if (available.Contains("..."))
                    {
                        shape.AddRange(result.shape.Skip(k).Take(rank));
                        k += rank;
                    }
                    else shape.AddRange(Enumerable.Repeat(1L, rank));
                }
                else if (available.Contains(mine[d])) shape.Add(result.shape[k++]);
                else shape.Add(1);
            }

            result = result.reshape(shape.ToArray()).expand_as(like);
        }

        return result.shape.SequenceEqual(like.shape) ? result : Broadcasting.SumToShape(result, like.shape);
    }

    /// <summary>
    /// The cotangent of <paramref name="operand"/> (0 for a, 1 for b) of <c>tensordot(a, b, dims1, dims2)</c>: the
    /// contraction written as an einsum and transposed by <see cref="EinsumOperand"/>.
    /// </summary>
    public static Tensor TensorDotOperand(int operand, Tensor cotangent, Tensor like, Tensor a, Tensor b, long[] dims1, long[] dims2)
    {
        var equation = TensorDotEquation((int)a.dim(), (int)b.dim(), dims1, dims2);
        return EinsumOperand(equation, operand, cotangent, like, a, b);
    }

    /// <summary>The cotangent of <paramref name="operand"/> of <c>tensordot(a, b, dims)</c>: a's last dims against b's first.</summary>
    public static Tensor TensorDotOperand(int operand, Tensor cotangent, Tensor like, Tensor a, Tensor b, long dims)
    {
        var contracted = Enumerable.Range(0, (int)dims).Select(i => (long)(a.dim() - dims + i)).ToArray();
        return TensorDotOperand(operand, cotangent, like, a, b, contracted, Enumerable.Range(0, (int)dims).Select(i => (long)i).ToArray());
    }

    /// <summary>The einsum equation of tensordot: a's free dimensions, then b's, with dims1[i] of a contracted against dims2[i] of b.</summary>
    static string TensorDotEquation(int rankA, int rankB, long[] dims1, long[] dims2)
    {
        if (dims1.Length != dims2.Length)
            throw new ArgumentException($"tensordot contracts dims1 [{string.Join(", ", dims1)}] against dims2 [{string.Join(", ", dims2)}]: give both the same length.", nameof(dims2));
        if (rankA + rankB > 52) throw new NotSupportedException($"tensordot of ranks {rankA} and {rankB} has more dimensions than einsum has letters.");
        var letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        var a = Enumerable.Range(0, rankA).Select(i => letters[i]).ToArray();
        var b = Enumerable.Range(0, rankB).Select(i => letters[rankA + i]).ToArray();
        for (var i = 0; i < dims1.Length; i++) b[(int)(dims2[i] < 0 ? dims2[i] + rankB : dims2[i])] = a[(int)(dims1[i] < 0 ? dims1[i] + rankA : dims1[i])];
        var contracted = new HashSet<char>(dims1.Select(d => a[(int)(d < 0 ? d + rankA : d)]));
        var output = a.Where(c => !contracted.Contains(c)).Concat(b.Where(c => !contracted.Contains(c)));
        return new string(a) + "," + new string(b) + "->" + new string(output.ToArray());
    }

    /// <summary>Splits an equation into each input's subscripts and the output's ("..." one subscript), the output implicit when there is no "->".</summary>
    static (List<List<string>> Inputs, List<string> Output) Parse(string equation, int operands)
    {
        var compact = new string(equation.Where(c => !char.IsWhiteSpace(c)).ToArray());
        var arrow = compact.IndexOf("->", StringComparison.Ordinal);
        var left = arrow < 0 ? compact : compact.Substring(0, arrow);
        var inputs = left.Split(',').Select(Subscripts).ToList();
        if (inputs.Count != operands)
            throw new ArgumentException($"einsum \"{equation}\" names {inputs.Count} operands but is given {operands}.", nameof(equation));
        List<string> output;
        if (arrow >= 0) output = Subscripts(compact.Substring(arrow + 2));
        else
        {
            // Implicit output: the subscripts that appear once, in alphabetical order, after any ellipsis.
            var counts = inputs.SelectMany(s => s).Where(s => s != "...").GroupBy(s => s).Where(g => g.Count() == 1).Select(g => g.Key).OrderBy(s => s, StringComparer.Ordinal);
            output = (inputs.Any(s => s.Contains("...")) ? new[] { "..." } : Array.Empty<string>()).Concat(counts).ToList();
        }

        return (inputs, output);
    }

    static List<string> Subscripts(string text)
    {
        var subscripts = new List<string>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '.')
            {
                subscripts.Add("...");
                i += 2;
            }
            else if (char.IsLetter(text[i])) subscripts.Add(text[i].ToString());
            else throw new ArgumentException($"einsum subscripts \"{text}\" contain '{text[i]}'; use letters and '...'.", nameof(text));
        }

        return subscripts;
    }

    static string Spell(IEnumerable<string> subscripts) => string.Concat(subscripts);
}
