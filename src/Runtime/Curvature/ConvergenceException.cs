using System;

namespace Leibniz.Curvature;

/// <summary>
/// An iterative curvature computation did not reach its tolerance, and the caller asked for a
/// converged answer (for instance through <see cref="LanczosResult.EnsureConverged"/>). The message
/// gives the residuals reached and what to change.
/// </summary>
public sealed class ConvergenceException : Exception
{
    /// <summary>Creates the exception with a message naming the residuals and a remedy.</summary>
    public ConvergenceException(string message)
        : base(message)
    {
    }
}
