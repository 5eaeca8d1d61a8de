using TorchSharp;
using static TorchSharp.torch;

namespace Quickstart;

/// <summary>Two interleaved spirals in the plane: a small data set no straight line separates.</summary>
public static class TwoSpirals
{
    /// <summary>Samples <paramref name="pointsPerClass"/> noisy points on each spiral.</summary>
    /// <returns>Points (N×2, float32) and labels (N, int64: 0 or 1).</returns>
    public static (Tensor Points, Tensor Labels) Generate(int pointsPerClass, double noise, int seed)
    {
        using var generator = new Generator((ulong)seed);
        // Angle grows with the square root of a uniform draw so points are spread evenly along the arc.
        var turns = 3 * Math.PI * sqrt(rand(pointsPerClass, generator: generator));
        var points = new List<Tensor>();
        var labels = new List<Tensor>();
        for (var label = 0; label < 2; label++)
        {
            var angle = turns + label * Math.PI;
            var radius = turns / (3 * Math.PI);
            var xy = stack(new[] { radius * cos(angle), radius * sin(angle) }, dim: 1);
            points.Add(xy + noise * randn(xy.shape, generator: generator));
            labels.Add(full(pointsPerClass, label, dtype: ScalarType.Int64));
        }

        return (cat(points, dim: 0), cat(labels, dim: 0));
    }
}
