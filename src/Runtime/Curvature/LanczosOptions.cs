using System;
using System.Globalization;

namespace Leibniz.Curvature;

/// <summary>What <see cref="Lanczos.Eigenpairs"/> computes and when it stops.</summary>
public sealed record LanczosOptions
{
    /// <summary>How many eigenvalues to compute (k). Default 1.</summary>
    public int Count { get; init; } = 1;

    /// <summary>Which end of the spectrum. Default <see cref="SpectrumEnd.Largest"/>.</summary>
    public SpectrumEnd Which { get; init; } = SpectrumEnd.Largest;

    /// <summary>
    /// An eigenpair (θ, v) counts as converged when its residual ‖A v − θ v‖ is at most this times the
    /// largest |Ritz value| (an estimate of ‖A‖). The eigenvalue's error is then at most the residual,
    /// and at most residual² / gap when it is separated from the rest of the spectrum by a gap.
    /// Null (the default) picks 1e-10 for a float64 operator and 1e-5 for float32.
    /// </summary>
    public double? Tolerance { get; init; }

    /// <summary>
    /// The most Lanczos steps (operator products, and basis vectors kept in memory: the run holds a
    /// MaxIterations × dimension tensor). Null (the default) picks max(100, 4·Count), capped at the dimension.
    /// </summary>
    public int? MaxIterations { get; init; }

    /// <summary>Whether to return the eigenvectors and measure each pair's residual with one more product each. Default false.</summary>
    public bool ComputeEigenvectors { get; init; }

    /// <summary>The seed of the random start vector (and of restarts): the same seed gives the same result. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>The tolerance to use for an operator of <paramref name="op"/>'s dtype, validated.</summary>
    internal double ResolveTolerance(SymmetricOperator op)
    {
        var tolerance = Tolerance ?? (op.Epsilon > 1e-10 ? 1e-5 : 1e-10);
        // Below ~10 ε no residual can be certified: the products themselves carry rounding errors of ε‖A‖.
        var floor = 10 * op.Epsilon;
        if (!(tolerance >= floor && tolerance < 1))
            throw new ArgumentOutOfRangeException(
                nameof(Tolerance), tolerance,
                $"Tolerance {tolerance.ToString("G3", CultureInfo.InvariantCulture)} is outside [{floor.ToString("G3", CultureInfo.InvariantCulture)}, 1) for a {op.DType} operator; " +
                (tolerance < floor ? "rounding errors of the products are larger than that — loosen it, or use a float64 operator." : "use a relative tolerance below 1."));
        return tolerance;
    }

    /// <summary>The step limit to use for <paramref name="op"/>, with <see cref="Count"/> checked against it.</summary>
    internal int ResolveMaxIterations(SymmetricOperator op)
    {
        if (Count < 1 || Count > op.Dimension)
            throw new ArgumentOutOfRangeException(nameof(Count), Count, $"Count must be between 1 and the operator's dimension {op.Dimension}, not {Count}.");

        var cap = (int)Math.Min(op.Dimension, int.MaxValue);
        var steps = MaxIterations ?? Math.Min(cap, Math.Max(100, 4 * Count));
        if (steps < Count || steps > op.Dimension)
            throw new ArgumentOutOfRangeException(
                nameof(MaxIterations), steps,
                $"MaxIterations {steps} must be between Count ({Count}) and the operator's dimension ({op.Dimension}): each step adds one basis vector, and k eigenvalues need at least k.");
        return steps;
    }
}
