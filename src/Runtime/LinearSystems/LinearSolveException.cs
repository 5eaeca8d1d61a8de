using System;

namespace Leibniz.LinearSystems;

/// <summary>
/// A linear solve did not converge and the caller asked for a converged answer through
/// <see cref="LinearSolveResult.EnsureConverged"/>. The message names the method, the iterations run, the
/// residual reached, the tolerance, what broke down if anything did, and what to change.
/// </summary>
public sealed class LinearSolveException : Exception
{
    /// <summary>Creates the exception with a message and the figures it reports.</summary>
    /// <param name="message">The explanation, naming the residual and a remedy.</param>
    /// <param name="method">The method that failed.</param>
    /// <param name="iterations">The iterations it ran.</param>
    /// <param name="relativeResidual">The relative residual it reached (NaN when a NaN appeared).</param>
    /// <param name="tolerance">The tolerance it was asked to reach.</param>
    public LinearSolveException(string message, LinearSolverKind method, int iterations, double relativeResidual, double tolerance)
        : base(message)
    {
        Method = method;
        Iterations = iterations;
        RelativeResidual = relativeResidual;
        Tolerance = tolerance;
    }

    /// <summary>The method that did not converge.</summary>
    public LinearSolverKind Method { get; }

    /// <summary>The iterations it ran (see <see cref="LinearSolveResult.Iterations"/>).</summary>
    public int Iterations { get; }

    /// <summary>The relative residual ‖b − (A + ridge·I)x‖ / ‖b‖ it reached; NaN when a NaN appeared.</summary>
    public double RelativeResidual { get; }

    /// <summary>The tolerance it was asked to reach.</summary>
    public double Tolerance { get; }
}
