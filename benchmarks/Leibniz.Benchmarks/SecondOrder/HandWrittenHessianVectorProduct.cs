namespace Leibniz.Benchmarks.SecondOrder;

/// <summary>The anchor for Rosenbrock: H·v derived by hand and fused into one loop, with the gradient on the way.</summary>
public static class HandWrittenHessianVectorProduct
{
    /// <summary>Writes ∇f(x) into <paramref name="gradient"/> and H(x)·v into <paramref name="product"/>; returns ∇f·v.</summary>
    /// <remarks>
    /// Term i, 100aᵢ² + bᵢ² with aᵢ = xᵢ₊₁ − xᵢ², bᵢ = 1 − xᵢ, has the 2×2 Hessian block over (xᵢ, xᵢ₊₁)
    /// [[1200xᵢ² − 400xᵢ₊₁ + 2, −400xᵢ], [−400xᵢ, 200]], so H·v is a three-diagonal sweep.
    /// </remarks>
    public static double Rosenbrock(double[] x, double[] v, double[] gradient, double[] product)
    {
        var n = x.Length;
        if (n == 0) return 0;
        gradient[0] = 0;
        product[0] = 0;
        for (var i = 0; i < n - 1; i++)
        {
            var (xi, xj) = (x[i], x[i + 1]);
            var a = xj - xi * xi;
            gradient[i] += -400 * a * xi - 2 * (1 - xi);
            gradient[i + 1] = 200 * a;
            product[i] += (1200 * xi * xi - 400 * xj + 2) * v[i] - 400 * xi * v[i + 1];
            product[i + 1] = -400 * xi * v[i] + 200 * v[i + 1];
        }

        var directional = 0.0;
        for (var i = 0; i < n; i++) directional += gradient[i] * v[i];
        return directional;
    }
}
