using System;
using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;

namespace Leibniz.Generators.Transforms;

/// <summary>
/// Drops the sweep locals that no statement of either sweep names — the seed of a take that was propagated away, the slot
/// of a save that turned out pointless — so the generated method declares only what it uses and needs no warning
/// suppressed for an unread local.
/// </summary>
internal static class UnusedLocals
{
    public static ReverseFunctionSpec Prune(ReverseFunctionSpec function)
    {
        var used = new HashSet<string> { function.ResultAdjoint };
        foreach (var adjoint in function.Adjoints)
        {
            used.Add(adjoint.OutputName);
            if (adjoint.LocalAdjoint is not null) used.Add(adjoint.LocalAdjoint);
        }

        Names(function.Forward, used);
        Names(function.Reverse, used);
        if (function.Descent is { } descent) Names(descent.Reverse, used);
        var pruned = function with { SweepLocals = function.SweepLocals.Where(l => used.Contains(l.Name)).ToEquatableArray() };
        // A model's locals are fields of its sweep class, which the emitter reads beyond the sweeps.
        if (function.Primal.IsModelMethod) return pruned;
        Names(function.Primal.Body.Statements.OfType<ReturnStatement>().Single(), used);
        return pruned with { Primal = function.Primal with { Locals = function.Primal.Locals.Where(l => used.Contains(l.Name)).ToEquatableArray() } };
    }

    /// <summary>A forward-mode function without the locals its body does not name; <paramref name="value"/> (the primal result) is returned too.</summary>
    public static FunctionSpec Prune(FunctionSpec jvp, string value)
    {
        var used = new HashSet<string> { value };
        Names(jvp.Body, used);
        return jvp with { Locals = jvp.Locals.Where(l => used.Contains(l.Name)).ToEquatableArray() };
    }

    /// <summary>Every name a statement of <paramref name="block"/> reads or writes.</summary>
    static void Names(Block block, HashSet<string> names) => StatementNames.Visit(block, name => names.Add(name), name => names.Add(name));

    static void Names(Statement statement, HashSet<string> names) => StatementNames.Visit(statement, name => names.Add(name), name => names.Add(name));
}
