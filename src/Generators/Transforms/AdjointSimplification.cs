using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;

namespace Leibniz.Generators.Transforms;

/// <summary>
/// Simplifies a reverse sweep in two passes over its structured statements. Forwards, it tracks which
/// adjoints are known to hold nothing yet: the first contribution to such an adjoint becomes an
/// assignment (<c>_d_a = r * b</c>, or for tensors <c>_d_a = ḡ.mul(b)</c> with no <c>Adjoints.Add</c>), a
/// guard on an adjoint known to have been set disappears, and one on an adjoint known to be empty
/// disappears with its body. Backwards, it finds where zeroing a taken adjoint is dead because nothing
/// reads it before the next assignment. Both keep the JIT's job easy: an adjoint that is only ever
/// assigned inside a loop needs no loop-carried state.
/// </summary>
internal static class AdjointSimplification
{
    enum State
    {
        /// <summary>No contribution yet: 0 for a number, null for a tensor.</summary>
        Empty,

        /// <summary>Holds a contribution (a tensor adjoint is non-null).</summary>
        Set,

        Unknown,
    }

    /// <param name="reverse">The reverse sweep.</param>
    /// <param name="adjoints">Every adjoint local; all start empty except those in <paramref name="initiallySet"/>.</param>
    /// <param name="initiallySet">Adjoints assigned before the sweep starts (the result's, from the seed).</param>
    /// <param name="readAfter">Adjoints read after the sweep (the inputs' adjoints the generated method returns).</param>
    public static Block Simplify(Block reverse, IReadOnlyCollection<string> adjoints, IEnumerable<string> initiallySet, IEnumerable<string> readAfter)
    {
        var state = adjoints.ToDictionary(a => a, _ => State.Empty);
        foreach (var set in initiallySet) state[set] = State.Set;
        var rewritten = Rewrite(reverse, state);

        var adjointNames = new HashSet<string>(adjoints);
        var live = new HashSet<string>(readAfter);
        return Clear(rewritten, live, adjointNames);
    }

    // ---- forwards: known-empty adjoints ----

    static Block Rewrite(Block block, Dictionary<string, State> state)
    {
        var statements = new List<Statement>();
        foreach (var statement in block.Statements) statements.AddRange(Rewrite(statement, state));
        return new Block(statements.ToEquatableArray());
    }

    static IEnumerable<Statement> Rewrite(Statement statement, Dictionary<string, State> state)
    {
        switch (statement)
        {
            case AccumulateStatement { Index: null } a when state.ContainsKey(a.Adjoint):
            {
                var assigns = state[a.Adjoint] == State.Empty;
                state[a.Adjoint] = State.Set;
                return new[] { assigns ? a with { Assigns = true } : a };
            }

            case AccumulateTensorStatement a when state.ContainsKey(a.Adjoint):
            {
                var assigns = state[a.Adjoint] == State.Empty;
                state[a.Adjoint] = State.Set;
                return new[] { assigns ? a with { Assigns = true } : a };
            }

            case TakeAdjointStatement take when state.ContainsKey(take.Adjoint):
                state[take.Seed] = state[take.Adjoint];
                state[take.Adjoint] = State.Empty;
                return new[] { take };

            case WhenAdjointStatement guard:
            {
                var seed = state.TryGetValue(guard.Seed, out var known) ? known : State.Unknown;
                if (seed == State.Empty) return System.Array.Empty<Statement>();
                if (seed == State.Set) return Rewrite(guard.Body, state).Statements;
                var after = new Dictionary<string, State>(state);
                var body = Rewrite(guard.Body, after);
                Meet(state, after);
                return new[] { guard with { Body = body } };
            }

            case IfStatement branch:
            {
                var afterThen = new Dictionary<string, State>(state);
                var afterElse = new Dictionary<string, State>(state);
                var then = Rewrite(branch.Then, afterThen);
                var otherwise = Rewrite(branch.Else, afterElse);
                Meet(afterThen, afterElse);
                Replace(state, afterThen);
                return new[] { branch with { Then = then, Else = otherwise } };
            }

            case ReverseLoopStatement loop:
            {
                // The body may run any number of times: find the state at its start that holds on every
                // iteration (before the loop, met with after the body), then rewrite the body from it.
                var entry = new Dictionary<string, State>(state);
                while (true)
                {
                    var after = new Dictionary<string, State>(entry);
                    Rewrite(loop.Body, after);
                    var next = new Dictionary<string, State>(entry);
                    Meet(next, after);
                    if (Same(next, entry)) break;
                    entry = next;
                }

                var exit = new Dictionary<string, State>(entry);
                var body = Rewrite(loop.Body, exit);
                Replace(state, entry);
                return new[] { loop with { Body = body } };
            }

            case ModelPullbackStatement pullback when pullback.InputAdjoint is { } input && state.ContainsKey(input):
            {
                var assigns = state[input] == State.Empty;
                // The called model returns null for its input when it was not asked for that gradient.
                state[input] = State.Unknown;
                return new[] { assigns ? pullback with { Assigns = true } : pullback };
            }

            case PullbackCallStatement call:
                foreach (var adjoint in call.Adjoints)
                    if (!adjoint.IsArray && state.ContainsKey(adjoint.Name)) state[adjoint.Name] = State.Unknown;
                return new[] { statement };

            default:
                return new[] { statement };
        }
    }

