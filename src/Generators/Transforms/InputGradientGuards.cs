using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;

namespace Leibniz.Generators.Transforms;

/// <summary>
/// A model's pullback computes its inputs' gradients only when the caller asks (the last layer's input product is
/// otherwise wasted): every accumulation into an input's adjoint goes under an <see cref="InputGradientGuardStatement"/>.
/// An input the body reassigns is a working variable whose adjoint also carries what flows to the parameters before
/// the reassignment, so it is always formed and nothing is guarded; only returning it depends on the flag.
/// </summary>
internal static class InputGradientGuards
{
    public static ReverseFunctionSpec Apply(ReverseFunctionSpec function)
    {
        var primal = function.Primal;
        if (!primal.IsModelMethod) return function;

        var assignments = new List<Assignment>();
        ActivityAnalysis.Collect(primal.Body, assignments);
        var inputs = primal.Parameters.Where(p => !p.IsField).Select(p => p.Name).ToList();
        var reassigned = inputs.Where(input => assignments.Any(a => a.Target == input)).ToList();
        var guarded = new HashSet<string>(inputs
            .Where(input => !reassigned.Contains(input))
            .Select(input => function.Adjoints.FirstOrDefault(a => a.Parameter == input)?.LocalAdjoint)
            .OfType<string>());
        var result = function with { ReassignedInputs = reassigned.ToEquatableArray(), CopiedLocals = InputCopies(assignments, inputs).ToEquatableArray() };
        if (guarded.Count == 0) return result;

        return result with
        {
            Reverse = Guard(function.Reverse, guarded),
            Descent = function.Descent is { } descent ? descent with { Reverse = Guard(descent.Reverse, guarded) } : null,
        };
    }

    /// <summary>The locals that may hold an input itself: copies of an input, or of such a copy, to a fixed point (loops).</summary>
    static List<string> InputCopies(List<Assignment> assignments, List<string> inputs)
    {
        var holders = new HashSet<string>(inputs);
        var copies = new List<string>();
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var assignment in assignments)
            {
                if (assignment.Value is CopyExpression { Value: Variable source } && holders.Contains(source.Name) && holders.Add(assignment.Target))
                {
                    copies.Add(assignment.Target);
                    changed = true;
                }
            }
        }

        return copies;
    }

    static Block Guard(Block block, HashSet<string> adjoints)
    {
        var statements = block.Statements.Select(statement => statement switch
        {
            AccumulateTensorStatement a when adjoints.Contains(a.Adjoint) => new InputGradientGuardStatement(new Block(new Statement[] { a }.ToEquatableArray())),
            DescentUpdateStatement d when adjoints.Contains(d.Contribution.Adjoint) => new InputGradientGuardStatement(new Block(new Statement[] { d }.ToEquatableArray())),
            IfStatement i => i with { Then = Guard(i.Then, adjoints), Else = Guard(i.Else, adjoints) },
            WhenAdjointStatement w => w with { Body = Guard(w.Body, adjoints) },
            ReverseLoopStatement l => l with { Body = Guard(l.Body, adjoints) },
            _ => statement,
        });
        return new Block(statements.ToEquatableArray());
    }
}
