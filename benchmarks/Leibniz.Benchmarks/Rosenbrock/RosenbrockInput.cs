namespace Leibniz.Benchmarks.Rosenbrock;

/// <summary>The point every Rosenbrock benchmark and check evaluates at.</summary>
public static class RosenbrockInput
{
    /// <summary>A fixed pseudo-random point in [−2, 2]ⁿ: away from the minimum at (1, …, 1), so no term vanishes.</summary>
    public static double[] Create(int n)
    {
        var random = new Random(20_240_601);
        var x = new double[n];
        for (var i = 0; i < n; i++) x[i] = 4 * random.NextDouble() - 2;
        return x;
    }
}
