using System.Collections.Generic;
using System.Linq;

namespace Leibniz.Generators.Rules.Scalar;

/// <summary>
/// The derivative table for <c>System.Math</c>, <c>System.MathF</c> and the generic-math statics of <c>double</c> and
/// <c>float</c>. Adding a function is adding a row; the transforms never name a function.
/// </summary>
/// <remarks>
/// A partial may call only functions that every class holding its row also has: a row of <c>Math</c> and <c>MathF</c>
/// calls what both have, a row only <c>double</c>/<c>float</c> have (<c>Exp2</c>, <c>SinPi</c>) may call any of theirs.
/// Conventions at nondifferentiable points follow PyTorch's backward formulas; at a domain edge the partial is the
/// ±∞ the mathematics gives.
/// </remarks>
internal static class ScalarRules
{
    static readonly Argument A = new(0);
    static readonly Argument B = new(1);
    static readonly Argument C = new(2);

    const double Pi = System.Math.PI;

    static DerivativeExpression F(string name, params DerivativeExpression[] arguments) => new MathCall(name, arguments);

    /// <summary>∂ of a function that returns one of its two arguments unchanged: 1 for the one it returned, 0 for the other (a on ties).</summary>
    static DerivativeExpression?[] Selects(string name) => new DerivativeExpression?[]
    {
        new Piecewise(F(name, A, B), "==", A, 1, 0),
        new Piecewise(F(name, A, B), "==", A, 0, 1),
    };

    static DerivativeExpression?[] ClampPartials() => new DerivativeExpression?[]
    {
        new Piecewise(A, "<", B, 0, new Piecewise(A, ">", C, 0, 1)),
        new Piecewise(A, "<", B, 1, 0),
        new Piecewise(A, ">", C, new Piecewise(A, "<", B, 0, 1), 0),
    };

