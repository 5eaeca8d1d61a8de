using TorchSharp;
using static TorchSharp.torch;

namespace DeepEquilibrium;

/// <summary>Two noisy concentric rings in the plane: a data set no straight line separates.</summary>
public static class ConcentricRings
{
    /// <summary>Samples <paramref name="pointsPerClass"/> points around radius 0.5 (label 0) and radius 1 (label 1).</summary>
    /// <returns>Points (N×2, float64) and labels (N, int64).</returns>
    public static (Tensor Points, Tensor Labels) Generate(int pointsPerClass, double noise, int seed)
    {
        using var generator = new Generator((ulong)seed);
        var points = new List<Tensor>();
        var labels = new List<Tensor>();
        for (var label = 0; label < 2; label++)
        {
            var angle = 2 * Math.PI * rand(pointsPerClass, dtype: ScalarType.Float64, generator: generator);
            var radius = 0.5 * (label + 1) + noise * randn(pointsPerClass, dtype: ScalarType.Float64, generator: generator);
            points.Add(stack(new[] { radius * cos(angle), radius * sin(angle) }, dim: 1));
            labels.Add(full(pointsPerClass, label, dtype: ScalarType.Int64));
        }

        return (cat(points, dim: 0), cat(labels, dim: 0));
    }
}
