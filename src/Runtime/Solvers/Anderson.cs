using System;
using System.Collections.Generic;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Solvers;

/// <summary>
/// Anderson acceleration of a fixed-point iteration x ← T(x): each step combines the last few iterates so as
/// to minimise the linearised residual. The usual solver for deep-equilibrium layers and other slowly
/// contracting maps, where it needs a fraction of <see cref="FixedPointIteration"/>'s evaluations of T for
/// the cost of a small least-squares solve per step.
/// </summary>
public static class Anderson
{
    const string Name = nameof(Anderson);

    /// <summary>Finds a fixed point of <paramref name="map"/> from <paramref name="initial"/> by type-II Anderson acceleration.</summary>
    /// <remarks>
    /// <para>
    /// With residuals g_k = T(x_k) − x_k and the last m differences ΔG = [g_{i+1} − g_i], ΔX = [x_{i+1} − x_i],
    /// each step solves γ = argmin ‖g_k − ΔG γ‖² + λ‖γ‖² and moves to x_{k+1} = x_k + β g_k − (ΔX + β ΔG) γ
    /// (Walker &amp; Ni 2011), β the mixing. λ is <paramref name="ridge"/> × ‖ΔG‖²_F, so the regularisation is
    /// independent of the residuals' scale; it keeps the normal equations solvable when the differences become
    /// nearly collinear, as they do near convergence. The small system is solved in float64.
    /// </para>
    /// <para><see cref="SolverResult.Residual"/> is ‖T(x) − x‖ at the returned x.</para>
    /// </remarks>
    /// <param name="map">T, returning a tensor shaped like its argument.</param>
    /// <param name="initial">The starting point; its dtype and device are the solution's. Not modified.</param>
    /// <param name="options">Tolerance, iteration limit, progress and cancellation; defaults when null.</param>
    /// <param name="memory">m, how many past residual differences enter the least-squares problem. Default 5.</param>
    /// <param name="mixing">β, positive: 1 (the default) uses T's images in full; below 1 damps a map that overshoots.</param>
    /// <param name="ridge">The relative regularisation of the least-squares solve, positive. Default 1e-10.</param>
    /// <exception cref="ArgumentNullException">The map or the initial point is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The memory, mixing, ridge or an option is out of range.</exception>
    /// <exception cref="OperationCanceledException">The options' token was cancelled.</exception>
    public static SolverResult Run(Func<Tensor, Tensor> map, Tensor initial, SolverOptions? options = null, int memory = 5, double mixing = 1.0, double ridge = 1e-10)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(initial);
        SolverRun.CheckMemory(memory);
        if (!(mixing > 0) || double.IsInfinity(mixing))
            throw new ArgumentOutOfRangeException(nameof(mixing), mixing,
                $"The mixing must be positive and finite, not {mixing.ToString("G3", CultureInfo.InvariantCulture)}; use 1, or 0.5 to damp an oscillating map.");
        if (!(ridge > 0) || double.IsInfinity(ridge))
            throw new ArgumentOutOfRangeException(nameof(ridge), ridge,
                $"The ridge must be positive and finite, not {ridge.ToString("G3", CultureInfo.InvariantCulture)}; the default 1e-10 suits most problems.");
        using var run = new SolverRun(Name, initial, options,
            "raise MaxIterations, or lower the mixing or the memory if the residual oscillates",
            "lower the mixing, or make the map a contraction (for a gradient step, lower the step size)");

        var residualChanges = new List<Tensor>(memory);
        var iterateChanges = new List<Tensor>(memory);
        Tensor? previousResidual = null;
        Tensor? previousIterate = null;
        try
        {
            for (var k = 0; ; k++)
            {
                run.ThrowIfCancelled();
                using var iteration = NewDisposeScope();
                var x = run.Current;
                var image = map(x);
                run.CheckShape(image, "the map");
                var g = (image.to(run.DType) - x).reshape(-1);
                var norm = SolverRun.Norm(g);
                if (k > 0) run.Report(k, norm);
                if (!double.IsFinite(norm)) return run.Diverged(k);
                if (norm <= run.Tolerance) return run.Finish(k, norm, converged: true);
                if (k == run.MaxIterations) return run.Finish(k, norm, converged: false);

                if (previousResidual is not null && previousIterate is not null)
                {
                    if (residualChanges.Count == memory)
                    {
                        residualChanges[0].Dispose();
                        iterateChanges[0].Dispose();
                        residualChanges.RemoveAt(0);
                        iterateChanges.RemoveAt(0);
                    }
                    residualChanges.Add(run.Keep(iteration, g - previousResidual));
                    iterateChanges.Add(run.Keep(iteration, (x - previousIterate).reshape(-1)));
                }

                var step = g * mixing;
                if (residualChanges.Count > 0)
                {
                    var dG = stack(residualChanges, dim: 1);
                    var dX = stack(iterateChanges, dim: 1);
                    var dG64 = dG.to(ScalarType.Float64);
                    var gram = dG64.t().mm(dG64);
                    var lambda = ridge * Math.Max(gram.trace().ToDouble(), 1e-300);
                    var regularised = gram + lambda * eye(gram.shape[0], dtype: ScalarType.Float64, device: gram.device);
                    var gamma = linalg.solve(regularised, dG64.t().mv(g.to(ScalarType.Float64))).to(run.DType);
                    step = step - (dX + mixing * dG).mv(gamma);
                }

                var next = run.Keep(iteration, (x.reshape(-1) + step).reshape(run.Shape));
                if (!SolverRun.IsFinite(next)) return run.Diverged(k);
                previousResidual?.Dispose();
                previousResidual = run.Keep(iteration, g);
                previousIterate?.Dispose();
                previousIterate = run.Exchange(next);
            }
        }
        finally
        {
            foreach (var t in residualChanges) t.Dispose();
            foreach (var t in iterateChanges) t.Dispose();
            previousResidual?.Dispose();
            previousIterate?.Dispose();
        }
    }
}
