using System;

namespace Leibniz.Curvature;

/// <summary>How <see cref="Hutchinson.Trace"/> samples.</summary>
public sealed record HutchinsonOptions
{
    /// <summary>
    /// The number of random probes (operator products), at least 2 so that a standard error exists.
    /// The standard error falls as 1/√Probes. Default 100.
    /// </summary>
    public int Probes { get; init; } = 100;

    /// <summary>The seed of the probes: the same seed gives the same estimate. Default 0.</summary>
    public long Seed { get; init; }

    internal void Validate()
    {
        if (Probes < 2)
            throw new ArgumentOutOfRangeException(nameof(Probes), Probes, $"Probes must be at least 2 (a standard error needs two samples), not {Probes}.");
    }
}
