using System;
using System.Globalization;

namespace Leibniz.Solvers;

/// <summary>
/// An iterative solver did not reach its tolerance, or diverged, and the caller asked for a converged
/// answer through <see cref="SolverResult.EnsureConverged"/>. The message names the solver, the iterations
/// run, the residual reached, the tolerance, and what to change.
/// </summary>
public sealed class SolverException : Exception
{
    /// <summary>Creates the exception; the message is built from the arguments.</summary>
    /// <param name="solver">The solver's name, e.g. <c>"GradientDescent"</c>.</param>
    /// <param name="iterations">Iterations run.</param>
    /// <param name="residual">The residual reached; NaN when the iteration diverged.</param>
    /// <param name="tolerance">The tolerance asked for.</param>
    /// <param name="remedy">What the caller could change, as a clause.</param>
    /// <param name="context">What the solve was for, prefixed to the message; may be null.</param>
    public SolverException(string solver, int iterations, double residual, double tolerance, string remedy, string? context = null)
        : base(Describe(solver, iterations, residual, tolerance, remedy, context))
    {
        Solver = solver;
        Iterations = iterations;
        Residual = residual;
        Tolerance = tolerance;
    }

    /// <summary>The solver's name.</summary>
    public string Solver { get; }

    /// <summary>Iterations run before the solver stopped.</summary>
    public int Iterations { get; }

    /// <summary>The residual reached; NaN when an iterate became NaN or infinite.</summary>
    public double Residual { get; }

    /// <summary>The tolerance asked for.</summary>
    public double Tolerance { get; }

    static string Describe(string solver, int iterations, double residual, double tolerance, string remedy, string? context)
    {
        var prefix = string.IsNullOrEmpty(context) ? "" : context + ": ";
        var tol = tolerance.ToString("G3", CultureInfo.InvariantCulture);
        var what = double.IsNaN(residual)
            ? $"{solver} diverged: an iterate became NaN or infinite after {iterations} iterations (residual NaN, tolerance {tol})"
            : $"{solver} did not converge: residual {residual.ToString("G3", CultureInfo.InvariantCulture)} after {iterations} iterations (tolerance {tol})";
        return $"{prefix}{what}; {remedy}.";
    }
}
