namespace Leibniz.Generators.Rules;

/// <summary>
/// A partial derivative as a small expression tree over the primitive's arguments. Rules are
/// written in it once; reverse mode multiplies by the adjoint, forward mode by the tangent.
/// </summary>
internal abstract record DerivativeExpression
{
    public static DerivativeExpression operator +(DerivativeExpression a, DerivativeExpression b) => new Operation("+", a, b);
    public static DerivativeExpression operator -(DerivativeExpression a, DerivativeExpression b) => new Operation("-", a, b);
    public static DerivativeExpression operator *(DerivativeExpression a, DerivativeExpression b) => new Operation("*", a, b);
    public static DerivativeExpression operator /(DerivativeExpression a, DerivativeExpression b) => new Operation("/", a, b);
    public static DerivativeExpression operator -(DerivativeExpression a) => new Negation(a);
    public static implicit operator DerivativeExpression(double value) => new Number(value);
}

/// <summary>The primitive's argument number <paramref name="Index"/>.</summary>
internal sealed record Argument(int Index) : DerivativeExpression;

internal sealed record Number(double Value) : DerivativeExpression;

/// <summary>A call of a math function of the same family as the primitive (<c>Cos</c> becomes <c>Math.Cos</c> or <c>MathF.Cos</c>).</summary>
internal sealed record MathCall(string Function, DerivativeExpression[] Arguments) : DerivativeExpression
{
    public bool Equals(MathCall? other) => other is not null && Function == other.Function && System.Linq.Enumerable.SequenceEqual(Arguments, other.Arguments);

    public override int GetHashCode() => Function.GetHashCode();
}

internal sealed record Operation(string Operator, DerivativeExpression Left, DerivativeExpression Right) : DerivativeExpression;

internal sealed record Negation(DerivativeExpression Operand) : DerivativeExpression;

/// <summary><c>Left Operator Right ? WhenTrue : WhenFalse</c>, for piecewise functions (abs, min, max, clamp).</summary>
internal sealed record Piecewise(DerivativeExpression Left, string Operator, DerivativeExpression Right, DerivativeExpression WhenTrue, DerivativeExpression WhenFalse) : DerivativeExpression;
