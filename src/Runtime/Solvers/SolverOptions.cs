using System;
using System.Globalization;
using System.Threading;

namespace Leibniz.Solvers;

/// <summary>When an iterative solver stops, and how it reports and is cancelled.</summary>
/// <remarks>
/// Every solver in <see cref="Leibniz.Solvers"/> takes these options; what <see cref="Tolerance"/> bounds
/// is each solver's own stopping measure, documented on the solver and reported as <see cref="SolverResult.Residual"/>.
/// </remarks>
public sealed record SolverOptions
{
    /// <summary>The run stops, converged, once the solver's residual is at most this. Default 1e-10; must be positive.</summary>
    public double Tolerance { get; init; } = 1e-10;

    /// <summary>The most iterations before the run stops unconverged. Default 1000; must be at least 1.</summary>
    public int MaxIterations { get; init; } = 1000;

    /// <summary>Told the iteration count and residual after every iteration, on the solver's thread; null (the default) costs nothing.</summary>
    public IProgress<SolverProgress>? Progress { get; init; }

    /// <summary>Checked before every iteration; cancelling it makes the solver throw <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Throws when <see cref="Tolerance"/> or <see cref="MaxIterations"/> is out of range.</summary>
    internal void Validate()
    {
        if (!(Tolerance > 0))
            throw new ArgumentOutOfRangeException(
                nameof(Tolerance), Tolerance,
                $"Tolerance must be positive, not {Tolerance.ToString("G3", CultureInfo.InvariantCulture)}; use e.g. 1e-10 for float64 or 1e-5 for float32.");
        if (MaxIterations < 1)
            throw new ArgumentOutOfRangeException(
                nameof(MaxIterations), MaxIterations,
                $"MaxIterations must be at least 1, not {MaxIterations}; the default is 1000.");
    }
}
