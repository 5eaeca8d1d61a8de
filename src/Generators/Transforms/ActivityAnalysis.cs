using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.IR.Functions;
using Leibniz.Generators.Rules.Tensor;

namespace Leibniz.Generators.Transforms;

/// <summary>
/// Which variables need an adjoint: those that depend on a differentiable input (varied) and that
/// the result depends on (useful). Flow-insensitive fixpoints: conservative, and cheap at the sizes
/// of hand-written functions.
/// </summary>
internal sealed class ActivityAnalysis
{
    readonly HashSet<string> _active;

    public ActivityAnalysis(FunctionSpec function, IReadOnlyList<Assignment> assignments)
    {
        var types = function.Parameters.ToDictionary(p => p.Name, p => p.Type);
        foreach (var local in function.Locals) types[local.Name] = local.Type;
        bool Differentiable(string name) => types.TryGetValue(name, out var type) && type.IsDifferentiable();

        var varied = new HashSet<string>(function.Parameters.Where(p => p.HasAdjoint).Select(p => p.Name));
        bool changed;
        do
        {
            changed = false;
            foreach (var assignment in assignments)
            {
                if (varied.Contains(assignment.Target) || !Differentiable(assignment.Target)) continue;
                // A called model's output varies with its parameters, whatever its input.
                if (assignment.Value is ModelCall || DifferentiableInputs(assignment.Value).Any(varied.Contains))
                    changed |= varied.Add(assignment.Target);
            }
        }
        while (changed);

        var result = function.Body.Statements.OfType<ReturnStatement>().Select(r => r.Value).OfType<Variable>().Select(v => v.Name);
        var useful = new HashSet<string>(result);
        do
        {
            changed = false;
            foreach (var assignment in assignments)
            {
                if (!useful.Contains(assignment.Target)) continue;
                foreach (var input in DifferentiableInputs(assignment.Value).Where(Differentiable))
                    changed |= useful.Add(input);
            }
        }
        while (changed);

        _active = new HashSet<string>(varied.Where(useful.Contains).Where(Differentiable));
    }

    public bool IsActive(string variable) => _active.Contains(variable);

    /// <summary>Whether the function's result depends on any of <paramref name="inputs"/> through differentiable operations.</summary>
    public static bool ResultDependsOn(FunctionSpec function, IEnumerable<string> inputs)
    {
        var assignments = new List<Assignment>();
        Collect(function.Body, assignments);
        var varied = new HashSet<string>(inputs);
        bool changed;
        do
        {
            changed = false;
            foreach (var assignment in assignments)
            {
                if (!varied.Contains(assignment.Target) && (assignment.Value is ModelCall || DifferentiableInputs(assignment.Value).Any(varied.Contains)))
                    changed |= varied.Add(assignment.Target);
            }
        }
        while (changed);

        return function.Body.Statements.OfType<ReturnStatement>().Any(r => r.Value is Variable v && varied.Contains(v.Name));
    }

    /// <summary>Every assignment in a block, nested ones included.</summary>
    internal static void Collect(Block block, List<Assignment> assignments)
    {
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case Assignment assignment: assignments.Add(assignment); break;
                case IfStatement branch: Collect(branch.Then, assignments); Collect(branch.Else, assignments); break;
                case LoopStatement loop: Collect(loop.Header, assignments); Collect(loop.Body, assignments); Collect(loop.Step, assignments); break;
            }
        }
    }

    public bool IsActive(Operand operand) => operand is Variable v && _active.Contains(v.Name);

    /// <summary>The variables whose derivative flows into an expression's value.</summary>
    public static IEnumerable<string> DifferentiableInputs(Expression expression) => expression switch
    {
        CopyExpression e => Names(e.Value),
        UnaryExpression { Operator: UnaryOperator.Negate } e => Names(e.Operand),
        BinaryExpression { Operator: BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply or BinaryOperator.Divide or BinaryOperator.Remainder } e => Names(e.Left, e.Right),
        PrimitiveCall e => e.Arguments.SelectMany(a => Names(a)),
        DifferentiableCall e => e.Arguments.Where((_, i) => e.ArgumentHasAdjoint[i]).SelectMany(a => Names(a)),
        ModelCall e => Names(e.Input),
        ModelJacobianVectorProduct e => Names(e.Input, e.InputTangent, e.Directions),
        ElementExpression e => new[] { e.Array },
        ConvertExpression { Target: ValueType.Double or ValueType.Float } e => Names(e.Value),
        TensorCall e when TensorRules.TryGet(e.Rule, out var rule) => e.Arguments.Where((_, i) => rule.HasDerivative(i)).SelectMany(a => Names(a)),
        // Data: comparisons and logic, integer conversions, calls without a derivative (NoDerivative, a call with no row),
        // lengths, and a conditional's value, which reverse mode treats as a constant chosen by data.
        UnaryExpression or BinaryExpression or ConvertExpression or OpaqueCall or TensorCall or LengthExpression or ConditionalExpression or FrozenModelCall
            => Enumerable.Empty<string>(),
        _ => throw new System.ArgumentException($"activity analysis does not know the expression kind {expression.GetType().Name}", nameof(expression)),
    };

    static IEnumerable<string> Names(params Operand[] operands) => operands.OfType<Variable>().Select(v => v.Name);
}
