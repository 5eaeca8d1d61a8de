using System;
using static TorchSharp.torch;

namespace Leibniz.Solvers;

/// <summary>
/// Where an iterative solver stopped: the solution, how many iterations it took, the residual it reached
/// and whether that met the tolerance. A solver never throws for not converging; call
/// <see cref="EnsureConverged"/> when an unconverged answer is an error.
/// </summary>
/// <remarks>
/// <see cref="Solution"/> is a fresh tensor owned by the caller (registered in the caller's dispose scope,
/// if any); <see cref="Dispose"/> frees it.
/// </remarks>
public sealed class SolverResult : IDisposable
{
    readonly string _solver;
    readonly double _tolerance;
    readonly string _remedy;
    readonly string _divergenceRemedy;

    internal SolverResult(string solver, Tensor solution, int iterations, double residual, bool converged, double tolerance, string remedy, string divergenceRemedy)
    {
        _solver = solver;
        Solution = solution;
        Iterations = iterations;
        Residual = residual;
        _tolerance = tolerance;
        _remedy = remedy;
        _divergenceRemedy = divergenceRemedy;
        Converged = converged && !double.IsNaN(residual);
    }

    /// <summary>
    /// The last iterate: the solution when <see cref="Converged"/>; after a divergence, the last finite iterate.
    /// Same shape, dtype and device as the initial point.
    /// </summary>
    public Tensor Solution { get; }

    /// <summary>Iterations run (updates of the iterate; 0 when the initial point already met the tolerance).</summary>
    public int Iterations { get; }

    /// <summary>
    /// The solver's own stopping measure at <see cref="Solution"/> (each solver documents which); NaN when an
    /// iterate became NaN or infinite.
    /// </summary>
    public double Residual { get; }

    /// <summary>Whether <see cref="Residual"/> met the tolerance.</summary>
    public bool Converged { get; }

    /// <summary>Returns this result when it converged; otherwise throws a <see cref="SolverException"/> saying why and what to change.</summary>
    /// <param name="context">What the solve was for, put at the start of the message (e.g. "the equilibrium of layer 3"); may be null.</param>
    /// <exception cref="SolverException">The solver stopped at MaxIterations, stalled, or diverged.</exception>
    public SolverResult EnsureConverged(string? context = null)
    {
        if (Converged) return this;
        var remedy = double.IsNaN(Residual) ? _divergenceRemedy : _remedy;
        throw new SolverException(_solver, Iterations, Residual, _tolerance, remedy, context);
    }

    /// <summary>Frees <see cref="Solution"/>.</summary>
    public void Dispose() => Solution.Dispose();
}
