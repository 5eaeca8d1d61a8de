using Leibniz;
using Leibniz.LinearSystems;
using Leibniz.Optimization;
using Leibniz.Solvers;
using TorchSharp;
using static TorchSharp.torch;

namespace HyperparameterOptimization;

/// <summary>The lasso's weights w*(X, y, λ) = argmin ‖Xw − y‖² / (2n) + λ‖w‖₁, differentiated through the proximal-gradient fixed point.</summary>
/// <remarks>
/// The fixed point's Jacobian masks the rows of the weights that are zero, so it is not symmetric: LU, not Cholesky.
/// </remarks>
[ImplicitLayer(LinearSolver = LinearSolverKind.DenseLu)]
public static partial class LassoRegression
{
    /// <summary>
    /// The step of the fixed point below. Every η &gt; 0 has the same fixed points, the lasso's solutions, and so the same
    /// derivative there; the solver takes its own step, 1/L of the data, for speed.
    /// </summary>
    const double FixedPointStep = 0.1;

    [Solver]
    public static Tensor Solve(Tensor X, Tensor y, Tensor lambda)
    {
        var rows = X.shape[0];
        var gram = X.T.matmul(X) / rows;
        var correlation = X.T.matmul(y) / rows;
        // ∇f is Lipschitz with the largest eigenvalue of XᵀX / n, the largest step FISTA is guaranteed to converge with.
        var lipschitz = linalg.eigvalsh(gram).max().ToDouble();
        var result = ProximalGradient.Minimize(
            gradient: w => gram.matmul(w) - correlation,
            prox: (v, step) => Prox.Lasso(v, step * lambda),
            initial: zeros(X.shape[1], dtype: X.dtype, device: X.device),
            stepSize: 1 / lipschitz,
            options: new SolverOptions { Tolerance = 1e-10, MaxIterations = 100_000 });
        return result.EnsureConverged("the lasso's weights").Solution;
    }

    [FixedPoint]
    public static Tensor Step(Tensor w, Tensor X, Tensor y, Tensor lambda)
        => Prox.Lasso(w - FixedPointStep * X.T.matmul(X.matmul(w) - y) / X.shape[0], FixedPointStep * lambda);
}
