using System;
using System.Linq;
using static TorchSharp.torch;

namespace Leibniz.Optimization;

/// <summary>Argument checks shared by <see cref="Prox"/> and <see cref="Projection"/>.</summary>
internal static class Guard
{
    public static string Shape(Tensor tensor) => "[" + string.Join(", ", tensor.shape) + "]";

    /// <summary>Throws when any entry of <paramref name="value"/> is negative (or not positive, when <paramref name="strict"/>).</summary>
    public static void NotNegative(Tensor value, string name, string meaning, string remedy, bool strict = false)
    {
        var bad = strict ? value <= 0 : value < 0;
        // A scalar's offending value goes into the message; for a tensor the smallest entry stands for all.
        if (!bad.any().item<bool>()) return;
        var worst = value.numel() == 1 ? value.to_type(ScalarType.Float64).item<double>() : value.min().to_type(ScalarType.Float64).item<double>();
        var bound = strict ? "positive" : "non-negative";
        throw new ArgumentOutOfRangeException(name, worst, $"The {meaning} must be {bound}, but {(value.numel() == 1 ? "it is" : "its smallest entry is")} {worst}. {remedy}");
    }

    /// <summary>Throws unless <paramref name="tensor"/> has one of the given numbers of dimensions.</summary>
    public static void Dimensions(Tensor tensor, string name, string expected, params long[] allowed)
    {
        if (!allowed.Contains(tensor.dim()))
            throw new ArgumentException($"'{name}' has shape {Shape(tensor)}, but {expected} is expected.", name);
    }

    /// <summary>Throws unless <paramref name="hyperparameter"/> broadcasts against <paramref name="shape"/> without changing it.</summary>
    public static void BroadcastsTo(Tensor hyperparameter, long[] shape, string name, string expected)
    {
        var h = hyperparameter.shape;
        var fits = h.Length <= shape.Length;
        for (var i = 1; fits && i <= h.Length; i++)
            fits = h[^i] == 1 || h[^i] == shape[^i];
        if (!fits)
            throw new ArgumentException($"'{name}' has shape {Shape(hyperparameter)}, but {expected} is expected.", name);
    }
}
