using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;

namespace Leibniz.Generators.Transforms;

/// <summary>
/// Runs a loop's reverse inside the loop itself when its iterations' reverses are independent: the adjoint flowing into
/// the loop is known before it runs (the code after the loop only hands the seed on to an accumulator), each iteration's
/// reverse reads only values of that iteration and adjoints that do not change in the loop, and writes only adjoints of
/// its own or sums (<c>dx[i] += …</c>) whose order does not matter. Then no iteration is recomputed and nothing is
/// counted: a Rosenbrock-style <c>sum += f(x[i], x[i + 1])</c> costs one pass, as a gradient written by hand does.
/// Anything else keeps the separate reverse loop.
/// </summary>
internal static class ReverseLoopFusion
{
    public static ReverseFunctionSpec Fuse(ReverseFunctionSpec function)
    {
        var forward = function.Forward.Statements.ToList();
        var reverse = function.Reverse.Statements.ToList();
        if (forward.Count(s => s is CountedLoopStatement or LoopStatement or IfStatement) != 1) return function;
        var at = forward.FindIndex(s => s is CountedLoopStatement);
        if (at < 0) return function;
        var loop = (CountedLoopStatement)forward[at];
        var back = reverse.FindIndex(s => s is ReverseLoopStatement r && r.Counter == loop.Counter);
        if (back < 0 || reverse.Count(s => s is ReverseLoopStatement or IfStatement or WhenAdjointStatement) != 1) return function;
        if (Nested(loop.Header) || Nested(loop.Body) || Nested(loop.Step)) return function;

        var reversed = ((ReverseLoopStatement)reverse[back]).Body.Statements;
        var inductions = reversed.TakeWhile(s => s is InductionStatement).Cast<InductionStatement>().ToList();
        var recomputed = new HashSet<Statement>(loop.Header.Statements.Concat(loop.Body.Statements));
        var iteration = reversed.Skip(inductions.Count).SkipWhile(recomputed.Contains).ToList();
        if (iteration.Any(s => s is not (CommentStatement or AccumulateStatement))) return function;

        // Written after the loop (and in it): what code moved before the loop, or into it, must not read.
        var afterLoop = Writes(forward.Skip(at + 1));
        var inLoop = Writes(new Statement[] { loop });
        var before = reverse.Take(back).ToList();
        if (before.Any(s => s is not (CommentStatement or AccumulateStatement or TakeAdjointStatement))) return function;
        if (Reads(before).Overlaps(afterLoop) || Reads(before).Overlaps(inLoop)) return function;
        var afterwards = reverse.Skip(back + 1).ToList();
        if (Reads(afterwards).Overlaps(inLoop) || Reads(afterwards).Overlaps(afterLoop)) return function;

        // An induction variable must still hold the iteration's value at the end of the body: changed only in the step.
        var bodyWrites = Writes(loop.Header.Statements.Concat(loop.Body.Statements));
        if (inductions.Any(i => bodyWrites.Contains(i.Variable))) return function;
        // The body assigns each variable once, so its end holds the values the reverse iteration recomputed.
        var assigned = loop.Header.Statements.Concat(loop.Body.Statements).OfType<Assignment>().Select(a => a.Target).ToList();
        if (assigned.Count != assigned.Distinct().Count()) return function;
        var iterationReads = Reads(iteration);
        if (iterationReads.Overlaps(afterLoop)) return function;
        if (IterationsOwnAdjoints(iteration.OfType<AccumulateStatement>().ToList()) is not { } own) return function;
        // An adjoint each iteration assigns afresh holds, after the loop, the last forward iteration's, not the first's as
        // the reverse loop left it: nothing after the loop may read one.
        var readAfter = Reads(afterwards);
        readAfter.UnionWith(function.Adjoints.Select(a => a.LocalAdjoint).OfType<string>());
        if (own.Overlaps(readAfter)) return function;

        var entries = new HashSet<string>(inductions.Select(i => i.Entry));
        var fused = new LoopStatement(loop.Header, loop.Condition, new Block(loop.Body.Statements.Concat(iteration).ToEquatableArray()), loop.Step, loop.Source);
        var newForward = forward.Take(at).Where(s => !(s is SaveStatement { Slot: { } slot } && entries.Contains(slot)))
            .Concat(before).Append(fused).Concat(forward.Skip(at + 1));
        return function with
        {
            Forward = new Block(newForward.ToEquatableArray()),
            Reverse = new Block(afterwards.ToEquatableArray()),
            SeedsBeforeForward = true,
        };
    }

    /// <summary>
    /// The adjoints an iteration's reverse assigns before it reads them (its own), when the iteration's reverses may run
    /// in any order: every other adjoint it writes is only ever accumulated into and never read as a seed (a sum), and
    /// every seed it reads otherwise is an adjoint the loop does not write. Null when they may not.
    /// </summary>
    static HashSet<string>? IterationsOwnAdjoints(List<AccumulateStatement> iteration)
    {
        var written = new HashSet<string>(iteration.Select(a => a.Adjoint));
        var own = new HashSet<string>();
        foreach (var accumulate in iteration)
        {
            if (written.Contains(accumulate.Seed) && !own.Contains(accumulate.Seed)) return null;
            if (accumulate.Index is null && accumulate.Assigns) own.Add(accumulate.Adjoint);
        }

        return own;
    }

    static bool Nested(Block block) => block.Statements.Any(s => s is LoopStatement or CountedLoopStatement or ReverseLoopStatement or IfStatement or WhenAdjointStatement);

    static HashSet<string> Reads(IEnumerable<Statement> statements)
    {
        var reads = new HashSet<string>();
        foreach (var statement in statements) StatementNames.Visit(statement, name => reads.Add(name), _ => { });
        return reads;
    }

    static HashSet<string> Writes(IEnumerable<Statement> statements)
    {
        var writes = new HashSet<string>();
        foreach (var statement in statements) StatementNames.Visit(statement, _ => { }, name => writes.Add(name));
        return writes;
    }
}
