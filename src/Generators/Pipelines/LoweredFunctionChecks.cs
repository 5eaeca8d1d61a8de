using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.Frontend.Functions;
using Leibniz.Generators.IR.Functions;
using Leibniz.Generators.Rules.Tensor;
using Leibniz.Generators.Transforms;

namespace Leibniz.Generators.Pipelines;

/// <summary>
/// The checks on a lowered <c>[Differentiable]</c> method that need its body analysed, run by both hosts of the front end
/// (this generator and the analyzer) right after lowering: the front end produces IR and diagnostics only, and what
/// depends on which values vary with the differentiated inputs, or on what the tangent table covers, is decided here.
/// </summary>
internal static class LoweredFunctionChecks
{
    /// <summary>The method to emit, or null with the diagnostics saying why it is refused.</summary>
    public static FrontendResult<FunctionSpec> Apply(LoweredFunction lowered)
    {
        var diagnostics = lowered.TensorTangentChecks.Count == 0
            ? lowered.Diagnostics
            : lowered.Diagnostics.Concat(WithoutTangent(lowered.TensorTangentChecks)).ToEquatableArray();
        if (lowered.Spec is not { } spec) return new FrontendResult<FunctionSpec>(null, diagnostics);

        var dropped = ScalarsWithDroppedDerivative(spec, lowered.ScalarsWithoutDerivative);
        if (dropped.Count > 0) return new FrontendResult<FunctionSpec>(null, diagnostics.Concat(dropped).ToEquatableArray());
        if (lowered.GeneratedNameClashes.Count > 0)
            return new FrontendResult<FunctionSpec>(null, diagnostics.Concat(lowered.GeneratedNameClashes).ToEquatableArray());
        return new FrontendResult<FunctionSpec>(spec, diagnostics);
    }

    /// <summary>
    /// LZ0109 for each tensor call forward mode has no tangent for: the method keeps its reverse mode, and its forward
    /// mode is left out. A list or index written out element by element has a tangent only where the row has one or
    /// is linear in its first argument.
    /// </summary>
    static IEnumerable<DiagnosticInfo> WithoutTangent(EquatableArray<TensorTangentCheck> calls)
    {
        foreach (var call in calls)
        {
            if (TensorTangentRules.Covers(call.Rule)) continue;
            var why = call.Packed && !TensorTangentRules.IsLinearInFirst(call.Rule.Key)
                ? $"'{call.Rule.Key}' with a list or index written out element by element has no tangent rule yet"
                : $"the tensor rule '{call.Rule.Key}' has no tangent rule yet";
            yield return new DiagnosticInfo(DiagnosticDescriptors.ForwardModeUnavailable, call.Location, new[] { call.Code, call.Method, why }.ToEquatableArray());
        }
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
