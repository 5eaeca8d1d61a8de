using System;

namespace Leibniz.LinearSystems;

/// <summary>
/// How far and how long a linear solve runs. Every value is checked when it is set, so an instance is
/// always valid.
/// </summary>
public sealed record LinearSolveOptions
{
    /// <summary>The defaults: tolerance 1e-10, 1000 iterations, no ridge, GMRES restart 30.</summary>
    public static LinearSolveOptions Default { get; } = new();

    /// <summary>
    /// The target relative residual ‖b − (A + ridge·I)x‖ / ‖b‖. The default 1e-10 suits float64; for float32
    /// ask for no less than about 1e-5, since rounding alone leaves a residual near 1e-7·cond(A).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive, or is NaN.</exception>
    public double Tolerance
    {
        get;
        init => field = value > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Tolerance), value, $"The tolerance must be positive (got {value}); use e.g. 1e-10 for float64, 1e-5 for float32.");
    } = 1e-10;

    /// <summary>
    /// The most iterations of an iterative method (for GMRES, the total number of inner iterations over all
    /// restarts). A run that reaches it stops unconverged; dense methods ignore it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxIterations
    {
        get;
        init => field = value >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxIterations), value, $"MaxIterations must be at least 1 (got {value}); the default is 1000.");
    } = 1000;

    /// <summary>
    /// A shift added to the operator: every method solves <c>(A + Ridge·I) x = b</c>. A small ridge makes a
    /// positive semi-definite operator definite (and a singular one invertible), at the price of a bias of
    /// order Ridge/λ in the directions of small eigenvalues λ.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, infinite or NaN.</exception>
    public double Ridge
    {
        get;
        init => field = value >= 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Ridge), value, $"The ridge must be finite and at least 0 (got {value}); use 0 for none, or a small positive value such as 1e-6·‖A‖ to regularise.");
    }

    /// <summary>
    /// The GMRES restart length m: the Krylov basis kept before restarting, so memory is m + 1 vectors.
    /// Longer restarts converge in fewer iterations on hard problems; shorter ones cost less per iteration.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int Restart
    {
        get;
        init => field = value >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Restart), value, $"The GMRES restart length must be at least 1 (got {value}); the default is 30.");
    } = 30;
}