    static void Meet(Dictionary<string, State> into, Dictionary<string, State> other)
    {
        foreach (var key in into.Keys.ToList())
        {
            if (!other.TryGetValue(key, out var value) || value != into[key]) into[key] = State.Unknown;
        }
    }

    static void Replace(Dictionary<string, State> state, Dictionary<string, State> with)
    {
        foreach (var pair in with) state[pair.Key] = pair.Value;
    }

    static bool Same(Dictionary<string, State> a, Dictionary<string, State> b) => a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && value == pair.Value);

    // ---- backwards: dead zeroing ----

    /// <summary>Rewrites <paramref name="block"/> given the adjoints live after it; leaves in <paramref name="live"/> those live before it.</summary>
    static Block Clear(Block block, HashSet<string> live, HashSet<string> adjoints)
    {
        var statements = new Statement[block.Statements.Count];
        for (var i = block.Statements.Count - 1; i >= 0; i--) statements[i] = Clear(block.Statements[i], live, adjoints);
        return new Block(statements.ToEquatableArray());
    }

    static Statement Clear(Statement statement, HashSet<string> live, HashSet<string> adjoints)
    {
        switch (statement)
        {
            case AccumulateStatement a:
                if (a.Index is null && a.Assigns) live.Remove(a.Adjoint);
                else live.Add(a.Adjoint);
                live.Add(a.Seed);
                return statement;

            case AccumulateTensorStatement a:
                if (a.Assigns) live.Remove(a.Adjoint);
                else live.Add(a.Adjoint);
                live.UnionWith(ExpressionOperands.Names(a.Contribution));
                return statement;

            case Assignment a:
                // A derived pullback's partials and transposed products read the seed.
                live.UnionWith(ExpressionOperands.Names(a.Value));
                return statement;

            case TakeAdjointStatement take:
            {
                var rewritten = adjoints.Contains(take.Adjoint) ? take with { Clears = live.Contains(take.Adjoint) } : take;
                live.Remove(take.Seed);
                live.Add(take.Adjoint);
                return rewritten;
            }

            case WhenAdjointStatement guard:
            {
                var inside = new HashSet<string>(live);
                var body = Clear(guard.Body, inside, adjoints);
                live.UnionWith(inside);
                live.Add(guard.Seed);
                return guard with { Body = body };
            }

            case IfStatement branch:
            {
                var inThen = new HashSet<string>(live);
                var inElse = new HashSet<string>(live);
                var then = Clear(branch.Then, inThen, adjoints);
                var otherwise = Clear(branch.Else, inElse, adjoints);
                live.UnionWith(inThen);
                live.UnionWith(inElse);
                return branch with { Then = then, Else = otherwise };
            }

            case ReverseLoopStatement loop:
            {
                // Live at the end of the body: live after the loop, or at the start of the next iteration.
                var atEnd = new HashSet<string>(live);
                while (true)
                {
                    var atStart = new HashSet<string>(atEnd);
                    Clear(loop.Body, atStart, adjoints);
                    var next = new HashSet<string>(live);
                    next.UnionWith(atStart);
                    if (next.SetEquals(atEnd)) break;
                    atEnd = next;
                }

                var start = new HashSet<string>(atEnd);
                var body = Clear(loop.Body, start, adjoints);
                live.UnionWith(start);
                return loop with { Body = body };
            }

            case ModelPullbackStatement pullback:
                if (pullback.InputAdjoint is { } input)
                {
                    if (pullback.Assigns) live.Remove(input);
                    else live.Add(input);
                }

                live.Add(pullback.Seed);
                return statement;

            case PullbackCallStatement call:
                live.Add(call.Seed);
                foreach (var adjoint in call.Adjoints) live.Add(adjoint.Name);
                return statement;

            default:
                return statement;
        }
    }
}
