using System;
using System.Globalization;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Leibniz.Solvers;

/// <summary>
/// Newton's method on dense derivatives: minimisation from the gradient and Hessian, and root finding
/// F(x) = 0 from the residual and Jacobian. Quadratic convergence near the solution, at the cost of an
/// n × n matrix (n = number of elements of x) and a dense solve per iteration: choose it for small problems
/// (n up to a few thousand) or when high accuracy is needed; use <see cref="Lbfgs"/> otherwise.
/// </summary>
public static class Newton
{
    /// <summary>Sufficient-decrease constant of the line search ‖F(x + αd)‖ ≤ (1 − c α) ‖F(x)‖.</summary>
    const double DecreaseC = 1e-4;

    /// <summary>Halvings of α before the line search gives up (α reaches 2⁻³⁰).</summary>
    const int MaxBacktracks = 30;

    /// <summary>Minimises f from <paramref name="initial"/> by Newton steps on ∇f(x) = 0.</summary>
    /// <remarks>
    /// Each step solves ∇²f(x) d = −∇f(x) with <c>torch.linalg.solve</c>. No objective value is available, so the
    /// line search backtracks on ‖∇f‖ instead: α starts at 1 and halves (up to 30 times) until
    /// ‖∇f(x + αd)‖ ≤ (1 − 1e-4 α)‖∇f(x)‖. The Newton direction always decreases ‖∇f‖² locally, so this makes
    /// the method globally more robust — but it seeks a stationary point, which may be a saddle or maximum
    /// when the Hessian is indefinite. <see cref="SolverResult.Residual"/> is ‖∇f(x)‖ at the returned point;
    /// a failed line search stops the run unconverged.
    /// </remarks>
    /// <param name="gradient">∇f at x, shaped like x.</param>
    /// <param name="hessian">∇²f at x as a dense n × n matrix over x's elements in row-major (flattened) order.</param>
    /// <param name="initial">The starting point; its dtype and device are the solution's. Not modified.</param>
    /// <param name="options">Tolerance, iteration limit, progress and cancellation; defaults when null.</param>
    /// <exception cref="ArgumentNullException">A callback or the initial point is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">A callback returned the wrong shape, or the Hessian was singular.</exception>
    /// <exception cref="OperationCanceledException">The options' token was cancelled.</exception>
    public static SolverResult Minimize(Func<Tensor, Tensor> gradient, Func<Tensor, Tensor> hessian, Tensor initial, SolverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(hessian);
        ArgumentNullException.ThrowIfNull(initial);
        return Run("Newton.Minimize", gradient, "the gradient", hessian, "the Hessian", initial, options);
    }

    /// <summary>Solves F(x) = 0 from <paramref name="initial"/> by Newton steps with a backtracking line search.</summary>
    /// <remarks>
    /// Each step solves J(x) d = −F(x); α starts at 1 and halves (up to 30 times) until
    /// ‖F(x + αd)‖ ≤ (1 − 1e-4 α)‖F(x)‖. <see cref="SolverResult.Residual"/> is ‖F(x)‖ at the returned point.
    /// </remarks>
    /// <param name="residual">F at x, shaped like x (a square system).</param>
    /// <param name="jacobian">∂F/∂x at x as a dense n × n matrix over the flattened elements.</param>
    /// <param name="initial">The starting point; its dtype and device are the solution's. Not modified.</param>
    /// <param name="options">Tolerance, iteration limit, progress and cancellation; defaults when null.</param>
    /// <exception cref="ArgumentNullException">A callback or the initial point is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">A callback returned the wrong shape, or the Jacobian was singular.</exception>
    /// <exception cref="OperationCanceledException">The options' token was cancelled.</exception>
    public static SolverResult FindRoot(Func<Tensor, Tensor> residual, Func<Tensor, Tensor> jacobian, Tensor initial, SolverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(residual);
        ArgumentNullException.ThrowIfNull(jacobian);
        ArgumentNullException.ThrowIfNull(initial);
        return Run("Newton.FindRoot", residual, "the residual", jacobian, "the Jacobian", initial, options);
    }

    static SolverResult Run(string name, Func<Tensor, Tensor> residualOf, string residualName, Func<Tensor, Tensor> jacobianOf, string jacobianName, Tensor initial, SolverOptions? options)
    {
        using var run = new SolverRun(name, initial, options,
            "raise MaxIterations, or start closer to the solution (a stalled line search means Newton's model is poor there)",
            "start closer to the solution, or check the derivative matrix");
        var n = initial.numel();

        for (var k = 0; ; k++)
        {
            run.ThrowIfCancelled();
            using var iteration = NewDisposeScope();
            var f = residualOf(run.Current);
            run.CheckShape(f, residualName);
            var norm = SolverRun.Norm(f);
            if (k > 0) run.Report(k, norm);
            if (!double.IsFinite(norm)) return run.Diverged(k);
            if (norm <= run.Tolerance) return run.Finish(k, norm, converged: true);
            if (k == run.MaxIterations) return run.Finish(k, norm, converged: false);

            var matrix = jacobianOf(run.Current);
            if (matrix is null || !SolverRun.SameShape(matrix.shape, new[] { n, n }))
                throw new InvalidOperationException(
                    $"{name}: {jacobianName} returned shape [{(matrix is null ? "null" : string.Join(", ", matrix.shape))}]; it must be the dense [{n}, {n}] matrix over the flattened elements of x.");
            Tensor direction;
            try
            {
                direction = linalg.solve(matrix.to(run.DType), f.reshape(-1).to(run.DType).neg()).reshape(run.Shape);
            }
            catch (ExternalException e)
            {
                throw new InvalidOperationException(
                    $"{name}: {jacobianName} is singular at iteration {k} (residual {norm.ToString("G3", CultureInfo.InvariantCulture)}); start elsewhere, or regularise it (add a small multiple of the identity).", e);
            }
            if (!SolverRun.IsFinite(direction)) return run.Diverged(k);

            Tensor? accepted = null;
            var alpha = 1.0;
            for (var j = 0; j <= MaxBacktracks; j++, alpha *= 0.5)
            {
                var candidate = run.Current + alpha * direction;
                var trial = residualOf(candidate);
                run.CheckShape(trial, residualName);
                var trialNorm = SolverRun.Norm(trial);
                if (double.IsFinite(trialNorm) && trialNorm <= (1 - DecreaseC * alpha) * norm)
                {
                    accepted = candidate;
                    break;
                }
            }
            if (accepted is null) return run.Finish(k, norm, converged: false);
            run.Advance(run.Keep(iteration, accepted));
        }
    }
}
