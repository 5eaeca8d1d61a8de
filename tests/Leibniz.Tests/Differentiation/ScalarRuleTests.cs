using System.Reflection;
using static Leibniz.Tests.Differentiation.FiniteDifferences;

namespace Leibniz.Tests.Differentiation;

/// <summary>
/// Every function of <see cref="ScalarRuleFunctions"/> (one per row of the scalar rule table), in the shape of PyTorch's
/// OpInfo: one domain per function, and the same checks over all. At random points of the domain the generated
/// gradient matches 4-point central differences, the tangent and the pullback agree with it, and H·v matches central
/// differences of the gradient; each float twin's gradient matches the double function's to float precision.
/// </summary>
public sealed class ScalarRuleTests
{
    const int PointsPerFunction = 6;

    /// <summary>Draws a point (a, b, c) inside a function's domain, away from kinks and jumps by more than the stencil's reach.</summary>
    delegate double[]? Sampler(Random random);

    static double Uniform(Random random, double low, double high) => low + (high - low) * random.NextDouble();

    static double Signed(Random random, double low, double high) => (random.Next(2) == 0 ? -1 : 1) * Uniform(random, low, high);

    static Sampler Box(double low, double high, double? lowB = null, double? highB = null)
        => random => new[] { Uniform(random, low, high), Uniform(random, lowB ?? low, highB ?? high), Uniform(random, -2, 2) };

    static Sampler Where(Sampler sampler, Func<double[], bool> accept) => random => sampler(random) is { } point && accept(point) ? point : null;

    /// <summary>a with its fractional part (at <paramref name="scale"/>) inside [low, high], so that a step function of a is flat around it.</summary>
    static Sampler Between(double scale, double low, double high)
        => random => new[] { (random.Next(-3, 3) + Uniform(random, low, high)) * scale, Uniform(random, -2, 2), Uniform(random, -2, 2) };

    static readonly Sampler Anywhere = Box(-2, 2);
    static readonly Sampler Unit = Box(-0.9, 0.9);
    static readonly Sampler Positive = Box(0.2, 4);
    static readonly Sampler AwayFromZero = random => new[] { Signed(random, 0.2, 3), Signed(random, 0.2, 3), Uniform(random, -2, 2) };
    static readonly Sampler Apart = Where(Anywhere, p => Math.Abs(p[0] - p[1]) > 0.1 && Math.Abs(Math.Abs(p[0]) - Math.Abs(p[1])) > 0.1);
    static readonly Sampler Clamped = Where(random => new[] { Uniform(random, -3, 3), Uniform(random, -2, -0.5), Uniform(random, 0.5, 2) },
        p => Math.Abs(p[0] - p[1]) > 0.1 && Math.Abs(p[0] - p[2]) > 0.1);

    /// <summary>a/b's fractional part stays away from ½, where round(a/b) jumps.</summary>
    static readonly Sampler Remainder = random =>
    {
        var b = Uniform(random, 0.7, 2);
        return new[] { b * (random.Next(-2, 3) + Uniform(random, -0.35, 0.35)), b, Uniform(random, -2, 2) };
    };

