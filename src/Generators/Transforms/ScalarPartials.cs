using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;
using Leibniz.Generators.Rules;

namespace Leibniz.Generators.Transforms;

/// <summary>
/// Simplifies the scalar partials of a reverse sweep before its adjoints are analysed: literal operands are
/// folded into the partial (<c>1.0 / 2.0</c> is <c>0.5</c>, <c>x * 1.0</c> is <c>x</c>, a term times zero goes),
/// a negation moves into the accumulation (<c>-=</c>), and two consecutive accumulations of the same term into
/// the same adjoint become one (<c>_d_x += r * x; _d_x += r * x;</c> is <c>_d_x += r * (2.0 * x)</c>, the
/// reverse of <c>x * x</c>). Every rewrite is exact in floating point: folding rounds once in the adjoint's own
/// type, as the generated code would, and doubling is exact.
/// </summary>
internal static class ScalarPartials
{
    /// <summary>
    /// <paramref name="partial"/> with every call of <paramref name="function"/> on the primitive's own arguments replaced by
    /// argument number <paramref name="arity"/>, which the caller binds to the assignment's result.
    /// </summary>
    public static DerivativeExpression ReadingResult(DerivativeExpression partial, string function, int arity)
    {
        DerivativeExpression Inner(DerivativeExpression e) => ReadingResult(e, function, arity);
        return partial switch
        {
            MathCall c when c.Function == function && c.Arguments.Length == arity
                            && c.Arguments.Select((x, i) => x is Argument { Index: var index } && index == i).All(same => same) => new Argument(arity),
            MathCall c => new MathCall(c.Function, c.Arguments.Select(Inner).ToArray()),
            Operation o => new Operation(o.Operator, Inner(o.Left), Inner(o.Right)),
            Negation n => new Negation(Inner(n.Operand)),
            Piecewise p => new Piecewise(Inner(p.Left), p.Operator, Inner(p.Right), Inner(p.WhenTrue), Inner(p.WhenFalse)),
            _ => partial,
        };
    }

    /// <summary>The reverse sweep <paramref name="block"/> with its scalar partials folded and repeated terms merged.</summary>
    public static Block Simplify(Block block)
    {
        var statements = new List<Statement>();
        foreach (var statement in block.Statements)
        {
            var simplified = Simplify(statement);
            if (simplified is null) continue;
            if (simplified is AccumulateStatement current && statements.Count > 0 && statements[statements.Count - 1] is AccumulateStatement previous
                && SameTerm(previous, current))
            {
                statements[statements.Count - 1] = Folded(previous with { Partial = previous.Partial is null ? new Number(2) : new Number(2) * previous.Partial })!;
                continue;
            }

            statements.Add(simplified);
        }

        return new Block(statements.ToEquatableArray());
    }

    static Statement? Simplify(Statement statement) => statement switch
    {
        AccumulateStatement a => Folded(a),
        IfStatement i => i with { Then = Simplify(i.Then), Else = Simplify(i.Else) },
        ReverseLoopStatement l => l with { Body = Simplify(l.Body) },
        WhenAdjointStatement w => w with { Body = Simplify(w.Body) },
        _ => statement,
    };

    static bool IsReal(ValueType type) => type is ValueType.Double or ValueType.Float;

    /// <summary><paramref name="a"/> with its partial folded; null when the contribution is zero.</summary>
    static AccumulateStatement? Folded(AccumulateStatement a)
    {
        if (a.Partial is null || !IsReal(a.Type)) return a;
        var partial = Fold(Substituted(a.Partial, a.Arguments, a.Type), a.Type);
        var negate = a.Negate;
        while (partial is Negation n)
        {
            partial = n.Operand;
            negate = !negate;
        }

        switch (partial)
        {
            case Number { Value: 0 }:
                return null;
            case Number { Value: 1 }:
                return a with { Partial = null, Negate = negate };
            case Number { Value: -1 }:
                return a with { Partial = null, Negate = !negate };
            default:
                return a with { Partial = partial, Negate = negate };
        }
    }

    /// <summary>An argument that is a literal of the adjoint's type becomes a number the folding can see.</summary>
    static DerivativeExpression Substituted(DerivativeExpression e, EquatableArray<Operand> arguments, ValueType type)
    {
        DerivativeExpression Inner(DerivativeExpression x) => Substituted(x, arguments, type);
        return e switch
        {
            Argument a when arguments[a.Index] is Literal l && l.Type == type => new Number(l.Value),
            MathCall c => new MathCall(c.Function, c.Arguments.Select(Inner).ToArray()),
            Operation o => new Operation(o.Operator, Inner(o.Left), Inner(o.Right)),
            Negation n => new Negation(Inner(n.Operand)),
            Piecewise { Left: Argument l, Right: Argument r } p when arguments[l.Index] is Variable v && arguments[r.Index] == v
                => WithoutSelfComparison(p, Inner),
            Piecewise p => new Piecewise(Inner(p.Left), p.Operator, Inner(p.Right), Inner(p.WhenTrue), Inner(p.WhenFalse)),
            _ => e,
        };
    }

