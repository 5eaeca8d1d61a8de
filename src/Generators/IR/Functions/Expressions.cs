using Leibniz.Generators.Common;

namespace Leibniz.Generators.IR.Functions;

/// <summary>
/// An operand in A-normal form: a variable or a literal. Every computation in a function body
/// takes operands, so the reverse sweep can name what each partial derivative reads.
/// </summary>
internal abstract record Operand;

internal sealed record Variable(string Name) : Operand
{
    public override string ToString() => Name;
}

internal sealed record Literal(double Value, ValueType Type) : Operand;

/// <summary>The right-hand side of an assignment.</summary>
internal abstract record Expression;

/// <summary>A copy: <c>x = a</c>.</summary>
internal sealed record CopyExpression(Operand Value) : Expression;

internal enum UnaryOperator
{
    Negate,
    Not,
}

internal sealed record UnaryExpression(UnaryOperator Operator, Operand Operand) : Expression;

internal enum BinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
    And,
    Or,
}

internal sealed record BinaryExpression(BinaryOperator Operator, Operand Left, Operand Right) : Expression;

/// <summary>A call of a function the rule table knows (<c>Math.Sin</c>, <c>MathF.Exp</c>…), keyed by its canonical name.</summary>
internal sealed record PrimitiveCall(string Function, EquatableArray<Operand> Arguments) : Expression;

/// <summary>A call of another <c>[Differentiable]</c> method, differentiated through its generated pullback.</summary>
internal sealed record DifferentiableCall(string ContainingType, string Method, EquatableArray<Operand> Arguments, EquatableArray<bool> ArgumentHasAdjoint) : Expression;

/// <summary>A call whose result the derivative ignores (wrapped in <c>NoDerivative(...)</c>, or integer-valued).</summary>
internal sealed record OpaqueCall(string CSharp, EquatableArray<Operand> Arguments) : Expression;

internal sealed record ElementExpression(string Array, Operand Index) : Expression;

internal sealed record LengthExpression(string Array) : Expression;

internal sealed record ConditionalExpression(Operand Condition, Operand WhenTrue, Operand WhenFalse) : Expression;

internal sealed record ConvertExpression(ValueType Target, Operand Value) : Expression;
