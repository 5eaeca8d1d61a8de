using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Curvature;

/// <summary>Symmetric matrices whose spectra the tests choose.</summary>
static class TestSpectra
{
    /// <summary>Q diag(λ) Qᵀ for a random orthogonal Q (float64), symmetrised so rounding leaves no asymmetry.</summary>
    public static Tensor Conjugated(double[] eigenvalues, ulong seed)
    {
        using var generator = new Generator(seed);
        using var scope = NewDisposeScope();
        var n = eigenvalues.Length;
        var (q, r) = linalg.qr(randn(new long[] { n, n }, dtype: ScalarType.Float64, generator: generator));
        // Fixing the signs of R's diagonal makes Q Haar-distributed rather than biased by QR's convention.
        q = q * r.diagonal().sign();
        var a = q.mm(diag(tensor(eigenvalues, ScalarType.Float64))).mm(q.t());
        return ((a + a.t()) / 2).MoveToOuterDisposeScope();
    }

    public static Tensor Diagonal(double[] eigenvalues) => diag(tensor(eigenvalues, ScalarType.Float64));

    /// <summary><paramref name="count"/> values spread uniformly over [<paramref name="low"/>, <paramref name="high"/>], drawn with <paramref name="seed"/>.</summary>
    public static double[] Uniform(int count, double low, double high, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => low + (high - low) * random.NextDouble()).ToArray();
    }

    /// <summary>The exact eigenvalues, ascending, by LAPACK.</summary>
    public static double[] Exact(Tensor matrix)
    {
        using var scope = NewDisposeScope();
        return linalg.eigvalsh(matrix.to(ScalarType.Float64)).data<double>().ToArray();
    }

    /// <summary>The largest |eigenvalue|, the scale of the tolerances.</summary>
    public static double Norm(double[] eigenvalues) => eigenvalues.Max(Math.Abs);
}
