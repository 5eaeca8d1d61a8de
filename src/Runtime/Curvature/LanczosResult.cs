using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using static TorchSharp.torch;

namespace Leibniz.Curvature;

/// <summary>
/// Eigenvalues found by <see cref="Lanczos.Eigenpairs"/>, each with its residual norm and whether it
/// met the tolerance. A result is returned whether or not the run converged: read
/// <see cref="Converged"/>, or call <see cref="EnsureConverged"/> to turn a shortfall into an exception.
/// </summary>
/// <remarks>
/// A converged pair is an eigenpair of the operator to within its residual. What a single-vector
/// Krylov method cannot see is multiplicity: the Krylov space of one start vector meets each
/// eigenspace in one direction, so a repeated eigenvalue shows once until that space is exhausted and
/// the run goes on in its orthogonal complement (see <see cref="Restarts"/>); likewise an eigenvector
/// orthogonal to the start vector, which a random start vector makes an event of probability zero.
/// </remarks>
public sealed class LanczosResult : IDisposable
{
    readonly double[] _eigenvalues;
    readonly double[] _residuals;

    internal LanczosResult(
        SpectrumEnd which, double[] eigenvalues, double[] residuals, bool residualsMeasured,
        double tolerance, double normEstimate, int iterations, int restarts, Tensor? eigenvectors)
    {
        Which = which;
        _eigenvalues = eigenvalues;
        _residuals = residuals;
        ResidualsMeasured = residualsMeasured;
        Tolerance = tolerance;
        NormEstimate = normEstimate;
        Iterations = iterations;
        Restarts = restarts;
        Eigenvectors = eigenvectors;
    }

    /// <summary>Which end of the spectrum was asked for; <see cref="Eigenvalues"/> are ordered from that end.</summary>
    public SpectrumEnd Which { get; }

    /// <summary>The Ritz values: largest first for <see cref="SpectrumEnd.Largest"/>, smallest first for <see cref="SpectrumEnd.Smallest"/>, largest |θ| first for <see cref="SpectrumEnd.LargestMagnitude"/>.</summary>
    public IReadOnlyList<double> Eigenvalues => _eigenvalues;

    /// <summary>
    /// ‖A v_i − θ_i v_i‖ for each eigenvalue: measured with one product per pair when eigenvectors were
    /// computed (<see cref="ResidualsMeasured"/>), otherwise the recurrence's estimate β_m |s_{m,i}|,
    /// which is exact up to rounding error for a symmetric operator.
    /// </summary>
    public IReadOnlyList<double> ResidualNorms => _residuals;

    /// <summary>Whether <see cref="ResidualNorms"/> were measured with operator products rather than estimated.</summary>
    public bool ResidualsMeasured { get; }

    /// <summary>The relative tolerance the residuals were held to.</summary>
    public double Tolerance { get; }

    /// <summary>The largest |Ritz value| seen, an estimate (from below) of ‖A‖ that scales the tolerance.</summary>
    public double NormEstimate { get; }

    /// <summary>Lanczos steps taken, which is the number of operator products (plus one per eigenvector when residuals were measured).</summary>
    public int Iterations { get; }

    /// <summary>
    /// How often the run found an invariant subspace (a residual of exactly zero to rounding error) and
    /// continued from a fresh random vector. A residual just above rounding error is normalised and
    /// continued from instead, which is equally sound and not counted.
    /// </summary>
    public int Restarts { get; }

    /// <summary>The eigenvectors as the rows of a k × n tensor (unit norm, orthogonal), when asked for; otherwise null.</summary>
    public Tensor? Eigenvectors { get; }

    /// <summary>The absolute residual bound: <see cref="Tolerance"/> × <see cref="NormEstimate"/>.</summary>
    public double ResidualBound => Tolerance * NormEstimate;

    /// <summary>Whether eigenpair <paramref name="index"/> met the tolerance.</summary>
    public bool IsConverged(int index) => _residuals[index] <= ResidualBound;

    /// <summary>How many of the eigenpairs met the tolerance.</summary>
    public int ConvergedCount => Enumerable.Range(0, _eigenvalues.Length).Count(IsConverged);

    /// <summary>Whether every eigenpair met the tolerance.</summary>
    public bool Converged => ConvergedCount == _eigenvalues.Length;

    /// <summary>Returns this result when it converged; throws otherwise.</summary>
    /// <exception cref="ConvergenceException">Some eigenpair's residual is above the tolerance; the message names it and the remedy.</exception>
    public LanczosResult EnsureConverged()
    {
        if (Converged) return this;

        var worst = Enumerable.Range(0, _eigenvalues.Length).OrderByDescending(i => _residuals[i]).First();
        throw new ConvergenceException(
            $"Lanczos did not converge: {_eigenvalues.Length - ConvergedCount} of {_eigenvalues.Length} eigenvalues have residuals above " +
            $"{G(ResidualBound)} (tolerance {G(Tolerance)} × norm estimate {G(NormEstimate)}) after {Iterations} steps; the largest is " +
            $"{G(_residuals[worst])} for eigenvalue {G(_eigenvalues[worst])}. Raise MaxIterations (each step keeps one more vector in memory) or loosen Tolerance.");
    }

    /// <summary>One line per eigenvalue with its residual and whether it converged.</summary>
    public override string ToString()
        => string.Join(
            Environment.NewLine,
            Enumerable.Range(0, _eigenvalues.Length).Select(i =>
                $"θ{i + 1} = {G(_eigenvalues[i])}  residual {G(_residuals[i])}{(IsConverged(i) ? string.Empty : "  (not converged)")}"));

    /// <summary>Disposes <see cref="Eigenvectors"/>.</summary>
    public void Dispose() => Eigenvectors?.Dispose();

    static string G(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