    static readonly Dictionary<string, Sampler> Domains = new()
    {
        ["Sin"] = Box(-3, 3), ["Cos"] = Box(-3, 3), ["Tan"] = Box(-1.2, 1.2),
        ["Asin"] = Unit, ["Acos"] = Unit, ["Atan"] = Box(-3, 3), ["Atan2"] = Box(-2, 2, 0.3, 2),
        ["SinPi"] = Anywhere, ["CosPi"] = Anywhere, ["TanPi"] = Box(-0.3, 0.3),
        ["AsinPi"] = Unit, ["AcosPi"] = Unit, ["AtanPi"] = Box(-3, 3), ["Atan2Pi"] = Box(-2, 2, 0.3, 2),
        ["DegreesToRadians"] = Box(-3, 3), ["RadiansToDegrees"] = Box(-3, 3),
        ["Sinh"] = Anywhere, ["Cosh"] = Anywhere, ["Tanh"] = Anywhere, ["Asinh"] = Box(-3, 3), ["Acosh"] = Box(1.2, 4), ["Atanh"] = Unit,
        ["Exp"] = Anywhere, ["Exp2"] = Box(-1.5, 1.5), ["Exp10"] = Box(-1.5, 1.5),
        ["ExpM1"] = Box(-1.5, 1.5), ["Exp2M1"] = Box(-1.5, 1.5), ["Exp10M1"] = Box(-1.5, 1.5),
        ["Log"] = Positive, ["LogWithBase"] = Box(0.2, 4, 1.5, 5), ["Log2"] = Positive, ["Log10"] = Positive,
        ["LogP1"] = Box(-0.8, 3), ["Log2P1"] = Box(-0.8, 3), ["Log10P1"] = Box(-0.8, 3),
        ["Sqrt"] = Positive, ["Cbrt"] = AwayFromZero, ["RootN"] = AwayFromZero, ["Pow"] = Box(0.3, 3, -2, 2),
        ["Hypot"] = AwayFromZero, ["ScaleB"] = Box(-3, 3),
        ["FusedMultiplyAdd"] = Anywhere, ["MultiplyAddEstimate"] = Anywhere, ["Lerp"] = Anywhere,
        ["IEEERemainder"] = Remainder, ["Ieee754Remainder"] = Remainder,
        ["Abs"] = AwayFromZero, ["CopySign"] = AwayFromZero, ["Min"] = Apart, ["Max"] = Apart,
        ["MaxMagnitude"] = Apart, ["MinMagnitude"] = Apart, ["MaxNumber"] = Apart, ["MinNumber"] = Apart,
        ["MaxMagnitudeNumber"] = Apart, ["MinMagnitudeNumber"] = Apart, ["MaxNative"] = Apart, ["MinNative"] = Apart,
        ["Clamp"] = Clamped, ["ClampNative"] = Clamped,
        ["Floor"] = Between(1, 0.1, 0.9), ["Ceiling"] = Between(1, 0.1, 0.9), ["Truncate"] = Between(1, 0.1, 0.9),
        ["Round"] = Between(1, 0.6, 0.9), ["RoundAwayFromZero"] = Between(1, 0.6, 0.9),
        ["RoundToDigits"] = Between(0.1, 0.6, 0.9), ["RoundToDigitsTowardZero"] = Between(0.1, 0.6, 0.9),
        ["Sign"] = AwayFromZero,
        ["SinThroughDouble"] = Anywhere, ["PowThroughDouble"] = Where(Box(0.3, 3, -2, 2), p => Math.Abs(p[2]) > 0.2), ["LogThroughDouble"] = Box(0.2, 4, 1.5, 5),
    };

    static IEnumerable<MethodInfo> Functions(Type returnType) => typeof(ScalarRuleFunctions).GetMethods(BindingFlags.Public | BindingFlags.Static)
        .Where(m => m.GetCustomAttribute<DifferentiableAttribute>() is not null && m.ReturnType == returnType);

    public static TheoryData<string> DoubleFunctions() => new(Functions(typeof(double)).Select(m => m.Name).OrderBy(n => n, StringComparer.Ordinal));

    public static TheoryData<string> FloatFunctions() => new(Functions(typeof(float)).Select(m => m.Name).OrderBy(n => n, StringComparer.Ordinal));

    static MethodInfo Method(string name) => typeof(ScalarRuleFunctions).GetMethod(name, BindingFlags.Public | BindingFlags.Static)
        ?? throw new InvalidOperationException($"ScalarRuleFunctions has no {name}; the generator did not emit it");

    static IEnumerable<double[]> Points(string function, int count)
    {
        Assert.True(Domains.TryGetValue(function, out var sampler), $"{function} has no domain in ScalarRuleTests.Domains: add one (away from kinks and jumps)");
        var random = new Random(function.Aggregate(17, (h, ch) => unchecked(h * 31 + ch)));
        var found = 0;
        for (var attempt = 0; attempt < 1000 && found < count; attempt++)
        {
            if (sampler!(random) is not { } point) continue;
            found++;
            yield return point;
        }

        Assert.Equal(count, found);
    }

    static double Value(MethodInfo f, double[] p) => (double)f.Invoke(null, new object[] { p[0], p[1], p[2] })!;

