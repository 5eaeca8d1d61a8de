namespace Leibniz.Tests.Differentiation;

/// <summary>
/// The float64 oracle: the 4-point central stencil (f(x−2h) − 8f(x−h) + 8f(x+h) − f(x+2h)) / 12h,
/// error O(h⁴), with h = 1e-3·max(1, |x|) — good to about 1e-10 relative for smooth functions.
/// </summary>
internal static class FiniteDifferences
{
    public static double Derivative(Func<double, double> f, double x)
    {
        var h = 1e-3 * Math.Max(1, Math.Abs(x));
        return (f(x - 2 * h) - 8 * f(x - h) + 8 * f(x + h) - f(x + 2 * h)) / (12 * h);
    }

    /// <summary>The derivative of <paramref name="f"/> at <paramref name="x"/> along <paramref name="direction"/>.</summary>
    public static double Directional(Func<double[], double> f, double[] x, double[] direction)
    {
        var scale = Math.Max(1, x.Max(Math.Abs));
        // The step along the direction grows with the input's size; g(t) = f(x + t·scale·v) has g'(0) = scale·⟨∇f, v⟩.
        return Derivative(t => f(x.Select((xi, i) => xi + t * direction[i] * scale).ToArray()), 0) / scale;
    }

    public static double[] UnitVector(Random random, int length)
    {
        var v = Enumerable.Range(0, length).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var norm = Math.Sqrt(v.Sum(a => a * a));
        return v.Select(a => a / norm).ToArray();
    }

    /// <summary>A point of <paramref name="n"/> coordinates drawn uniformly from [−1, 1), the same for the same seed.</summary>
    public static double[] RandomPoint(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
    }

    /// <summary>
    /// A generated <c>WithGradient</c> of an array function at <paramref name="x"/>: its value is <paramref name="f"/>'s, it
    /// overwrites the whole buffer (which starts as NaN), and the gradient's derivative along three random unit directions
    /// matches the central difference of <paramref name="f"/>.
    /// </summary>
    public static void AssertGradient(Func<double[], double> f, Func<double[], double[], double> withGradient, double[] x)
    {
        var gradient = Enumerable.Repeat(double.NaN, x.Length).ToArray();
        var value = withGradient(x, gradient);
        AssertClose(f(x), value, 1e-14, "value");
        var random = new Random(x.Length);
        for (var trial = 0; trial < 3 && x.Length > 0; trial++)
        {
            var direction = UnitVector(random, x.Length);
            AssertClose(Directional(f, x, direction), gradient.Zip(direction, (g, d) => g * d).Sum(), what: $"directional derivative {trial} at n = {x.Length}");
        }
    }

    public static void AssertClose(double expected, double actual, double relative = 1e-8, string? what = null)
    {
        var tolerance = relative * Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance,
            $"{what ?? "derivative"}: expected {expected:R}, got {actual:R} (difference {Math.Abs(expected - actual):E2}, tolerance {tolerance:E2})");
    }
}
