namespace Leibniz.Fuzzing.Tests.Scalar;

/// <summary>What checking one program found.</summary>
internal enum Verdict
{
    Passed,

    /// <summary>Every point tried sat too near a kink or a jump for finite differences to say anything, or the values overflowed.</summary>
    Inconclusive,
    Failed,

    /// <summary>The generator reported an LZ diagnostic: allowed for a construct it documents as unsupported.</summary>
    Refused,
}

internal sealed record CheckResult(Verdict Verdict, string Message)
{
    public static readonly CheckResult Passed = new(Verdict.Passed, "");
}

/// <summary>
/// The oracles for one compiled program: the plain method's value, 4-point central differences along random unit
/// directions (re-checked at smaller steps where a kink may sit between the stencil's points), the generated tangent,
/// the pullback's accumulation, balanced tapes, and a symmetric H·v that matches differences of the gradient.
/// </summary>
internal static class ScalarProgramCheck
{
    public static CheckResult Run(ScalarProgram program, Type type)
    {
        try
        {
            var runner = new ScalarProgramRunner(program, type);
            var random = new Random(Infrastructure.StableHash.Of(program.Seed));
            var inconclusive = "";
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var x = Enumerable.Range(0, runner.Dimension).Select(_ => random.NextDouble() * 3 - 1.5).ToArray();
                var result = AtPoint(program, runner, x, random);
                if (result.Verdict != Verdict.Inconclusive) return result;
                inconclusive = result.Message;
            }

            return new CheckResult(Verdict.Inconclusive, inconclusive);
        }
        catch (Exception e)
        {
            return new CheckResult(Verdict.Failed, "threw " + e.GetType().Name + ": " + e.Message + "\n" + e.StackTrace);
        }
    }

    static CheckResult AtPoint(ScalarProgram program, ScalarProgramRunner runner, double[] x, Random random)
    {
        var isFloat = program.IsFloat;
        var tapes = ScalarProgramRunner.TapeLengths();
        CheckResult? TapeCheck(string after)
        {
            var now = ScalarProgramRunner.TapeLengths();
            return now == tapes ? null : new CheckResult(Verdict.Failed, $"the tapes hold {now} after {after}; they held {tapes} before");
        }

        var value = runner.Value(x);
        if (!double.IsFinite(value) || Math.Abs(value) > 1e6) return new CheckResult(Verdict.Inconclusive, $"value {value} out of range");

        var gradient = runner.Gradient(x);
        if (TapeCheck("the pullback") is { } unbalanced) return unbalanced;
        if (gradient.Any(g => !double.IsFinite(g)))
        {
            // A value that does not move near x while an intermediate overflowed gives 0·∞ in the adjoints, as in any
            // reverse mode (PyTorch's too); only a NaN where the function varies is a wrong derivative.
            var probe = UnitVector(random, runner.Dimension);
            if (runner.Value(x.Select((xi, i) => xi + 1e-3 * probe[i]).ToArray()) == value && runner.Value(x.Select((xi, i) => xi - 1e-3 * probe[i]).ToArray()) == value)
                return new CheckResult(Verdict.Inconclusive, $"a non-finite gradient where the value {value} is locally constant (an overflowed intermediate)");
            // Forward mode computes the derivative by another route; where it overflows too, so does the derivative itself
            // (a float program's products of large partials, an infinite intermediate under a flat function).
            if (!double.IsFinite(runner.Tangent(x, probe).Tangent))
                return new CheckResult(Verdict.Inconclusive, $"the derivative overflows in forward and reverse mode alike at a finite value {value}");
            return new CheckResult(Verdict.Failed, $"a non-finite gradient [{Format(gradient)}] at a finite value {value}");
        }
        var scale = Math.Max(1, Norm(gradient));

        // The pullback adds seed times the gradient to whatever adjoints it is handed, and returns the value.
        var initial = Enumerable.Repeat(0.75, runner.Dimension).ToArray();
        var (pulledValue, accumulated) = runner.Pullback(x, 2.5, initial);
        if (TapeCheck("a seeded pullback") is { } unbalancedSeeded) return unbalancedSeeded;
        if (!Close(value, pulledValue, isFloat ? 1e-5 : 1e-12))
            return new CheckResult(Verdict.Failed, $"the pullback returns {pulledValue:R} but the function returns {value:R}");
        for (var i = 0; i < gradient.Length; i++)
        {
            // In float a seed of 2.5 rounds each partial product differently from a seed of 1 (seen: 4e-4 relative after
            // cancelling contributions in loops); an adjoint assigned instead of added, or a seed ignored, is off by far more.
            if (!Close(0.75 + 2.5 * gradient[i], accumulated[i], isFloat ? 1e-3 : 1e-11, scale))
                return new CheckResult(Verdict.Failed, $"a pullback seeded 2.5 into adjoints holding 0.75 gives {accumulated[i]:R} for input {i}; expected 0.75 + 2.5·{gradient[i]:R}");
        }

        for (var d = 0; d < 2; d++)
        {
            var u = UnitVector(random, runner.Dimension);
            var directional = Dot(gradient, u);
            var differences = Differences(runner.Value, x, u, isFloat);
            var tolerance = (isFloat ? 2e-2 : 1e-6) * Math.Max(scale, Math.Abs(differences[0]));
            if (!differences.Any(fd => Math.Abs(fd - directional) <= tolerance))
            {
                // Differences that change with the step by more than their own precision say nothing (a kink or a jump
                // between the stencil's points, or oscillation faster than the step).
                if (Spread(differences) > (isFloat ? 2e-2 : 1e-6) * Math.Max(1, Math.Abs(differences[0])) || scale > 1e6) return new CheckResult(Verdict.Inconclusive, $"finite differences {Format(differences)} do not settle");
                return new CheckResult(Verdict.Failed, $"reverse mode gives the directional derivative {directional:R} but central differences give {differences[0]:R} (steps shrinking: {Format(differences)}); gradient [{Format(gradient)}], direction [{Format(u)}], at [{Format(x)}]");
            }

            var (tangentValue, tangent) = runner.Tangent(x, u);
            if (TapeCheck("the tangent") is { } unbalancedTangent) return unbalancedTangent;
            if (!Close(value, tangentValue, isFloat ? 1e-5 : 1e-12))
                return new CheckResult(Verdict.Failed, $"the tangent returns the value {tangentValue:R} but the function returns {value:R}");
            if (!Close(directional, tangent, isFloat ? 1e-4 : 1e-9, scale))
                return new CheckResult(Verdict.Failed, $"forward mode gives {tangent:R} along [{Format(u)}] but reverse mode gives ⟨∇f, v⟩ = {directional:R}, at [{Format(x)}]");
        }

        if (!runner.HasHessianVectorProduct) return CheckResult.Passed;
        var v = UnitVector(random, runner.Dimension);
        var w = UnitVector(random, runner.Dimension);
        var (g1, hv) = runner.HessianVectorProduct(x, v);
        var (_, hw) = runner.HessianVectorProduct(x, w);
        if (TapeCheck("the Hessian-vector product") is { } unbalancedProduct) return unbalancedProduct;
        for (var i = 0; i < gradient.Length; i++)
        {
            if (!Close(gradient[i], g1[i], 1e-10, scale))
                return new CheckResult(Verdict.Failed, $"the Hessian-vector product's gradient [{Format(g1)}] differs from the pullback's [{Format(gradient)}]");
        }

        var hessianScale = Math.Max(1, Norm(hv) + Norm(hw));
        if (Math.Abs(Dot(w, hv) - Dot(v, hw)) > 1e-8 * hessianScale)
            return new CheckResult(Verdict.Failed, $"H·v is not symmetric: ⟨w, H·v⟩ = {Dot(w, hv):R} but ⟨v, H·w⟩ = {Dot(v, hw):R}");
        var curvature = Differences(p => Dot(w, runner.Gradient(p)), x, v, isFloat: false);
        var curvatureTolerance = 1e-5 * Math.Max(hessianScale, Math.Abs(curvature[0]));
        if (!curvature.Any(fd => Math.Abs(fd - Dot(w, hv)) <= curvatureTolerance))
        {
            if (Spread(curvature) > 1e-5 * Math.Max(1, Math.Abs(curvature[0])) || hessianScale > 1e6) return new CheckResult(Verdict.Inconclusive, $"differences of the gradient {Format(curvature)} do not settle");
            return new CheckResult(Verdict.Failed, $"⟨w, H·v⟩ = {Dot(w, hv):R} but central differences of the gradient give {curvature[0]:R} ({Format(curvature)})");
        }

        return CheckResult.Passed;
    }

    /// <summary>4-point central differences of f along u at three shrinking steps.</summary>
    static double[] Differences(Func<double[], double> f, double[] x, double[] u, bool isFloat)
    {
        var baseStep = (isFloat ? 1e-2 : 1e-3) * Math.Max(1, x.Max(Math.Abs));
        return new[] { 1.0, 0.25, 0.0625 }.Select(factor =>
        {
            var h = baseStep * factor;
            double At(double t) => f(x.Select((xi, i) => xi + t * u[i]).ToArray());
            return (At(-2 * h) - 8 * At(-h) + 8 * At(h) - At(2 * h)) / (12 * h);
        }).ToArray();
    }


    static double Spread(double[] values) => values.Max() - values.Min();

    static bool Close(double expected, double actual, double relative, double scale = 1)
        => Math.Abs(expected - actual) <= relative * Math.Max(scale, Math.Abs(expected)) || expected.Equals(actual);

    static double Dot(double[] a, double[] b) => a.Select((ai, i) => ai * b[i]).Sum();

    static double Norm(double[] a) => Math.Sqrt(Dot(a, a));

    static double[] UnitVector(Random random, int length)
    {
        var v = Enumerable.Range(0, length).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var norm = Norm(v);
        return v.Select(a => a / norm).ToArray();
    }

    static string Format(double[] values) => string.Join(", ", values.Select(v => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)));
}