    static double[] Gradient(MethodInfo withGradient, double[] p, out double value)
    {
        var arguments = new object[] { p[0], p[1], p[2], 0.0, 0.0, 0.0 };
        value = (double)withGradient.Invoke(null, arguments)!;
        return new[] { (double)arguments[3], (double)arguments[4], (double)arguments[5] };
    }

    [Theory]
    [MemberData(nameof(DoubleFunctions))]
    public void Gradient_tangent_pullback_and_Hessian_vector_product_match_central_differences(string function)
    {
        var f = Method(function);
        var withGradient = Method(function + "WithGradient");
        var tangent = Method(function + "Tangent");
        var pullback = Method(function + "Pullback");
        var hessian = Method(function + "HessianVectorProduct");
        var random = new Random(7);

        foreach (var p in Points(function, PointsPerFunction))
        {
            var at = $"{function}({string.Join(", ", p.Select(x => x.ToString("R")))})";
            var g = Gradient(withGradient, p, out var value);
            Assert.Equal(Value(f, p), value);
            for (var i = 0; i < 3; i++)
            {
                var index = i;
                AssertClose(Derivative(t => Value(f, p.Select((x, j) => j == index ? t : x).ToArray()), p[i]), g[i], what: $"∂{"abc"[i]} of {at}");
            }

            var v = UnitVector(random, 3);
            var tangentArguments = new object[] { p[0], p[1], p[2], v[0], v[1], v[2], 0.0 };
            Assert.Equal(value, (double)tangent.Invoke(null, tangentArguments)!);
            var jv = (double)tangentArguments[6];
            AssertClose(g.Zip(v, (a, b) => a * b).Sum(), jv, 1e-13, $"tangent = ∇f·v at {at}");

            var w = random.NextDouble() * 2 - 1;
            var pullbackArguments = new object[] { p[0], p[1], p[2], w, 0.0, 0.0, 0.0 };
            pullback.Invoke(null, pullbackArguments);
            for (var i = 0; i < 3; i++) AssertClose(w * g[i], (double)pullbackArguments[4 + i], 1e-13, $"pullback ∂{"abc"[i]} = seed·∇f at {at}");

            var hessianArguments = new object[] { p[0], p[1], p[2], v[0], v[1], v[2], 0.0, 0.0, 0.0, 0.0, 0.0, 0.0 };
            var directional = (double)hessian.Invoke(null, hessianArguments)!;
            AssertClose(jv, directional, 1e-13, $"the product's ∇f·v at {at}");
            for (var i = 0; i < 3; i++)
            {
                var index = i;
                AssertClose(g[i], (double)hessianArguments[6 + i], 1e-13, $"the product's gradient at {at}");
                var expected = Directional(x => Gradient(withGradient, x, out _)[index], p, v);
                AssertClose(expected, (double)hessianArguments[9 + i], what: $"(H·v)_{"abc"[i]} vs central differences of the gradient at {at}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(FloatFunctions))]
    public void The_float_twin_has_the_double_functions_gradient_and_tangent(string function)
    {
        Assert.EndsWith("F", function);
        var twin = function.Substring(0, function.Length - 1);
        var withGradient = Method(function + "WithGradient");
        var tangent = Method(function + "Tangent");
        var doubleGradient = Method(twin + "WithGradient");

        foreach (var point in Points(twin, PointsPerFunction))
        {
            // The float's point, exactly: both run at the same arguments.
            var p = point.Select(x => (double)(float)x).ToArray();
            var expected = Gradient(doubleGradient, p, out _);
            var arguments = new object[] { (float)p[0], (float)p[1], (float)p[2], 0f, 0f, 0f };
            withGradient.Invoke(null, arguments);
            for (var i = 0; i < 3; i++)
                AssertClose(expected[i], (float)arguments[3 + i], 1e-5, $"float ∂{"abc"[i]} of {function} at ({string.Join(", ", p)})");

            var tangentArguments = new object[] { (float)p[0], (float)p[1], (float)p[2], 0.6f, -0.8f, 0.5f, 0f };
            tangent.Invoke(null, tangentArguments);
            AssertClose(expected[0] * 0.6f + expected[1] * -0.8f + expected[2] * 0.5f, (float)tangentArguments[6], 1e-5, $"float tangent of {function}");
        }
    }
}
