using System.Collections.Generic;
using System.Linq;

namespace Leibniz.Generators.Rules.Scalar;

/// <summary>
/// The derivative table for <c>System.Math</c> and <c>System.MathF</c>. Adding a function is adding
/// a row; the transforms never name a function.
/// </summary>
internal static class ScalarRules
{
    static readonly Argument A = new(0);
    static readonly Argument B = new(1);
    static readonly Argument C = new(2);

    static DerivativeExpression F(string name, params DerivativeExpression[] arguments) => new MathCall(name, arguments);

    static readonly ScalarRule[] Table =
    {
        new("Sin", 1, new[] { F("Cos", A) }, "d sin a = cos a"),
        new("Cos", 1, new[] { -F("Sin", A) }, "d cos a = −sin a"),
        new("Tan", 1, new[] { 1 / (F("Cos", A) * F("Cos", A)) }, "d tan a = 1 / cos² a"),
        new("Exp", 1, new[] { F("Exp", A) }, "d exp a = exp a"),
        new("Log", 1, new[] { 1 / A }, "d log a = 1 / a"),
        new("Log10", 1, new[] { 1 / (A * F("Log", 10)) }, "d log10 a = 1 / (a ln 10)"),
        new("Sqrt", 1, new[] { 0.5 / F("Sqrt", A) }, "d √a = 1 / (2√a)"),
        new("Tanh", 1, new[] { 1 - F("Tanh", A) * F("Tanh", A) }, "d tanh a = 1 − tanh² a"),
        new("Atan", 1, new[] { 1 / (1 + A * A) }, "d atan a = 1 / (1 + a²)"),
        new("Atan2", 2, new[] { B / (A * A + B * B), -A / (A * A + B * B) }, "atan2(a, b): ∂a = b / (a² + b²), ∂b = −a / (a² + b²)"),
        // At a = 0, a^b·ln a is 0·(−∞) = NaN; the limit (and PyTorch's choice) is 0, so a^b with a = 0 gives b no gradient.
        new("Pow", 2, new[] { B * F("Pow", A, B - 1), new Piecewise(A, "==", 0, 0, F("Pow", A, B) * F("Log", A)) }, "pow(a, b): ∂a = b·a^(b−1), ∂b = a^b·ln a (0 where a = 0)"),
        new("Abs", 1, new DerivativeExpression?[] { new Piecewise(A, ">=", 0, 1, -1) }, "d |a| = sign a (taken as +1 at 0)"),
        new("Min", 2, new DerivativeExpression?[] { new Piecewise(A, "<=", B, 1, 0), new Piecewise(A, "<=", B, 0, 1) }, "min(a, b): the smaller argument gets the derivative (a on ties)"),
        new("Max", 2, new DerivativeExpression?[] { new Piecewise(A, ">=", B, 1, 0), new Piecewise(A, ">=", B, 0, 1) }, "max(a, b): the larger argument gets the derivative (a on ties)"),
        new("Clamp", 3, new DerivativeExpression?[]
        {
            new Piecewise(A, "<", B, 0, new Piecewise(A, ">", C, 0, 1)),
            new Piecewise(A, "<", B, 1, 0),
            new Piecewise(A, ">", C, new Piecewise(A, "<", B, 0, 1), 0),
        }, "clamp(a, lo, hi): the derivative flows to whichever bound is active, else to a"),
    };

    static readonly Dictionary<(string, int), ScalarRule> ByName = Table.ToDictionary(rule => (rule.Name, rule.Arity));

    /// <summary>The math classes whose functions the table covers.</summary>
    public static readonly string[] MathClasses = { "System.Math", "System.MathF" };

    public static bool TryGet(string name, int arity, out ScalarRule rule) => ByName.TryGetValue((name, arity), out rule!);

    public static IEnumerable<ScalarRule> All => Table;
}
