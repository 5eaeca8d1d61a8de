using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Leibniz.Curvature;

/// <summary>
/// A stochastic estimate of a trace: the mean of independent unbiased samples zᵀ A z, with the
/// standard error of that mean.
/// </summary>
/// <remarks>
/// The standard error is the samples' standard deviation over √(number of samples); by the central
/// limit theorem the estimate lies within ±1.96 standard errors of the trace about 95% of the time
/// once there are a few dozen samples. For a diagonal operator every Rademacher sample is exact, so
/// the standard error is zero.
/// </remarks>
public sealed class TraceEstimate
{
    readonly double[] _samples;

    internal TraceEstimate(double[] samples)
    {
        _samples = samples;
        Value = samples.Average();
        var mean = Value;
        StandardError = samples.Length < 2
            ? double.NaN
            : Math.Sqrt(samples.Sum(s => (s - mean) * (s - mean)) / (samples.Length - 1) / samples.Length);
    }

    /// <summary>The estimate of the trace.</summary>
    public double Value { get; }

    /// <summary>The standard error of <see cref="Value"/>.</summary>
    public double StandardError { get; }

    /// <summary>The individual samples zᵀ A z, one per probe, in the order drawn.</summary>
    public IReadOnlyList<double> Samples => _samples;

    /// <summary>The interval Value ± <paramref name="z"/> standard errors (z = 1.96 for about 95%).</summary>
    public (double Lower, double Upper) ConfidenceInterval(double z = 1.96)
        => (Value - z * StandardError, Value + z * StandardError);

    /// <summary>The estimate with its standard error and the number of samples.</summary>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{Value:G6} ± {StandardError:G3} (standard error, {_samples.Length} samples)");
}
