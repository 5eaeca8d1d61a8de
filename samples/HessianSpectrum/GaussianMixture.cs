using TorchSharp;
using static TorchSharp.torch;

namespace HessianSpectrum;

/// <summary>Points drawn from one Gaussian per class around well-spread random centres: a classification problem made here, not downloaded.</summary>
public static class GaussianMixture
{
    /// <summary>Samples <paramref name="pointsPerClass"/> points around each of <paramref name="classes"/> centres.</summary>
    /// <param name="dimension">The points' dimension.</param>
    /// <param name="classes">The number of classes (mixture components).</param>
    /// <param name="pointsPerClass">Points per class.</param>
    /// <param name="separation">The centres' distance from the origin, in units of the noise's standard deviation.</param>
    /// <param name="seed">Fixes the centres and the points.</param>
    /// <returns>Points (N×dimension, float32) and labels (N, int64).</returns>
    public static (Tensor Points, Tensor Labels) Generate(int dimension, int classes, int pointsPerClass, double separation, int seed)
    {
        using var generator = new Generator((ulong)seed);
        using var scope = NewDisposeScope();
        // Orthonormal directions make every pair of classes equally far apart (separation·√2): no pair is special.
        var (frame, _) = linalg.qr(randn(new long[] { dimension, classes }, generator: generator));
        var centres = separation * frame.t();

        var labels = arange(classes, dtype: ScalarType.Int64).repeat_interleave(pointsPerClass);
        var points = centres.index_select(0, labels) + randn(new long[] { classes * pointsPerClass, dimension }, generator: generator);
        return (points.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }
}
