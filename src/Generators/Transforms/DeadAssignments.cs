using System;
using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;

namespace Leibniz.Generators.Transforms;

/// <summary>
/// Removes assignments to locals that nothing reads — a <c>const</c> local of the source, whose uses lowering folded
/// in, or one the source never reads — when computing the value cannot throw or have an effect, until none is left.
/// The generated code then has no local assigned only constants and never read (CS0219), and no wasted work.
/// </summary>
internal static class DeadAssignments
{
    /// <summary>
    /// <paramref name="blocks"/> (read together, pruned each) without assignments to those of <paramref name="locals"/> that
    /// nothing reads, neither in the blocks nor after them (<paramref name="readAfter"/>: what the generated method reads last).
    /// </summary>
    public static Block[] Remove(Block[] blocks, IEnumerable<string> locals, IEnumerable<string> readAfter)
    {
        blocks = (Block[])blocks.Clone();
        var candidates = new HashSet<string>(locals);
        while (true)
        {
            var reads = new HashSet<string>(readAfter);
            foreach (var block in blocks) Reads(block, reads);
            var dead = new HashSet<string>(candidates.Where(l => !reads.Contains(l)));
            var changed = false;
            for (var i = 0; i < blocks.Length; i++) blocks[i] = Without(blocks[i], dead, ref changed);
            if (!changed) return blocks;
        }
    }

    /// <summary>The pullback's version: both sweeps, over the primal's locals and the sweeps' own.</summary>
    public static ReverseFunctionSpec Remove(ReverseFunctionSpec function, string result)
    {
        var locals = function.Primal.Locals.Select(l => l.Name).Concat(function.SweepLocals.Select(l => l.Name));
        var readAfter = new List<string> { result, function.ResultAdjoint };
        readAfter.AddRange(function.Adjoints.Select(a => a.LocalAdjoint).OfType<string>());
        var pruned = Remove(new[] { function.Forward, function.Reverse }, locals, readAfter);
        return function with { Forward = pruned[0], Reverse = pruned[1] };
    }

    static Block Without(Block block, HashSet<string> dead, ref bool changed)
    {
        var statements = new List<Statement>();
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case Assignment a when dead.Contains(a.Target) && Removable(a.Value):
                    changed = true;
                    continue;
                case IfStatement i:
                    statements.Add(i with { Then = Without(i.Then, dead, ref changed), Else = Without(i.Else, dead, ref changed) });
                    break;
                case LoopStatement l:
                    statements.Add(l with { Header = Without(l.Header, dead, ref changed), Body = Without(l.Body, dead, ref changed), Step = Without(l.Step, dead, ref changed) });
                    break;
                case CountedLoopStatement l:
                    statements.Add(l with { Header = Without(l.Header, dead, ref changed), Body = Without(l.Body, dead, ref changed), Step = Without(l.Step, dead, ref changed) });
                    break;
                case ReverseLoopStatement l:
                    statements.Add(l with { Body = Without(l.Body, dead, ref changed) });
                    break;
                case WhenAdjointStatement w:
                    statements.Add(w with { Body = Without(w.Body, dead, ref changed) });
                    break;
                default:
                    statements.Add(statement);
                    break;
            }
        }

        return new Block(statements.ToEquatableArray());
    }

    /// <summary>Whether computing <paramref name="value"/> can neither throw nor act: no call but math, no division (an integer one throws), no indexing.</summary>
    static bool Removable(Expression value) => value switch
    {
        CopyExpression => true,
        UnaryExpression => true,
        BinaryExpression b => b.Operator is not (BinaryOperator.Divide or BinaryOperator.Remainder),
        ConditionalExpression => true,
        PrimitiveCall => true,
        _ => false,
    };

    /// <summary>Every name <paramref name="block"/> reads, conservatively; an unknown statement kind is an error, never a missed read.</summary>
    static void Reads(Block block, HashSet<string> reads) => StatementNames.Visit(block, name => reads.Add(name), _ => { });
}
