namespace Leibniz.Benchmarks.Rosenbrock;

/// <summary>The baseline every AD tool is measured against: a gradient from 2n function evaluations.</summary>
public static class CentralDifferences
{
    // ∛ε with ε = 2⁻⁵² (double's machine epsilon): the step that balances a central difference's
    // O(h²) truncation error against its O(ε/h) rounding error.
    static readonly double s_cubeRootEpsilon = Math.Cbrt(Math.Pow(2, -52));

    /// <summary>
    /// Writes (f(x + hₖeₖ) − f(x − hₖeₖ)) / 2hₖ into <paramref name="gradient"/>[k] for every k, perturbing
    /// <paramref name="x"/> in place and restoring each component, so nothing is allocated.
    /// </summary>
    /// <remarks>
    /// hₖ = ∛ε·max(1, |xₖ|) leaves roughly 1e-10 relative error at best — enough for a timing baseline,
    /// not for an oracle (the tests use a 4-point stencil for that).
    /// </remarks>
    public static void Gradient(Func<double[], double> f, double[] x, double[] gradient)
    {
        if (gradient.Length != x.Length)
            throw new ArgumentException($"The gradient buffer has {gradient.Length} elements but x has {x.Length}; pass an array of the same length.", nameof(gradient));

        for (var k = 0; k < x.Length; k++)
        {
            var xk = x[k];
            var h = s_cubeRootEpsilon * Math.Max(1, Math.Abs(xk));
            x[k] = xk + h;
            var plus = f(x);
            x[k] = xk - h;
            var minus = f(x);
            x[k] = xk;
            // Divide by the step actually taken: xₖ ± h are rounded, so their distance is not exactly 2h.
            gradient[k] = (plus - minus) / ((xk + h) - (xk - h));
        }
    }
}
