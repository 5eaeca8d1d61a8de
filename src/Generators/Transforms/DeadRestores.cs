using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;

namespace Leibniz.Generators.Transforms;

/// <summary>
/// Drops a restore from a local slot that nothing after it reads (the last use of a kept value was the adjoint code just
/// before it), then the save that only fed it: <c>s0 = t2; t2 = -x;</c> … <c>t2 = s0;</c> with <c>t2</c> never read again
/// is just <c>t2 = -x;</c>. Tape restores stay, since a pop keeps the tape in step.
/// </summary>
internal static class DeadRestores
{
    public static ReverseFunctionSpec Remove(ReverseFunctionSpec function, string result)
    {
        // After the reverse sweep the generated method reads only the result.
        var live = new HashSet<string> { result };
        var reverse = Backwards(function.Reverse, live);

        // A slot is read by its restores, or by an induction variable's recomputation (the loop's entry value).
        var restored = new HashSet<string>();
        ReverseMode.SweepReads(reverse, restored);
        var forward = WithoutSaves(function.Forward, restored);
        reverse = WithoutSaves(reverse, restored);
        return function with { Forward = forward, Reverse = reverse };
    }

    /// <summary>Walks <paramref name="block"/> from its end with <paramref name="live"/> the variables that may be read after it.</summary>
    static Block Backwards(Block block, HashSet<string> live)
    {
        var statements = new List<Statement>();
        for (var i = block.Statements.Count - 1; i >= 0; i--)
        {
            var statement = block.Statements[i];
            switch (statement)
            {
                case RestoreStatement { Slot: { } slot } restore:
                    if (!live.Contains(restore.Variable)) continue;
                    live.Add(slot);
                    break;
                case IfStatement branch:
                {
                    var inThen = new HashSet<string>(live);
                    var inElse = new HashSet<string>(live);
                    var then = Backwards(branch.Then, inThen);
                    var otherwise = Backwards(branch.Else, inElse);
                    live.UnionWith(inThen);
                    live.UnionWith(inElse);
                    if (branch.Condition is Variable condition) live.Add(condition.Name);
                    statement = branch with { Then = then, Else = otherwise };
                    break;
                }

                case ReverseLoopStatement loop:
                {
                    // Whatever any iteration reads may be read after a restore in an earlier-running one.
                    ReverseMode.SweepReads(loop.Body, live);
                    statement = loop with { Body = Backwards(loop.Body, live) };
                    break;
                }

                case WhenAdjointStatement guard:
                {
                    ReverseMode.SweepReads(guard.Body, live);
                    statement = guard with { Body = Backwards(guard.Body, live) };
                    break;
                }

                default:
                    // Conservative: what a statement writes stays live.
                    ReverseMode.SweepReads(new Block(new[] { statement }.ToEquatableArray()), live);
                    break;
            }

            statements.Add(statement);
        }

        statements.Reverse();
        return new Block(statements.ToEquatableArray());
    }

    static Block WithoutSaves(Block block, HashSet<string> restored)
    {
        var statements = new List<Statement>();
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case SaveStatement { Slot: { } slot } when !restored.Contains(slot):
                    continue;
                case IfStatement i:
                    statements.Add(i with { Then = WithoutSaves(i.Then, restored), Else = WithoutSaves(i.Else, restored) });
                    break;
                case LoopStatement l:
                    statements.Add(l with { Header = WithoutSaves(l.Header, restored), Body = WithoutSaves(l.Body, restored), Step = WithoutSaves(l.Step, restored) });
                    break;
                case CountedLoopStatement l:
                    statements.Add(l with { Header = WithoutSaves(l.Header, restored), Body = WithoutSaves(l.Body, restored), Step = WithoutSaves(l.Step, restored) });
                    break;
                case ReverseLoopStatement l:
                    statements.Add(l with { Body = WithoutSaves(l.Body, restored) });
                    break;
                case WhenAdjointStatement w:
                    statements.Add(w with { Body = WithoutSaves(w.Body, restored) });
                    break;
                default:
                    statements.Add(statement);
                    break;
            }
        }

        return new Block(statements.ToEquatableArray());
    }
}
