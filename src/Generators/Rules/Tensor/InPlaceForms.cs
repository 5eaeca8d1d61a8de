using System.Collections.Generic;
using Leibniz.Generators.IR.Functions;

namespace Leibniz.Generators.Rules.Tensor;

/// <summary>
/// In-place forms of pullback contributions: where a contribution is <c>helper(arguments…)</c>, adding α times it to a
/// tensor is <c>inPlace(tensor, arguments…, α)</c>, which does not materialise it (<c>addmm_</c> for a linear layer's
/// weight). A gradient-descent step folded into the backward uses them.
/// </summary>
internal static class InPlaceForms
{
    const string LinearAdjoints = "global::Leibniz.Generated.LinearAdjoints";

    static readonly Dictionary<string, string> Table = new()
    {
        [LinearAdjoints + ".Weight"] = LinearAdjoints + ".AddWeight",
        [LinearAdjoints + ".Bias"] = LinearAdjoints + ".AddBias",
    };

    /// <summary>The in-place form of <paramref name="contribution"/> (without the target and α), if it has one.</summary>
    public static OpaqueCall? Of(Expression contribution)
        => contribution is OpaqueCall call && Table.TryGetValue(call.CSharp, out var inPlace) ? call with { CSharp = inPlace } : null;
}
