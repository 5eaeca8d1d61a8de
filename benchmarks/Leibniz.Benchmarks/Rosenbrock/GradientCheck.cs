namespace Leibniz.Benchmarks.Rosenbrock;

/// <summary>
/// Run before anything is timed: a fast wrong gradient is worth nothing, and an allocating one would
/// make the memory column lie about steady state.
/// </summary>
public static class GradientCheck
{
    /// <summary>How far the generated gradient may stray from the hand-written one, relative to the gradient's size.</summary>
    public const double GeneratedTolerance = 1e-10;

    /// <summary>How far central differences may stray (they carry ~∛ε² truncation and rounding error).</summary>
    public const double CentralDifferencesTolerance = 1e-6;

    /// <summary>
    /// Throws unless, at <paramref name="x"/>, the generated gradient and value match the hand-written
    /// ones to <see cref="GeneratedTolerance"/>, central differences match to
    /// <see cref="CentralDifferencesTolerance"/>, and the generated gradient allocates nothing once warm.
    /// </summary>
    /// <exception cref="InvalidOperationException">A check failed; the message names the component and both values.</exception>
    public static void Verify(double[] x)
    {
        var n = x.Length;
        var expected = new double[n];
        var expectedValue = HandWrittenGradient.Rosenbrock(x, expected);

        var generated = new double[n];
        Array.Fill(generated, double.NaN); // WithGradient must overwrite, not accumulate into, its buffer.
        var generatedValue = Objectives.RosenbrockWithGradient(x, generated);

        var plainValue = Objectives.Rosenbrock(x);
        if (!Close(plainValue, expectedValue, Math.Abs(expectedValue), GeneratedTolerance) || !Close(generatedValue, expectedValue, Math.Abs(expectedValue), GeneratedTolerance))
            throw new InvalidOperationException($"Rosenbrock values disagree at n = {n}: plain {plainValue:R}, generated {generatedValue:R}, hand-written {expectedValue:R}.");

        // Relative to the largest component: single components can sit near zero, where a purely
        // componentwise relative bar would demand more than double precision can give.
        var scale = MaxAbs(expected);
        Compare("generated", generated, expected, scale, GeneratedTolerance);

        var differences = new double[n];
        CentralDifferences.Gradient(Objectives.Rosenbrock, x, differences);
        Compare("central-difference", differences, expected, scale, CentralDifferencesTolerance);

        // The tape is per thread and grows to fit on the first call; later calls must reuse it.
        Objectives.RosenbrockWithGradient(x, generated);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) Objectives.RosenbrockWithGradient(x, generated);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated != 0)
            throw new InvalidOperationException($"The generated Rosenbrock gradient allocated {allocated} bytes over 100 warm calls at n = {n}; after warm-up it must allocate nothing (the tape is thread-static and reused).");
    }

    static void Compare(string what, double[] actual, double[] expected, double scale, double tolerance)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            if (!Close(actual[i], expected[i], scale, tolerance))
                throw new InvalidOperationException(
                    $"The {what} Rosenbrock gradient disagrees with the hand-written one at component {i} of {expected.Length}: " +
                    $"{actual[i]:R} vs {expected[i]:R} (error {Math.Abs(actual[i] - expected[i]) / scale:E2} relative to the largest component {scale:E3}; tolerance {tolerance:E0}).");
        }
    }

    static bool Close(double actual, double expected, double scale, double tolerance) =>
        Math.Abs(actual - expected) <= tolerance * Math.Max(scale, double.Epsilon);

    static double MaxAbs(double[] values)
    {
        var max = 0.0;
        foreach (var v in values) max = Math.Max(max, Math.Abs(v));
        return max;
    }
}
