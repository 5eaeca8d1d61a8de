using System;
using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Rules;

namespace Leibniz.Generators.IR.Functions;

/// <summary>
/// The one walker over the names statements read and write, nested blocks included. Every statement kind is listed: a
/// kind added without a case here fails loudly (a test walks every kind) instead of reading as a statement that names
/// nothing — which would let a pass drop a value it still needs.
/// </summary>
internal static class StatementNames
{
    /// <summary>Calls <paramref name="read"/> for every name <paramref name="block"/> reads and <paramref name="write"/> for every name it writes.</summary>
    public static void Visit(Block block, Action<string> read, Action<string> write)
    {
        foreach (var statement in block.Statements) Visit(statement, read, write);
    }

    /// <summary>The argument indices a partial derivative reads.</summary>
    static IEnumerable<int> ArgumentsUsed(DerivativeExpression? partial) => partial switch
    {
        Argument a => new[] { a.Index },
        MathCall c => c.Arguments.SelectMany(ArgumentsUsed),
        Operation o => ArgumentsUsed(o.Left).Concat(ArgumentsUsed(o.Right)),
        Negation n => ArgumentsUsed(n.Operand),
        Piecewise p => ArgumentsUsed(p.Left).Concat(ArgumentsUsed(p.Right)).Concat(ArgumentsUsed(p.WhenTrue)).Concat(ArgumentsUsed(p.WhenFalse)),
        Number => Enumerable.Empty<int>(),
        null => Enumerable.Empty<int>(),
        _ => throw new ArgumentException($"the statement walker does not know the partial kind {partial.GetType().Name}", nameof(partial)),
    };

    /// <summary>Calls <paramref name="read"/> for every name <paramref name="statement"/> reads and <paramref name="write"/> for every name it writes.</summary>
    public static void Visit(Statement statement, Action<string> read, Action<string> write)
    {
        void Read(Operand? operand)
        {
            if (operand is Variable v) read(v.Name);
        }

        switch (statement)
        {
            case Assignment a:
                write(a.Target);
                foreach (var name in ExpressionOperands.Names(a.Value)) read(name);
                if (a.Value is ModelCall call) write(call.Sweep);
                break;
            case IfStatement i:
                Read(i.Condition);
                Visit(i.Then, read, write);
                Visit(i.Else, read, write);
                break;
            case LoopStatement l:
                Read(l.Condition);
                Visit(l.Header, read, write);
                Visit(l.Body, read, write);
                Visit(l.Step, read, write);
                break;
            case CountedLoopStatement l:
                // The counter is reset, counted and read again by the reverse sweep: a read is the conservative answer.
                Read(l.Condition);
                read(l.Counter);
                Visit(l.Header, read, write);
                Visit(l.Body, read, write);
                Visit(l.Step, read, write);
                break;
            case ReverseLoopStatement l:
                read(l.Counter);
                Visit(l.Body, read, write);
                break;
            case ReturnStatement r:
                Read(r.Value);
                break;
            case SaveStatement s:
                read(s.Variable);
                if (s.Slot is not null) write(s.Slot);
                break;
            case RestoreStatement r:
                write(r.Variable);
                if (r.Slot is not null) read(r.Slot);
                break;
            case InductionStatement i:
                write(i.Variable);
                read(i.Entry);
                read(i.Counter);
                break;
            case CommentStatement:
                break;
            case TakeAdjointStatement t:
                write(t.Seed);
                read(t.Adjoint);
                break;
            case AccumulateStatement a:
                read(a.Adjoint);
                read(a.Seed);
                Read(a.Index);
                // Only the arguments the partial reads: the others need not be kept for the reverse sweep.
                foreach (var used in ArgumentsUsed(a.Partial)) Read(a.Arguments[used]);
                break;
            case AccumulateTensorStatement a:
                read(a.Adjoint);
                foreach (var name in ExpressionOperands.Names(a.Contribution)) read(name);
                break;
            case DescentUpdateStatement d:
                read(d.Parameter);
                if (d.InPlace is { } inPlace)
                    foreach (var name in ExpressionOperands.Names(inPlace)) read(name);
                else Visit(d.Contribution, read, write);
                break;
            case WhenAdjointStatement w:
                read(w.Seed);
                Visit(w.Body, read, write);
                break;
            case PullbackCallStatement p:
                read(p.Seed);
                foreach (var argument in p.Arguments) Read(argument);
                foreach (var adjoint in p.Adjoints) read(adjoint.Name);
                break;
            case ModelPullbackStatement m:
                read(m.Field);
                read(m.Sweep);
                read(m.Gradients);
                read(m.Seed);
                if (m.InputAdjoint is not null) read(m.InputAdjoint);
                break;
            case InputGradientGuardStatement g:
                Visit(g.Body, read, write);
                break;
            case TangentCallStatement t:
                foreach (var argument in t.Arguments) Read(argument);
                write(t.Value);
                write(t.Tangent);
                break;
            default:
                throw new ArgumentException($"the statement walker does not know the statement kind {statement.GetType().Name}", nameof(statement));
        }
    }
}
