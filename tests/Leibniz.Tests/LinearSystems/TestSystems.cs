using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.LinearSystems;

/// <summary>
/// Well-conditioned test matrices drawn from System.Random, so that no test depends on torch's global seed.
/// </summary>
static class TestSystems
{
    public static Tensor Gaussian(long rows, long columns, int seed, ScalarType dtype = ScalarType.Float64)
    {
        var random = new Random(seed);
        var values = new double[rows * columns];
        for (var i = 0; i < values.Length; i++)
        {
            // Box–Muller: two uniforms give one standard normal.
            var u = 1.0 - random.NextDouble();
            var v = random.NextDouble();
            values[i] = Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
        }
        return tensor(values, new[] { rows, columns }, ScalarType.Float64).to(dtype);
    }

    public static Tensor Vector(long n, int seed, ScalarType dtype = ScalarType.Float64) =>
        Gaussian(n, 1, seed, dtype).reshape(n);

    /// <summary>BᵀB/n + I: symmetric, eigenvalues in about [1, 5].</summary>
    public static Tensor SymmetricPositiveDefinite(long n, int seed)
    {
        using var scope = NewDisposeScope();
        var b = Gaussian(n, n, seed);
        var a = b.mT.matmul(b).div(n).add(eye(n, dtype: ScalarType.Float64));
        return a.add(a.mT).mul(0.5).MoveToOuterDisposeScope();
    }

    /// <summary>3I + B/√n: ‖B/√n‖ ≈ 2, so the singular values lie in about [1, 5] and the matrix is far from symmetric.</summary>
    public static Tensor NonSymmetric(long n, int seed)
    {
        using var scope = NewDisposeScope();
        return Gaussian(n, n, seed).div(Math.Sqrt(n)).add(eye(n, dtype: ScalarType.Float64).mul(3)).MoveToOuterDisposeScope();
    }

    public static double RelativeError(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        return actual.sub(expected).norm().ToDouble() / expected.norm().ToDouble();
    }

    public static Func<Tensor, Tensor> Times(Tensor matrix) => x => matrix.matmul(x);
}
