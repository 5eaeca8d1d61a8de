using System;

namespace Leibniz.Curvature;

/// <summary>How <see cref="StochasticLanczosQuadrature.Density"/> samples the spectrum.</summary>
public sealed record SpectralDensityOptions
{
    /// <summary>
    /// Independent random start vectors (n_v in Ghorbani, Krishnan and Xiao 2019). The estimate's
    /// variance falls as 1/Runs; the paper's figures use a handful. Default 10.
    /// </summary>
    public int Runs { get; init; } = 10;

    /// <summary>
    /// Lanczos steps per run (m): each run gives m Ritz values and integrates polynomials of degree
    /// up to 2m − 1 exactly. Capped at the operator's dimension. Default 80.
    /// </summary>
    public int Steps { get; init; } = 80;

    /// <summary>The seed of the start vectors: the same seed gives the same density. Default 0.</summary>
    public long Seed { get; init; }

    internal void Validate()
    {
        if (Runs < 1)
            throw new ArgumentOutOfRangeException(nameof(Runs), Runs, $"Runs must be at least 1, not {Runs}; each run is one random start vector.");
        if (Steps < 1)
            throw new ArgumentOutOfRangeException(nameof(Steps), Steps, $"Steps must be at least 1, not {Steps}; each step is one operator product.");
    }
}
