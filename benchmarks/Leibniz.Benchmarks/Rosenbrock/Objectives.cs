namespace Leibniz.Benchmarks.Rosenbrock;

/// <summary>The functions under measurement; the generator writes their gradients beside them.</summary>
public static partial class Objectives
{
    /// <summary>
    /// The n-dimensional Rosenbrock function Σᵢ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)², written as a plain loop
    /// so that the generated reverse sweep has to keep loop values on the tape.
    /// </summary>
    [Differentiable]
    public static double Rosenbrock(double[] x)
    {
        var sum = 0.0;
        for (var i = 0; i < x.Length - 1; i++)
        {
            var a = x[i + 1] - x[i] * x[i];
            var b = 1 - x[i];
            sum += 100 * a * a + b * b;
        }

        return sum;
    }
}
