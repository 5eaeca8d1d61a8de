using System.Runtime.CompilerServices;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;
using Leibniz.Generators.Transforms;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Tests.IR;

/// <summary>
/// Every expression kind of the IR is known to the one operand walker and to activity analysis: a kind added without
/// them fails here, instead of reading as an expression with no operands (whose inputs would get a zero derivative).
/// </summary>
public sealed class ExpressionWalkerTests
{
    public static TheoryData<Type> ExpressionKinds()
    {
        var data = new TheoryData<Type>();
        foreach (var type in typeof(Expression).Assembly.GetTypes().Where(t => typeof(Expression).IsAssignableFrom(t) && !t.IsAbstract).OrderBy(t => t.Name))
            data.Add(type);
        return data;
    }

    static Expression Blank(Type kind) => (Expression)RuntimeHelpers.GetUninitializedObject(kind);

    [Theory]
    [MemberData(nameof(ExpressionKinds))]
    public void The_operand_walker_knows_every_expression_kind(Type kind)
    {
        var exception = Record.Exception(() => ExpressionOperands.Of(Blank(kind)));
        Assert.False(exception is ArgumentException { Message: var message } && message.Contains("does not know"), $"{kind.Name} is missing from ExpressionOperands");
    }

    [Theory]
    [MemberData(nameof(ExpressionKinds))]
    public void Activity_analysis_knows_every_expression_kind(Type kind)
    {
        var exception = Record.Exception(() => ActivityAnalysis.DifferentiableInputs(Blank(kind)).ToList());
        Assert.False(exception is ArgumentException { Message: var message } && message.Contains("does not know"), $"{kind.Name} is missing from ActivityAnalysis.DifferentiableInputs");
    }

    [Fact]
    public void Operands_are_replaced_in_place_and_read_back_in_order()
    {
        var call = new PrimitiveCall("Math.Pow", new Operand[] { new Variable("a"), new Literal(2, ValueType.Double) }.ToEquatableArray());
        var renamed = ExpressionOperands.With(call, o => o is Variable v ? new Variable(v.Name + "1") : o);
        Assert.Equal(new Operand[] { new Variable("a1"), new Literal(2, ValueType.Double) }, ExpressionOperands.Of(renamed));
    }

    public static TheoryData<Type> StatementKinds()
    {
        var data = new TheoryData<Type>();
        foreach (var type in typeof(Statement).Assembly.GetTypes().Where(t => typeof(Statement).IsAssignableFrom(t) && !t.IsAbstract).OrderBy(t => t.Name))
            data.Add(type);
        return data;
    }

    [Theory]
    [MemberData(nameof(StatementKinds))]
    public void The_statement_walker_knows_every_statement_kind(Type kind)
    {
        var statement = (Statement)RuntimeHelpers.GetUninitializedObject(kind);
        var exception = Record.Exception(() => StatementNames.Visit(statement, _ => { }, _ => { }));
        Assert.False(exception is ArgumentException { Message: var message } && message.Contains("does not know"), $"{kind.Name} is missing from StatementNames");
    }
}
