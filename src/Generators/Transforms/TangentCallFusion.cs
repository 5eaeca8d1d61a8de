using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;

namespace Leibniz.Generators.Transforms;

/// <summary>
/// <c>dy = G.GJacobianVectorProduct(a, da); y = G.G(a);</c> becomes one call, <c>y = G.GTangent(a, da, out dy);</c>: the
/// callee's tangent computes its value anyway. Only the tangent method's body is fused — the JVP stays plain IR, which
/// reverse mode differentiates again for Hessian–vector products and whose pullbacks need the two calls apart.
/// </summary>
internal static class TangentCallFusion
{
    /// <summary>The method of a called model whose tangent the fused call runs.</summary>
    const string ModelForward = "Forward";

    /// <summary><paramref name="function"/> with <see cref="TangentFunctionSpec.TangentBody"/> set to its JVP's body, fused.</summary>
    public static TangentFunctionSpec Apply(TangentFunctionSpec function)
        => function with { TangentBody = Fuse(function.Jvp.Body) };

    static Block Fuse(Block block)
    {
        var statements = block.Statements;
        var fused = new List<Statement>(statements.Count);
        for (var i = 0; i < statements.Count; i++)
        {
            if (i + 1 < statements.Count && Fused(statements[i], statements[i + 1]) is { } call)
            {
                fused.Add(call);
                i++;
                continue;
            }

            fused.Add(statements[i] switch
            {
                IfStatement branch => branch with { Then = Fuse(branch.Then), Else = Fuse(branch.Else) },
                LoopStatement loop => loop with { Header = Fuse(loop.Header), Body = Fuse(loop.Body), Step = Fuse(loop.Step) },
                var statement => statement,
            });
        }

        return new Block(fused.ToEquatableArray());
    }

    static TangentCallStatement? Fused(Statement first, Statement second)
    {
        // dy = m.ForwardJacobianVectorProduct(h, dh, dm); y = m.Forward(h);  →  y = m.ForwardTangent(h, dh, dm, out dy);
        if (first is Assignment { Value: ModelJacobianVectorProduct called } modelTangent && second is Assignment { Value: ModelCall model } modelValue
            && called.Field == model.Field)
            return new TangentCallStatement(modelValue.Target, modelTangent.Target, null, model.Field, ModelForward, new[] { called.Input, called.InputTangent, called.Directions }.ToEquatableArray());

        if (first is not Assignment { Value: DifferentiableCall jvp } tangent || second is not Assignment { Value: DifferentiableCall call } value) return null;
        if (jvp.ContainingType != call.ContainingType || jvp.Method != ForwardMode.JacobianVectorProductName(call.Method)) return null;
        if (jvp.Arguments.Count < call.Arguments.Count || !jvp.Arguments.Take(call.Arguments.Count).SequenceEqual(call.Arguments)) return null;
        return new TangentCallStatement(value.Target, tangent.Target, call.ContainingType, null, call.Method, jvp.Arguments);
    }
}
