using System;
using System.Collections.Generic;
using System.Threading;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Curvature;

/// <summary>
/// The whole spectrum of a symmetric operator at a glance: its eigenvalue density by stochastic
/// Lanczos quadrature (Golub and Meurant; Ubaru, Chen and Saad 2017; applied to neural-network
/// Hessians by Ghorbani, Krishnan and Xiao 2019), from a few hundred operator products.
/// </summary>
public static class StochasticLanczosQuadrature
{
    /// <summary>
    /// Runs <see cref="SpectralDensityOptions.Runs"/> Lanczos recurrences of
    /// <see cref="SpectralDensityOptions.Steps"/> steps from random unit vectors with ±1/√n entries, and
    /// returns the average of their Gauss quadrature rules.
    /// </summary>
    /// <remarks>
    /// For a start vector v = Σ_i c_i u_i in the eigenbasis, ∫ f dμ_v = Σ_i c_i² f(λ_i) = vᵀ f(A) v, and
    /// E[c_i²] = 1/n for these vectors, so the expected measure is the spectral density. m Lanczos steps
    /// give the m-node Gauss rule of μ_v: nodes θ_k (eigenvalues of T) and weights τ_k² (squared first
    /// components of T's eigenvectors). Each recurrence is fully reorthogonalised: without it, converged
    /// Ritz values repeat and their weights split, which distorts the outliers' mass. A run whose
    /// Krylov space becomes invariant stops early with an exact rule for its vector.
    /// </remarks>
    /// <param name="op">The symmetric operator.</param>
    /// <param name="options">Runs, steps and seed; the defaults when null.</param>
    /// <param name="progress">Told after each Lanczos step.</param>
    /// <param name="cancellationToken">Checked before each step.</param>
    /// <exception cref="ArgumentOutOfRangeException">Runs or Steps is below 1.</exception>
    /// <exception cref="InvalidOperationException">The product returned a vector of the wrong shape, or a non-finite one.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static SpectralDensity Density(
        SymmetricOperator op,
        SpectralDensityOptions? options = null,
        IProgress<SpectralDensityProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(op);
        options ??= new SpectralDensityOptions();
        options.Validate();

        var steps = (int)Math.Min(options.Steps, op.Dimension);
        var nodes = new List<double>();
        var weights = new List<double>();
        var stepsPerRun = new int[options.Runs];
        var runTraces = new double[options.Runs];

        using var scope = NewDisposeScope();
        using var generator = new Generator(unchecked((ulong)options.Seed));
        for (var run = 0; run < options.Runs; run++)
        {
            using var recurrence = new LanczosRecurrence(op, steps, generator, restartAfterBreakdown: false);
            recurrence.Start(RademacherVectors.Draw(op, generator));
            while (recurrence.Steps < steps && !recurrence.Finished)
            {
                cancellationToken.ThrowIfCancellationRequested();
                recurrence.Step();
                progress?.Report(new SpectralDensityProgress(run + 1, options.Runs, recurrence.Steps, steps));
            }

            var eigensystem = recurrence.Eigensystem();
            var trace = 0.0;
            for (var k = 0; k < eigensystem.Size; k++)
            {
                var tau = eigensystem.Component(0, k);
                nodes.Add(eigensystem.Values[k]);
                weights.Add(tau * tau / options.Runs);
                trace += tau * tau * eigensystem.Values[k];
            }

            stepsPerRun[run] = recurrence.Steps;
            runTraces[run] = op.Dimension * trace;
        }

        return new SpectralDensity(op.Dimension, nodes.ToArray(), weights.ToArray(), stepsPerRun, runTraces);
    }
}
