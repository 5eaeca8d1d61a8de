using static TorchSharp.torch;

namespace Leibniz.DeviceCheck;

/// <summary>One compared quantity: its largest difference, relative to the reference's largest magnitude (at least 1).</summary>
public sealed record Comparison(string Check, string What, double Difference, double Tolerance)
{
    public bool Passed => Difference <= Tolerance && !double.IsNaN(Difference);

    /// <summary>Compares on the CPU, so the two may live on different devices.</summary>
    public static Comparison Of(string check, string what, Tensor? expected, Tensor? actual, double tolerance)
    {
        if (expected is null || actual is null)
            return new Comparison(check, what + (expected is null ? " (no reference)" : " (no value)"), double.NaN, tolerance);
        using var scope = NewDisposeScope();
        var e = expected.detach().cpu().to_type(ScalarType.Float64);
        var a = actual.detach().cpu().to_type(ScalarType.Float64);
        if (!e.shape.SequenceEqual(a.shape))
            return new Comparison(check, $"{what} (shape [{string.Join(",", a.shape)}], expected [{string.Join(",", e.shape)}])", double.NaN, tolerance);
        var scale = Math.Max(1.0, e.abs().max().item<double>());
        return new Comparison(check, what, (e - a).abs().max().item<double>() / scale, tolerance);
    }
}
