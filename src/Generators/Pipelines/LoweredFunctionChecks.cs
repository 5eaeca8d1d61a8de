using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.Frontend.Functions;
using Leibniz.Generators.IR.Functions;
using Leibniz.Generators.Transforms;

namespace Leibniz.Generators.Pipelines;

/// <summary>
/// The checks on a lowered <c>[Differentiable]</c> method that need its body analysed, run by both hosts of the front end
/// (this generator and the analyzer) right after lowering: the front end produces IR and diagnostics only, and what
/// depends on which values vary with the differentiated inputs is decided here.
/// </summary>
internal static class LoweredFunctionChecks
{
    /// <summary>The method to emit, or null with the diagnostics saying why it is refused.</summary>
    public static FrontendResult<FunctionSpec> Apply(LoweredFunction lowered)
    {
        if (lowered.Spec is not { } spec) return new FrontendResult<FunctionSpec>(null, lowered.Diagnostics);

        var dropped = ScalarsWithDroppedDerivative(spec, lowered.ScalarsWithoutDerivative);
        if (dropped.Count > 0) return new FrontendResult<FunctionSpec>(null, lowered.Diagnostics.Concat(dropped).ToEquatableArray());
        if (lowered.GeneratedNameClashes.Count > 0)
            return new FrontendResult<FunctionSpec>(null, lowered.Diagnostics.Concat(lowered.GeneratedNameClashes).ToEquatableArray());
        return new FrontendResult<FunctionSpec>(spec, lowered.Diagnostics);
    }

    /// <summary>
    /// Each floating-point argument that a tensor rule takes no derivative in (a slope, an exponent, a scale) and that
    /// depends on a differentiated input: its share of the derivative would be dropped, so the method is refused instead.
    /// Whether it depends on one is the forward half of activity analysis over the lowered body.
    /// </summary>
    static List<DiagnosticInfo> ScalarsWithDroppedDerivative(FunctionSpec spec, EquatableArray<ScalarWithoutDerivative> scalars)
    {
        var dropped = new List<DiagnosticInfo>();
        if (scalars.Count == 0) return dropped;
        var assignments = new List<Assignment>();
        ActivityAnalysis.Collect(spec.Body, assignments);
        var varied = new HashSet<string>(spec.Parameters.Where(p => p.HasAdjoint).Select(p => p.Name));
        bool changed;
        do
        {
            changed = false;
            foreach (var assignment in assignments)
            {
                if (!varied.Contains(assignment.Target) && ActivityAnalysis.DifferentiableInputs(assignment.Value).Any(varied.Contains))
                    changed |= varied.Add(assignment.Target);
            }
        }
        while (changed);

        dropped.AddRange(scalars.Where(s => varied.Contains(s.Variable)).Select(s => s.Diagnostic));
        return dropped;
    }
}
