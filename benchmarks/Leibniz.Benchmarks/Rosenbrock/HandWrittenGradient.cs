namespace Leibniz.Benchmarks.Rosenbrock;

/// <summary>The anchor: the Rosenbrock gradient derived by hand and fused into the function's own loop.</summary>
public static class HandWrittenGradient
{
    /// <summary>Returns Rosenbrock(x) and writes its gradient into <paramref name="gradient"/> in one pass.</summary>
    /// <remarks>
    /// Term i, 100aᵢ² + bᵢ² with aᵢ = xᵢ₊₁ − xᵢ² and bᵢ = 1 − xᵢ, touches only xᵢ and xᵢ₊₁:
    /// ∂/∂xᵢ = −400·aᵢ·xᵢ − 2bᵢ and ∂/∂xᵢ₊₁ = 200·aᵢ. Component i+1 is first reached by term i, so it
    /// is assigned there and term i+1 adds to it; nothing is stored between the two and no tape is needed.
    /// </remarks>
    public static double Rosenbrock(double[] x, double[] gradient)
    {
        if (gradient.Length != x.Length)
            throw new ArgumentException($"The gradient buffer has {gradient.Length} elements but x has {x.Length}; pass an array of the same length.", nameof(gradient));
        if (x.Length == 0) return 0;

        var sum = 0.0;
        gradient[0] = 0;
        for (var i = 0; i < x.Length - 1; i++)
        {
            var xi = x[i];
            var a = x[i + 1] - xi * xi;
            var b = 1 - xi;
            sum += 100 * a * a + b * b;
            gradient[i] += -400 * a * xi - 2 * b;
            gradient[i + 1] = 200 * a;
        }

        return sum;
    }
}
