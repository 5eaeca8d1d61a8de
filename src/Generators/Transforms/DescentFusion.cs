using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;
using Leibniz.Generators.Rules.Tensor;

namespace Leibniz.Generators.Transforms;

/// <summary>
/// Folds a gradient-descent update into a model's reverse sweep. A parameter whose adjoint receives exactly
/// one contribution, at the top level of the sweep, is updated in place right there (<c>W.addmm_(ȳᵀ, x, α)</c>
/// for a linear layer's weight) instead of materialising its gradient — provided nothing later in the sweep
/// reads the parameter, which the update changes. Every other parameter keeps its adjoint and is updated
/// after the sweep.
/// </summary>
internal static class DescentFusion
{
    public static DescentSpec Fuse(Block reverse, EquatableArray<ParameterSpec> parameters, EquatableArray<AdjointParameter> adjoints)
    {
        var fields = parameters.Where(p => p.IsField && p.HasAdjoint && p.Type == ValueType.Tensor).Select(p => p.Name).ToList();
        var adjointOf = adjoints.Where(a => a.LocalAdjoint is not null).ToDictionary(a => a.Parameter, a => a.LocalAdjoint!);
        var statements = reverse.Statements.ToList();
        var fused = new HashSet<string>();

        foreach (var field in fields)
        {
            if (!adjointOf.TryGetValue(field, out var adjoint)) continue;
            var contributions = Contributions(reverse, adjoint);
            if (contributions != 1) continue;
            var index = statements.FindIndex(s => s is AccumulateTensorStatement { Assigns: true, AdjointType: ValueType.Tensor } a && a.Adjoint == adjoint);
            if (index < 0) continue;

            var later = new HashSet<string>();
            ReverseMode.SweepReads(new Block(statements.Skip(index + 1).ToEquatableArray()), later);
            if (later.Contains(field) || later.Contains(adjoint)) continue;

            var accumulation = (AccumulateTensorStatement)statements[index];
            statements[index] = new DescentUpdateStatement(field, accumulation) { InPlace = InPlaceForms.Of(accumulation.Contribution) };
            fused.Add(field);
        }

        // A model called once updates its own parameters as its fused Descend allows; one called twice must not,
        // since the other call's pullback still reads them, so its gradients are summed and applied after the sweep.
        var pullbacks = new List<ModelPullbackStatement>();
        CollectModelPullbacks(reverse, pullbacks);
        var calledOnce = new HashSet<string>(pullbacks.GroupBy(p => p.Field).Where(g => g.Count() == 1).Select(g => g.Key));
        var descending = Descending(new Block(statements.ToEquatableArray()), calledOnce);

        var after = adjoints.Where(a => a.LocalAdjoint is not null && a.Type == ValueType.Tensor && fields.Contains(a.Parameter) && !fused.Contains(a.Parameter));
        return new DescentSpec(descending, after.ToEquatableArray());
    }

    static void CollectModelPullbacks(Block block, List<ModelPullbackStatement> pullbacks)
    {
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case ModelPullbackStatement p: pullbacks.Add(p); break;
                case IfStatement i: CollectModelPullbacks(i.Then, pullbacks); CollectModelPullbacks(i.Else, pullbacks); break;
                case WhenAdjointStatement w: CollectModelPullbacks(w.Body, pullbacks); break;
                // Once per iteration: a model called in a loop is never called once, and one called outside it too must not
                // update its parameters while the reverse loop still recomputes iterations that read them.
                case ReverseLoopStatement l: CollectModelPullbacks(l.Body, pullbacks); CollectModelPullbacks(l.Body, pullbacks); break;
            }
        }
    }

    static Block Descending(Block block, HashSet<string> calledOnce) => new(block.Statements.Select(statement => statement switch
    {
        ModelPullbackStatement p when calledOnce.Contains(p.Field) => p with { Descends = true },
        IfStatement i => i with { Then = Descending(i.Then, calledOnce), Else = Descending(i.Else, calledOnce) },
        WhenAdjointStatement w => w with { Body = Descending(w.Body, calledOnce) },
        _ => statement,
    }).ToEquatableArray());

    static int Contributions(Block block, string adjoint)
    {
        var count = 0;
        foreach (var statement in block.Statements)
        {
            count += statement switch
            {
                AccumulateTensorStatement a when a.Adjoint == adjoint => 1,
                PullbackCallStatement call when call.Adjoints.Any(a => a.Name == adjoint) => 1,
                ModelPullbackStatement pullback when pullback.InputAdjoint == adjoint => 1,
                IfStatement i => Contributions(i.Then, adjoint) + Contributions(i.Else, adjoint),
                WhenAdjointStatement w => Contributions(w.Body, adjoint),
                ReverseLoopStatement l => 2 * Contributions(l.Body, adjoint),
                _ => 0,
            };
        }

        return count;
    }
}
