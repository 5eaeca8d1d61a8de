using System;
using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;

namespace Leibniz.Generators.IR.Functions;

/// <summary>
/// The one walker over an expression's operands. Every expression kind is listed: a new kind that is not added here
/// fails loudly (a test walks every kind), instead of reading as an expression with no operands — which would give
/// everything it reads a zero derivative.
/// </summary>
internal static class ExpressionOperands
{
    /// <summary>The operands <paramref name="expression"/> reads, in order.</summary>
    public static IReadOnlyList<Operand> Of(Expression expression) => expression switch
    {
        CopyExpression e => new[] { e.Value },
        UnaryExpression e => new[] { e.Operand },
        BinaryExpression e => new[] { e.Left, e.Right },
        PrimitiveCall e => e.Arguments,
        DifferentiableCall e => e.Arguments,
        OpaqueCall e => e.Arguments,
        ElementExpression e => new Operand[] { new Variable(e.Array), e.Index },
        LengthExpression e => new Operand[] { new Variable(e.Array) },
        ConditionalExpression e => new[] { e.Condition, e.WhenTrue, e.WhenFalse },
        ConvertExpression e => new[] { e.Value },
        TensorCall e => e.Arguments,
        ModelCall e => new[] { e.Input },
        FrozenModelCall e => new[] { e.Input },
        ModelJacobianVectorProduct e => new[] { e.Input, e.InputTangent, e.Directions },
        _ => throw new ArgumentException($"the IR walker does not know the expression kind {expression.GetType().Name}", nameof(expression)),
    };

    /// <summary>The names of the variables <paramref name="expression"/> reads.</summary>
    public static IEnumerable<string> Names(Expression expression) => Of(expression).OfType<Variable>().Select(v => v.Name);

    /// <summary><paramref name="expression"/> with each operand replaced by <paramref name="map"/>'s image of it.</summary>
    public static Expression With(Expression expression, Func<Operand, Operand> map)
    {
        EquatableArray<Operand> All(EquatableArray<Operand> operands) => operands.Select(map).ToEquatableArray();
        string Array(string name) => map(new Variable(name)) is Variable v ? v.Name : throw new ArgumentException("an array operand must stay a variable", nameof(map));
        return expression switch
        {
            CopyExpression e => e with { Value = map(e.Value) },
            UnaryExpression e => e with { Operand = map(e.Operand) },
            BinaryExpression e => e with { Left = map(e.Left), Right = map(e.Right) },
            PrimitiveCall e => e with { Arguments = All(e.Arguments) },
            DifferentiableCall e => e with { Arguments = All(e.Arguments) },
            OpaqueCall e => e with { Arguments = All(e.Arguments) },
            ElementExpression e => e with { Array = Array(e.Array), Index = map(e.Index) },
            LengthExpression e => e with { Array = Array(e.Array) },
            ConditionalExpression e => e with { Condition = map(e.Condition), WhenTrue = map(e.WhenTrue), WhenFalse = map(e.WhenFalse) },
            ConvertExpression e => e with { Value = map(e.Value) },
            TensorCall e => e with { Arguments = All(e.Arguments) },
            ModelCall e => e with { Input = map(e.Input) },
            FrozenModelCall e => e with { Input = map(e.Input) },
            ModelJacobianVectorProduct e => e with { Input = map(e.Input), InputTangent = map(e.InputTangent), Directions = map(e.Directions) },
            _ => throw new ArgumentException($"the IR walker does not know the expression kind {expression.GetType().Name}", nameof(expression)),
        };
    }
}
