using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;

namespace Leibniz.Generators.Transforms;

/// <summary>
/// Reuses a pure scalar computation already done in the same straight-line stretch (<c>x[i]</c> read
/// three times, <c>a * b</c> computed twice): the later single-assignment value is dropped and its
/// uses read the earlier one. Besides saving the work in both sweeps, one value means one adjoint,
/// so <c>x[i]</c>'s three contributions meet in a local before touching the gradient array once.
/// </summary>
internal static class CommonSubexpressions
{
    public static FunctionSpec Eliminate(FunctionSpec function)
    {
        var assignments = new List<Assignment>();
        ActivityAnalysis.Collect(function.Body, assignments);
        var sites = assignments.GroupBy(a => a.Target).ToDictionary(g => g.Key, g => g.Count());
        var parameters = new HashSet<string>(function.Parameters.Select(p => p.Name));
        var renames = new Dictionary<string, string>();
        var body = Visit(function.Body, new Dictionary<Expression, string>(), target => sites[target] == 1 && !parameters.Contains(target), renames);
        if (renames.Count == 0) return function;
        return function with
        {
            Body = body,
            Locals = function.Locals.Where(local => !renames.ContainsKey(local.Name)).ToEquatableArray(),
        };
    }

    static Block Visit(Block block, Dictionary<Expression, string> available, System.Func<string, bool> singleAssignment, Dictionary<string, string> renames)
    {
        var statements = new List<Statement>();
        foreach (var original in block.Statements)
        {
            var statement = Rename(original, renames);
            switch (statement)
            {
                case Assignment assignment:
                {
                    if (IsPure(assignment.Value) && singleAssignment(assignment.Target))
                    {
                        if (available.TryGetValue(assignment.Value, out var earlier))
                        {
                            renames[assignment.Target] = earlier;
                            continue;
                        }

                        Invalidate(available, new[] { assignment.Target });
                        available[assignment.Value] = assignment.Target;
                    }
                    else
                    {
                        Invalidate(available, new[] { assignment.Target });
                    }

                    statements.Add(assignment);
                    break;
                }

                case IfStatement branch:
                {
                    var then = Visit(branch.Then, new Dictionary<Expression, string>(available), singleAssignment, renames);
                    var otherwise = Visit(branch.Else, new Dictionary<Expression, string>(available), singleAssignment, renames);
                    Invalidate(available, AssignedIn(branch));
                    statements.Add(branch with { Then = then, Else = otherwise });
                    break;
                }

                case LoopStatement loop:
                {
                    // Values computed before the loop hold inside it only if no iteration changes what they read.
                    Invalidate(available, AssignedIn(loop));
                    // The header's values stay its own: the reverse sweep recomputes an iteration's body and step, not
                    // the condition that let it run.
                    var header = Visit(loop.Header, new Dictionary<Expression, string>(available), singleAssignment, renames);
                    var inside = new Dictionary<Expression, string>(available);
                    var body = Visit(loop.Body, inside, singleAssignment, renames);
                    var step = Visit(loop.Step, inside, singleAssignment, renames);
                    statements.Add(loop with { Header = header, Body = body, Step = step });
                    break;
                }

                default:
                    statements.Add(statement);
                    break;
            }
        }

        return new Block(statements.ToEquatableArray());
    }

    static bool IsPure(Expression expression) => expression is ElementExpression or LengthExpression or BinaryExpression or UnaryExpression or PrimitiveCall or ConvertExpression or ConditionalExpression;

    static void Invalidate(Dictionary<Expression, string> available, IEnumerable<string> assigned)
    {
        var changed = new HashSet<string>(assigned);
        foreach (var entry in available.Where(entry => changed.Contains(entry.Value) || Reads(entry.Key).Any(changed.Contains)).ToList())
            available.Remove(entry.Key);
    }

    static HashSet<string> AssignedIn(Statement statement)
    {
        var assignments = new List<Assignment>();
        ActivityAnalysis.Collect(new Block(new[] { statement }.ToEquatableArray()), assignments);
        return new HashSet<string>(assignments.Select(a => a.Target));
    }

    static IEnumerable<string> Reads(Expression expression) => Operands(expression).OfType<Variable>().Select(v => v.Name).Concat(expression switch
    {
        ElementExpression e => new[] { e.Array },
        LengthExpression e => new[] { e.Array },
        _ => System.Array.Empty<string>(),
    });

    static IEnumerable<Operand> Operands(Expression expression) => expression switch
    {
        CopyExpression e => new[] { e.Value },
        UnaryExpression e => new[] { e.Operand },
        BinaryExpression e => new[] { e.Left, e.Right },
        PrimitiveCall e => e.Arguments,
        DifferentiableCall e => e.Arguments,
        OpaqueCall e => e.Arguments,
        // The array an element or a length reads is named by the expression itself, not an operand.
        ElementExpression e => new[] { e.Index },
        LengthExpression => System.Array.Empty<Operand>(),
        _ => ExpressionOperands.Of(expression),
    };

    // ---- renaming the uses of a dropped value ----

    static Statement Rename(Statement statement, Dictionary<string, string> renames)
    {
        if (renames.Count == 0) return statement;
        return statement switch
        {
            Assignment a => a with { Value = Rename(a.Value, renames) },
            IfStatement i => i with { Condition = Rename(i.Condition, renames) },
            LoopStatement l => l with { Condition = Rename(l.Condition, renames) },
            ReturnStatement r => r with { Value = Rename(r.Value, renames) },
            _ => statement,
        };
    }

    static Operand Rename(Operand operand, Dictionary<string, string> renames)
        => operand is Variable v && renames.TryGetValue(v.Name, out var earlier) ? new Variable(earlier) : operand;

    static EquatableArray<Operand> Rename(EquatableArray<Operand> operands, Dictionary<string, string> renames)
        => operands.Select(o => Rename(o, renames)).ToEquatableArray();

    static Expression Rename(Expression expression, Dictionary<string, string> renames) => expression switch
    {
        CopyExpression e => e with { Value = Rename(e.Value, renames) },
        UnaryExpression e => e with { Operand = Rename(e.Operand, renames) },
        BinaryExpression e => e with { Left = Rename(e.Left, renames), Right = Rename(e.Right, renames) },
        PrimitiveCall e => e with { Arguments = Rename(e.Arguments, renames) },
        DifferentiableCall e => e with { Arguments = Rename(e.Arguments, renames) },
        OpaqueCall e => e with { Arguments = Rename(e.Arguments, renames) },
        ElementExpression e => e with { Index = Rename(e.Index, renames) },
        ConditionalExpression e => e with { Condition = Rename(e.Condition, renames), WhenTrue = Rename(e.WhenTrue, renames), WhenFalse = Rename(e.WhenFalse, renames) },
        ConvertExpression e => e with { Value = Rename(e.Value, renames) },
        TensorCall e => e with { Arguments = Rename(e.Arguments, renames) },
        ModelCall e => e with { Input = Rename(e.Input, renames) },
        FrozenModelCall e => e with { Input = Rename(e.Input, renames) },
        _ => expression,
    };
}
