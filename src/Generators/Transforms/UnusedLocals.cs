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
    static void Names(Block block, HashSet<string> names)
    {
        foreach (var statement in block.Statements) Names(statement, names);
    }

    static void Names(Statement statement, HashSet<string> names)
    {
        switch (statement)
        {
            case Assignment a:
                names.Add(a.Target);
                names.UnionWith(ExpressionOperands.Names(a.Value));
                if (a.Value is ModelCall call) names.Add(call.Sweep);
                break;
            case IfStatement i:
                Operand(i.Condition, names);
                Names(i.Then, names);
                Names(i.Else, names);
                break;
            case LoopStatement l:
                Operand(l.Condition, names);
                Names(l.Header, names);
                Names(l.Body, names);
                Names(l.Step, names);
                break;
            case CountedLoopStatement l:
                names.Add(l.Counter);
                Operand(l.Condition, names);
                Names(l.Header, names);
                Names(l.Body, names);
                Names(l.Step, names);
                break;
            case ReverseLoopStatement l:
                names.Add(l.Counter);
                Names(l.Body, names);
                break;
            case ReturnStatement r:
                Operand(r.Value, names);
                break;
            case SaveStatement s:
                names.Add(s.Variable);
                if (s.Slot is not null) names.Add(s.Slot);
                break;
            case RestoreStatement r:
                names.Add(r.Variable);
                if (r.Slot is not null) names.Add(r.Slot);
                break;
            case InductionStatement i:
                names.Add(i.Variable);
                names.Add(i.Entry);
                names.Add(i.Counter);
                break;
            case CommentStatement:
                break;
            case TakeAdjointStatement t:
                names.Add(t.Seed);
                names.Add(t.Adjoint);
                break;
            case AccumulateStatement a:
                names.Add(a.Adjoint);
                names.Add(a.Seed);
                if (a.Index is not null) Operand(a.Index, names);
                foreach (var argument in a.Arguments) Operand(argument, names);
                break;
            case AccumulateTensorStatement a:
                names.Add(a.Adjoint);
                names.Add(a.Seed);
                if (a.Output is not null) names.Add(a.Output);
                if (a.ReduceToShapeOf is not null) Operand(a.ReduceToShapeOf, names);
                foreach (var argument in a.Arguments) Operand(argument, names);
                break;
            case DescentUpdateStatement d:
                names.Add(d.Parameter);
                names.Add(d.Alpha);
                Names(d.Contribution, names);
                break;
            case WhenAdjointStatement w:
                names.Add(w.Seed);
                Names(w.Body, names);
                break;
            case PullbackCallStatement p:
                names.Add(p.Seed);
                foreach (var argument in p.Arguments) Operand(argument, names);
                foreach (var adjoint in p.Adjoints) names.Add(adjoint.Name);
                break;
            case ModelPullbackStatement m:
                names.Add(m.Field);
                names.Add(m.Sweep);
                names.Add(m.Gradients);
                names.Add(m.Seed);
                if (m.InputAdjoint is not null) names.Add(m.InputAdjoint);
                break;
            default:
                throw new ArgumentException($"the local pruning does not know the statement kind {statement.GetType().Name}", nameof(statement));
        }
    }

    static void Operand(Operand operand, HashSet<string> names)
    {
        if (operand is Variable v) names.Add(v.Name);
    }
}