    /// <summary>
    /// A piecewise partial that compares a variable with itself (<c>Math.Max(x, x)</c>'s), which C# warns about (CS1718):
    /// only NaN compares unequal to itself, so <c>&lt;</c> and <c>&gt;</c> never hold, and <c>x == x</c>, <c>x &lt;= x</c>,
    /// <c>x &gt;= x</c> hold exactly where <c>x &lt;= +∞</c> does.
    /// </summary>
    static DerivativeExpression WithoutSelfComparison(Piecewise p, System.Func<DerivativeExpression, DerivativeExpression> inner)
    {
        var notNaN = new Number(double.PositiveInfinity);
        return p.Operator switch
        {
            "<" or ">" => inner(p.WhenFalse),
            "!=" => new Piecewise(inner(p.Left), "<=", notNaN, inner(p.WhenFalse), inner(p.WhenTrue)),
            _ => new Piecewise(inner(p.Left), "<=", notNaN, inner(p.WhenTrue), inner(p.WhenFalse)),
        };
    }

    /// <summary>Arithmetic on numbers rounded as C# rounds it in <paramref name="type"/>.</summary>
    static double Round(double value, ValueType type) => type == ValueType.Float ? (float)value : value;

    static DerivativeExpression Fold(DerivativeExpression e, ValueType type)
    {
        switch (e)
        {
            case Operation o:
            {
                var (l, r) = (Fold(o.Left, type), Fold(o.Right, type));
                if (l is Number x && r is Number y)
                {
                    var (a, b) = (Round(x.Value, type), Round(y.Value, type));
                    double? value = o.Operator switch
                    {
                        "+" => a + b,
                        "-" => a - b,
                        "*" => a * b,
                        "/" => a / b,
                        _ => null,
                    };
                    // A constant with no literal spelling (1 / 0) is left as written.
                    if (value is { } v && !double.IsNaN(Round(v, type)) && !double.IsInfinity(Round(v, type))) return new Number(Round(v, type));
                }

                switch (o.Operator)
                {
                    case "*" when l is Number { Value: 0 } || r is Number { Value: 0 }: return new Number(0);
                    case "*" when l is Number { Value: 1 }: return r;
                    case "*" when r is Number { Value: 1 }: return l;
                    case "*" when l is Number { Value: -1 }: return Fold(new Negation(r), type);
                    case "*" when r is Number { Value: -1 }: return Fold(new Negation(l), type);
                    case "/" when r is Number { Value: 1 }: return l;
                    case "+" when l is Number { Value: 0 }: return r;
                    case "+" or "-" when r is Number { Value: 0 }: return l;
                    case "-" when l is Number { Value: 0 }: return Fold(new Negation(r), type);
                }

                return new Operation(o.Operator, l, r);
            }

            case Negation n:
            {
                var operand = Fold(n.Operand, type);
                return operand switch
                {
                    Number x => new Number(-x.Value),
                    Negation inner => inner.Operand,
                    _ => new Negation(operand),
                };
            }

            case MathCall c:
                return new MathCall(c.Function, c.Arguments.Select(x => Fold(x, type)).ToArray());

            case Piecewise p:
            {
                var (l, r, t, f) = (Fold(p.Left, type), Fold(p.Right, type), Fold(p.WhenTrue, type), Fold(p.WhenFalse, type));
                if (l is Number x && r is Number y && Compare(Round(x.Value, type), p.Operator, Round(y.Value, type)) is { } holds) return holds ? t : f;
                return t == f ? t : new Piecewise(l, p.Operator, r, t, f);
            }

            default:
                return e;
        }
    }

    static bool? Compare(double a, string op, double b) => op switch
    {
        "<" => a < b,
        "<=" => a <= b,
        ">" => a > b,
        ">=" => a >= b,
        "==" => a == b,
        "!=" => a != b,
        _ => null,
    };

    /// <summary>Whether two accumulations add the same term to the same adjoint, so they can be one of twice the term.</summary>
    static bool SameTerm(AccumulateStatement a, AccumulateStatement b)
        => a.Index is null && b.Index is null && !a.Assigns && !b.Assigns
           && a.Adjoint == b.Adjoint && a.Seed == b.Seed && a.Negate == b.Negate && a.MathClass == b.MathClass
           && a.Type == b.Type && a.SeedType == b.SeedType && IsReal(a.Type)
           && Equals(Bound(a.Partial, a.Arguments), Bound(b.Partial, b.Arguments));

    /// <summary>A partial with its arguments written in, so two partials over different argument lists compare by what they compute.</summary>
    static DerivativeExpression? Bound(DerivativeExpression? e, EquatableArray<Operand> arguments)
    {
        DerivativeExpression Inner(DerivativeExpression x) => Bound(x, arguments)!;
        return e switch
        {
            null => null,
            Argument a => new BoundOperand(arguments[a.Index]),
            MathCall c => new MathCall(c.Function, c.Arguments.Select(Inner).ToArray()),
            Operation o => new Operation(o.Operator, Inner(o.Left), Inner(o.Right)),
            Negation n => new Negation(Inner(n.Operand)),
            Piecewise p => new Piecewise(Inner(p.Left), p.Operator, Inner(p.Right), Inner(p.WhenTrue), Inner(p.WhenFalse)),
            _ => e,
        };
    }

    /// <summary>An operand inside a partial, only for comparing partials.</summary>
    sealed record BoundOperand(Operand Value) : DerivativeExpression;
}
