using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Curvature;

/// <summary>
/// Extreme eigenvalues of a symmetric operator — the top of a Hessian's spectrum — by the Lanczos
/// method with full reorthogonalisation, using only operator products.
/// </summary>
/// <example>
/// <code>
/// var hessian = SymmetricOperator.OverParameters(ParameterLayout.Of(model), HessianVectorProduct);
/// using var top = Lanczos.Eigenpairs(hessian, new LanczosOptions { Count = 10 }).EnsureConverged();
/// </code>
/// </example>
public static class Lanczos
{
    /// <summary>
    /// Computes <see cref="LanczosOptions.Count"/> eigenvalues at one end of the spectrum of <paramref name="op"/>.
    /// </summary>
    /// <remarks>
    /// Each step costs one product and O(m n) vector work; convergence is checked after every step once
    /// the basis has min(n, 2k + 10) vectors (fewer would let a Ritz value settle near an inner eigenvalue
    /// before the outer one has appeared), and the run stops when all k wanted Ritz pairs have residuals
    /// within the tolerance, when the space is exhausted, or at <see cref="LanczosOptions.MaxIterations"/>.
    /// The result says which of these happened; it is not an error for the run to stop unconverged.
    /// </remarks>
    /// <param name="op">The symmetric operator.</param>
    /// <param name="options">What to compute; the defaults when null.</param>
    /// <param name="progress">Told after each step.</param>
    /// <param name="cancellationToken">Checked before each step.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range for this operator (the message says which and why).</exception>
    /// <exception cref="InvalidOperationException">The product returned a vector of the wrong shape, or a non-finite one.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static LanczosResult Eigenpairs(
        SymmetricOperator op,
        LanczosOptions? options = null,
        IProgress<LanczosProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(op);
        options ??= new LanczosOptions();
        var tolerance = options.ResolveTolerance(op);
        var maxSteps = options.ResolveMaxIterations(op);
        var wanted = options.Count;
        var firstCheck = (int)Math.Min(Math.Min(op.Dimension, maxSteps), 2L * wanted + 10);

        using var scope = NewDisposeScope();
        using var generator = new Generator(unchecked((ulong)options.Seed));
        using var recurrence = new LanczosRecurrence(op, maxSteps, generator, restartAfterBreakdown: true);
        recurrence.Start(RademacherVectors.Draw(op, generator));

        TridiagonalEigensystem? eigensystem = null;
        int[] selected = Array.Empty<int>();
        double[] residuals = Array.Empty<double>();
        var scale = 0.0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            recurrence.Step();

            var steps = recurrence.Steps;
            var last = steps == maxSteps || recurrence.Finished;
            var converged = 0;
            if (steps >= firstCheck || last)
            {
                eigensystem = recurrence.Eigensystem();
                selected = Select(eigensystem.Values, options.Which, wanted);
                scale = eigensystem.Values.Max(Math.Abs);
                // Paige: the residual of Ritz pair (θ_i, Q s_i) is β_m |S[m−1, i]|.
                residuals = selected.Select(i => recurrence.Residual * Math.Abs(eigensystem.Component(steps - 1, i))).ToArray();
                converged = residuals.Count(r => r <= tolerance * scale);
            }

            progress?.Report(new LanczosProgress(steps, maxSteps, converged, wanted));
            if (last || converged == wanted && selected.Length == wanted) break;
        }

        var eigenvalues = selected.Select(i => eigensystem!.Values[i]).ToArray();
        Tensor? eigenvectors = null;
        var measured = false;
        if (options.ComputeEigenvectors)
        {
            eigenvectors = recurrence.RitzVectors(eigensystem!, selected);
            residuals = MeasureResiduals(op, eigenvectors, eigenvalues, cancellationToken);
            measured = true;
            eigenvectors.MoveToOuterDisposeScope();
        }

        return new LanczosResult(options.Which, eigenvalues, residuals, measured, tolerance, scale, recurrence.Steps, recurrence.Restarts, eigenvectors);
    }

    /// <summary>The indices (into ascending <paramref name="values"/>) of the <paramref name="count"/> wanted ones, in result order.</summary>
    static int[] Select(double[] values, SpectrumEnd which, int count)
    {
        var order = Enumerable.Range(0, values.Length);
        var ranked = which switch
        {
            SpectrumEnd.Largest => order.OrderByDescending(i => values[i]),
            SpectrumEnd.Smallest => order.OrderBy(i => values[i]),
            SpectrumEnd.LargestMagnitude => order.OrderByDescending(i => Math.Abs(values[i])).ThenByDescending(i => values[i]),
            _ => throw new ArgumentOutOfRangeException(nameof(which), which, "Use Largest, Smallest or LargestMagnitude."),
        };
        return ranked.Take(count).ToArray();
    }

    /// <summary>‖A v_i − θ_i v_i‖ with one product per pair: an estimate-free check, which also catches a product that is not symmetric.</summary>
    static double[] MeasureResiduals(SymmetricOperator op, Tensor eigenvectors, IReadOnlyList<double> eigenvalues, CancellationToken cancellationToken)
    {
        var residuals = new double[eigenvalues.Count];
        for (var i = 0; i < residuals.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var v = eigenvectors[i];
            var residual = op.Apply(v).add(v, -eigenvalues[i]).norm().ToDouble();
            if (!double.IsFinite(residual))
                throw SymmetricOperator.NonFinite($"the residual of eigenvalue {i + 1} is {residual}");
            residuals[i] = residual;
        }

        return residuals;
    }
}
