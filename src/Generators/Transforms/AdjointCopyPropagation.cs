using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;

namespace Leibniz.Generators.Transforms;

/// <summary>
/// Removes the copies a scalar reverse sweep makes of an adjoint it takes without zeroing (<see cref="TakeAdjointStatement.Clears"/>
/// false: nothing reads the adjoint before it is next assigned). The taken value is read from the adjoint itself until the
/// adjoint is next written, so <c>r0 = _d_result; _d_t1 = r0;</c> is <c>_d_t1 = _d_result;</c>, and
/// <c>r10 = _d_sum; _d_sum = r10; _d_t12 = r10;</c> (the reverse of <c>sum += t12</c>) is <c>_d_t12 = _d_sum;</c>. A take
/// whose copy nothing reads goes. Runs after <see cref="AdjointSimplification"/>, which decides <c>Clears</c>.
/// </summary>
internal static class AdjointCopyPropagation
{
    public static Block Propagate(Block reverse)
    {
        var reads = new Dictionary<string, int>();
        CountSeedReads(reverse, reads);
        return Propagate(reverse, reads);
    }

    static Block Propagate(Block block, Dictionary<string, int> reads)
    {
        var statements = block.Statements.Select(s => Nested(s, reads)).ToList();
        for (var i = 0; i < statements.Count; i++)
        {
            if (statements[i] is not TakeAdjointStatement { Clears: false } take || take.Type is not (ValueType.Double or ValueType.Float)) continue;
            var total = reads.TryGetValue(take.Seed, out var n) ? n : 0;
            if (total == 0)
            {
                statements.RemoveAt(i--);
                continue;
            }

            // The statements after the take that read the copy, up to the adjoint's next write.
            var rewritten = new List<Statement?>();
            var replaced = 0;
            for (var j = i + 1; j < statements.Count && replaced < total; j++)
            {
                var statement = statements[j];
                if (statement is AccumulateStatement { Index: null, Partial: null, Negate: false, Assigns: true } copy
                    && copy.Adjoint == take.Adjoint && copy.Seed == take.Seed && copy.Type == copy.SeedType)
                {
                    // The adjoint = the copy of itself: nothing to do.
                    rewritten.Add(null);
                    replaced++;
                    continue;
                }

                if (statement is AccumulateStatement accumulate && accumulate.Seed == take.Seed && accumulate.Adjoint != take.Adjoint)
                {
                    rewritten.Add(accumulate with { Seed = take.Adjoint });
                    replaced++;
                    continue;
                }

                if (statement is CommentStatement || statement is AccumulateStatement other && other.Seed != take.Seed && other.Adjoint != take.Adjoint
                    && other.Adjoint != take.Seed)
                {
                    rewritten.Add(statement);
                    continue;
                }

                break;
            }

            if (replaced != total) continue;
            statements.RemoveAt(i);
            for (var k = 0; k < rewritten.Count; k++) statements[i + k] = rewritten[k]!;
            statements.RemoveAll(s => s is null);
            i--;
        }

        // A comment whose code went (the reverse of a constant, a take nothing read) no longer heads anything.
        statements = statements.Where((s, k) => s is not CommentStatement || k + 1 < statements.Count && statements[k + 1] is not CommentStatement).ToList();
        return new Block(statements.ToEquatableArray());
    }

    static Statement Nested(Statement statement, Dictionary<string, int> reads) => statement switch
    {
        IfStatement i => i with { Then = Propagate(i.Then, reads), Else = Propagate(i.Else, reads) },
        ReverseLoopStatement l => l with { Body = Propagate(l.Body, reads) },
        WhenAdjointStatement w => w with { Body = Propagate(w.Body, reads) },
        _ => statement,
    };

    /// <summary>How often each variable is read anywhere in the sweep (every name a statement reads counts once).</summary>
    static void CountSeedReads(Block block, Dictionary<string, int> reads)
    {
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case IfStatement i:
                    if (i.Condition is Variable c) Count(reads, c.Name);
                    CountSeedReads(i.Then, reads);
                    CountSeedReads(i.Else, reads);
                    break;
                case ReverseLoopStatement l:
                    CountSeedReads(l.Body, reads);
                    break;
                case WhenAdjointStatement w:
                    Count(reads, w.Seed);
                    CountSeedReads(w.Body, reads);
                    break;
                default:
                {
                    var names = new HashSet<string>();
                    ReverseMode.SweepReads(new Block(new[] { statement }.ToEquatableArray()), names);
                    // An accumulation reads its own adjoint when it adds; the walker counts only its seed and partial.
                    if (statement is AccumulateStatement { Assigns: false } a) names.Add(a.Adjoint);
                    foreach (var name in names) Count(reads, name);
                    break;
                }
            }
        }
    }

    static void Count(Dictionary<string, int> reads, string name) => reads[name] = reads.TryGetValue(name, out var n) ? n + 1 : 1;
}