    static readonly ScalarRule[] Table =
    {
        // Trigonometric.
        new("Sin", 1, new[] { F("Cos", A) }, "d sin a = cos a"),
        new("Cos", 1, new[] { -F("Sin", A) }, "d cos a = −sin a"),
        new("Tan", 1, new[] { 1 / (F("Cos", A) * F("Cos", A)) }, "d tan a = 1 / cos² a"),
        // ±∞ at a = ±1, where the derivative is infinite.
        new("Asin", 1, new[] { 1 / F("Sqrt", 1 - A * A) }, "d asin a = 1 / √(1 − a²)"),
        new("Acos", 1, new[] { -1 / F("Sqrt", 1 - A * A) }, "d acos a = −1 / √(1 − a²)"),
        new("Atan", 1, new[] { 1 / (1 + A * A) }, "d atan a = 1 / (1 + a²)"),
        new("Atan2", 2, new[] { B / (A * A + B * B), -A / (A * A + B * B) }, "atan2(a, b): ∂a = b / (a² + b²), ∂b = −a / (a² + b²)"),
        new("SinPi", 1, new[] { Pi * F("CosPi", A) }, "d sin(πa) = π cos(πa)"),
        new("CosPi", 1, new[] { -Pi * F("SinPi", A) }, "d cos(πa) = −π sin(πa)"),
        new("TanPi", 1, new[] { Pi / (F("CosPi", A) * F("CosPi", A)) }, "d tan(πa) = π / cos²(πa)"),
        new("AsinPi", 1, new[] { 1 / (Pi * F("Sqrt", 1 - A * A)) }, "d asin(a)/π = 1 / (π√(1 − a²))"),
        new("AcosPi", 1, new[] { -1 / (Pi * F("Sqrt", 1 - A * A)) }, "d acos(a)/π = −1 / (π√(1 − a²))"),
        new("AtanPi", 1, new[] { 1 / (Pi * (1 + A * A)) }, "d atan(a)/π = 1 / (π(1 + a²))"),
        new("Atan2Pi", 2, new[] { B / (Pi * (A * A + B * B)), -A / (Pi * (A * A + B * B)) }, "atan2(a, b)/π: ∂a = b / (π(a² + b²)), ∂b = −a / (π(a² + b²))"),
        new("DegreesToRadians", 1, new DerivativeExpression[] { Pi / 180 }, "d (a·π/180) = π/180"),
        new("RadiansToDegrees", 1, new DerivativeExpression[] { 180 / Pi }, "d (a·180/π) = 180/π"),

        // Hyperbolic.
        new("Sinh", 1, new[] { F("Cosh", A) }, "d sinh a = cosh a"),
        new("Cosh", 1, new[] { F("Sinh", A) }, "d cosh a = sinh a"),
        new("Tanh", 1, new[] { 1 - F("Tanh", A) * F("Tanh", A) }, "d tanh a = 1 − tanh² a"),
        new("Asinh", 1, new[] { 1 / F("Sqrt", A * A + 1) }, "d asinh a = 1 / √(a² + 1)"),
        // √(a − 1)·√(a + 1) rather than √(a² − 1), which loses digits near a = 1 (and gives +∞ at a = 1, as it should).
        new("Acosh", 1, new[] { 1 / (F("Sqrt", A - 1) * F("Sqrt", A + 1)) }, "d acosh a = 1 / √(a² − 1)"),
        new("Atanh", 1, new[] { 1 / (1 - A * A) }, "d atanh a = 1 / (1 − a²) (+∞ at a = ±1)"),

        // Exponential and logarithmic.
        new("Exp", 1, new[] { F("Exp", A) }, "d exp a = exp a"),
        new("Exp2", 1, new[] { F("Exp2", A) * F("Log", 2) }, "d 2^a = 2^a ln 2"),
        new("Exp10", 1, new[] { F("Exp10", A) * F("Log", 10) }, "d 10^a = 10^a ln 10"),
        new("ExpM1", 1, new[] { F("Exp", A) }, "d (exp a − 1) = exp a"),
        new("Exp2M1", 1, new[] { F("Exp2", A) * F("Log", 2) }, "d (2^a − 1) = 2^a ln 2"),
        new("Exp10M1", 1, new[] { F("Exp10", A) * F("Log", 10) }, "d (10^a − 1) = 10^a ln 10"),
        new("Log", 1, new[] { 1 / A }, "d log a = 1 / a"),
        // .NET's Log(a, b) is ln a / ln b; the quotient rule gives ∂b.
        new("Log", 2, new[] { 1 / (A * F("Log", B)), -F("Log", A) / (B * F("Log", B) * F("Log", B)) }, "logb(a) = ln a / ln b: ∂a = 1 / (a ln b), ∂b = −ln a / (b ln² b)"),
        new("Log2", 1, new[] { 1 / (A * F("Log", 2)) }, "d log2 a = 1 / (a ln 2)"),
        new("Log10", 1, new[] { 1 / (A * F("Log", 10)) }, "d log10 a = 1 / (a ln 10)"),
        new("LogP1", 1, new[] { 1 / (A + 1) }, "d ln(1 + a) = 1 / (1 + a)"),
        new("Log2P1", 1, new[] { 1 / ((A + 1) * F("Log", 2)) }, "d log2(1 + a) = 1 / ((1 + a) ln 2)"),
        new("Log10P1", 1, new[] { 1 / ((A + 1) * F("Log", 10)) }, "d log10(1 + a) = 1 / ((1 + a) ln 10)"),

        // Powers and roots.
        new("Sqrt", 1, new[] { 0.5 / F("Sqrt", A) }, "d √a = 1 / (2√a)"),
        // Written with cbrt a itself, so that a < 0 needs no sign handling; +∞ at a = 0.
        new("Cbrt", 1, new[] { 1 / (3 * F("Cbrt", A) * F("Cbrt", A)) }, "d ∛a = 1 / (3 ∛a²)"),
        // n is an int and takes no derivative; written as 1 / (n·ʳ√a^(n−1)) so that a = 0 gives +∞, not 0/0.
        new("RootN", 2, new DerivativeExpression?[] { 1 / (B * F("Pow", F("RootN", A, B), B - 1)), null }, "d ⁿ√a = 1 / (n ⁿ√a^(n−1))"),
        // At a = 0, a^b·ln a is 0·(−∞) = NaN; the limit (and PyTorch's choice) is 0, so a^b with a = 0 gives b no gradient.
        new("Pow", 2, new[] { B * F("Pow", A, B - 1), new Piecewise(A, "==", 0, 0, F("Pow", A, B) * F("Log", A)) }, "pow(a, b): ∂a = b·a^(b−1), ∂b = a^b·ln a (0 where a = 0)"),
        // At a = b = 0 the partials a/hypot and b/hypot are 0/0; the subgradient 0 is taken, as PyTorch's norm backward does.
        new("Hypot", 2, new DerivativeExpression?[]
        {
            new Piecewise(F("Hypot", A, B), "==", 0, 0, A / F("Hypot", A, B)),
            new Piecewise(F("Hypot", A, B), "==", 0, 0, B / F("Hypot", A, B)),
        }, "hypot(a, b) = √(a² + b²): ∂a = a / hypot, ∂b = b / hypot (0 at a = b = 0)"),
        // n is an int: a·2ⁿ is linear in a.
        new("ScaleB", 2, new DerivativeExpression?[] { F("ScaleB", 1, B), null }, "d (a·2ⁿ) = 2ⁿ"),

        // Arithmetic in one call.
        new("FusedMultiplyAdd", 3, new DerivativeExpression?[] { B, A, 1 }, "fma(a, b, c) = a·b + c: ∂a = b, ∂b = a, ∂c = 1"),
        new("MultiplyAddEstimate", 3, new DerivativeExpression?[] { B, A, 1 }, "a·b + c (fused or not): ∂a = b, ∂b = a, ∂c = 1"),
        new("Lerp", 3, new DerivativeExpression?[] { 1 - C, C, B - A }, "lerp(a, b, t) = a(1 − t) + b·t: ∂a = 1 − t, ∂b = t, ∂t = b − a"),
        // a − b·round(a/b), round to nearest even; the rounded quotient is flat almost everywhere.
        new("IEEERemainder", 2, new DerivativeExpression?[] { 1, -F("Round", A / B) }, "a − b·round(a/b): ∂a = 1, ∂b = −round(a/b)"),
        new("Ieee754Remainder", 2, new DerivativeExpression?[] { 1, -F("Round", A / B) }, "a − b·round(a/b): ∂a = 1, ∂b = −round(a/b)"),

        // Piecewise: sign, selection and clamping.
        new("Abs", 1, new DerivativeExpression?[] { new Piecewise(A, ">=", 0, 1, -1) }, "d |a| = sign a (taken as +1 at 0)"),
        // The ratio copysign(a, b)/a is ±1: +1 where the signs agree. PyTorch's choice at a = 0 is 0; b only sets a sign.
        new("CopySign", 2, new DerivativeExpression?[] { new Piecewise(A, "==", 0, 0, F("CopySign", A, B) / A), null }, "copysign(a, b) = ±|a|: ∂a = +1 where the signs agree, −1 where not (0 at a = 0), ∂b = 0"),
        new("Min", 2, new DerivativeExpression?[] { new Piecewise(A, "<=", B, 1, 0), new Piecewise(A, "<=", B, 0, 1) }, "min(a, b): the smaller argument gets the derivative (a on ties)"),
        new("Max", 2, new DerivativeExpression?[] { new Piecewise(A, ">=", B, 1, 0), new Piecewise(A, ">=", B, 0, 1) }, "max(a, b): the larger argument gets the derivative (a on ties)"),
        // These return one argument unchanged; which one (NaN, ±0 and magnitude ties decide) is read off the result.
        new("MaxMagnitude", 2, Selects("MaxMagnitude"), "maxmagnitude(a, b): the argument returned gets the derivative (a on ties)"),
        new("MinMagnitude", 2, Selects("MinMagnitude"), "minmagnitude(a, b): the argument returned gets the derivative (a on ties)"),
        new("MaxNumber", 2, Selects("MaxNumber"), "maxnumber(a, b): the argument returned gets the derivative (a on ties)"),
        new("MinNumber", 2, Selects("MinNumber"), "minnumber(a, b): the argument returned gets the derivative (a on ties)"),
        new("MaxMagnitudeNumber", 2, Selects("MaxMagnitudeNumber"), "maxmagnitudenumber(a, b): the argument returned gets the derivative (a on ties)"),
        new("MinMagnitudeNumber", 2, Selects("MinMagnitudeNumber"), "minmagnitudenumber(a, b): the argument returned gets the derivative (a on ties)"),
        new("MaxNative", 2, Selects("MaxNative"), "maxnative(a, b): the argument returned gets the derivative (a on ties)"),
        new("MinNative", 2, Selects("MinNative"), "minnative(a, b): the argument returned gets the derivative (a on ties)"),
        new("Clamp", 3, ClampPartials(), "clamp(a, lo, hi): the derivative flows to whichever bound is active, else to a"),
        new("ClampNative", 3, ClampPartials(), "clamp(a, lo, hi): the derivative flows to whichever bound is active, else to a"),
    };

    static readonly Dictionary<(string, int), ScalarRule> ByName = Table.ToDictionary(rule => (rule.Name, rule.Arity));

    /// <summary>
    /// Functions that are constant between jumps (all overloads: <c>Round</c>'s digits and <c>MidpointRounding</c>): their
    /// derivative is zero wherever it exists, so their result is data to the derivative, as in PyTorch.
    /// </summary>
    static readonly HashSet<string> PiecewiseConstant = new() { "Floor", "Ceiling", "Round", "Truncate", "Sign" };

    /// <summary>The math classes whose functions the table covers, by metadata name.</summary>
    public static readonly string[] MathClasses = { "System.Math", "System.MathF", "System.Double", "System.Single" };

    public static bool TryGet(string name, int arity, out ScalarRule rule) => ByName.TryGetValue((name, arity), out rule!);

    public static bool IsPiecewiseConstant(string name) => PiecewiseConstant.Contains(name);

    public static IEnumerable<ScalarRule> All => Table;

    public static IEnumerable<string> PiecewiseConstantFunctions => PiecewiseConstant.OrderBy(name => name, System.StringComparer.Ordinal);
}
