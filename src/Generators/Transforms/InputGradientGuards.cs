using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;

namespace Leibniz.Generators.Transforms;

/// <summary>
/// A model's pullback computes its input's gradient only when the caller asks (the last layer's input product is
/// otherwise wasted): every accumulation into the input's adjoint goes under an <see cref="InputGradientGuardStatement"/>.
/// An input the body reassigns is a working variable whose adjoint also carries what flows to the parameters before
/// the reassignment, so it is always formed and nothing is guarded; only returning it depends on the flag.
/// </summary>
internal static class InputGradientGuards
{
    public static ReverseFunctionSpec Apply(ReverseFunctionSpec function)
    {
        var primal = function.Primal;
        if (!primal.IsModelMethod) return function;

        var input = primal.Parameters.First(p => !p.IsField);
        var assignments = new List<Assignment>();
        ActivityAnalysis.Collect(primal.Body, assignments);
        var reassigned = assignments.Any(a => a.Target == input.Name);
        var adjoint = function.Adjoints.FirstOrDefault(a => a.Parameter == input.Name)?.LocalAdjoint;
        var guarded = function with { InputReassigned = reassigned };
        if (reassigned || adjoint is null) return guarded;

        return guarded with
        {
            Reverse = Guard(function.Reverse, adjoint),
            Descent = function.Descent is { } descent ? descent with { Reverse = Guard(descent.Reverse, adjoint) } : null,
        };
    }

    static Block Guard(Block block, string adjoint)
    {
        var statements = block.Statements.Select(statement => statement switch
        {
            AccumulateTensorStatement a when a.Adjoint == adjoint => new InputGradientGuardStatement(new Block(new Statement[] { a }.ToEquatableArray())),
            DescentUpdateStatement d when d.Contribution.Adjoint == adjoint => new InputGradientGuardStatement(new Block(new Statement[] { d }.ToEquatableArray())),
            IfStatement i => i with { Then = Guard(i.Then, adjoint), Else = Guard(i.Else, adjoint) },
            WhenAdjointStatement w => w with { Body = Guard(w.Body, adjoint) },
            ReverseLoopStatement l => l with { Body = Guard(l.Body, adjoint) },
            _ => statement,
        });
        return new Block(statements.ToEquatableArray());
    }
}
