using Leibniz;
using Leibniz.LinearSystems;
using Leibniz.Optimization;
using Leibniz.Solvers;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Implicit;

/// <summary>The lasso's weights as the fixed point of a proximal-gradient step (step 0.01), solved by FISTA.</summary>
[ImplicitLayer]
public static partial class LassoByProximalStep
{
    [Solver]
    public static Tensor Solve(Tensor X, Tensor y, Tensor lambda)
    {
        var stepSize = 1.0 / linalg.matrix_norm(X, ord: 2).square().item<double>();
        var threshold = lambda.item<double>();
        return ProximalGradient.Minimize(w => X.T.matmul(X.matmul(w) - y), (v, eta) => Prox.Lasso(v, tensor(eta * threshold, dtype: v.dtype)),
            zeros(X.shape[1], dtype: X.dtype), stepSize, new SolverOptions { Tolerance = 1e-13, MaxIterations = 20000 }).EnsureConverged().Solution;
    }

    [FixedPoint]
    public static Tensor Step(Tensor w, Tensor X, Tensor y, Tensor lambda) => Prox.Lasso(w - 0.01 * X.T.matmul(X.matmul(w) - y), 0.01 * lambda);
}

/// <summary>The same lasso, its backward solved densely.</summary>
[ImplicitLayer(LinearSolver = LinearSolverKind.DenseLu)]
public static partial class LassoDense
{
    [Solver] public static Tensor Solve(Tensor X, Tensor y, Tensor lambda) => LassoByProximalStep.Solve(X, y, lambda);
    [FixedPoint] public static Tensor Step(Tensor w, Tensor X, Tensor y, Tensor lambda) => Prox.Lasso(w - 0.01 * X.T.matmul(X.matmul(w) - y), 0.01 * lambda);
}

/// <summary>
/// An equality-constrained quadratic programme, min ½xᵀQx + cᵀx subject to Ax = b, by its KKT conditions on z = [x; ν]:
/// Qx + c + Aᵀν = 0 and Ax − b = 0 (a symmetric indefinite system).
/// </summary>
[ImplicitLayer(LinearSolver = LinearSolverKind.Gmres)]
public static partial class QuadraticProgramme
{
    [Solver]
    public static Tensor Solve(Tensor Q, Tensor c, Tensor A, Tensor b) => QuadraticProgrammeClosedForm.Solve(Q, c, A, b);

    [OptimalityCondition]
    public static Tensor Kkt(Tensor z, Tensor Q, Tensor c, Tensor A, Tensor b)
    {
        var n = Q.shape[0];
        var x = z.narrow(0, 0, n);
        var nu = z.narrow(0, n, A.shape[0]);
        return cat(new[] { Q.matmul(x) + c + A.T.matmul(nu), A.matmul(x) - b }, 0);
    }
}

/// <summary>The same programme, its backward solved densely.</summary>
[ImplicitLayer(LinearSolver = LinearSolverKind.DenseLu)]
public static partial class QuadraticProgrammeDense
{
    [Solver] public static Tensor Solve(Tensor Q, Tensor c, Tensor A, Tensor b) => QuadraticProgrammeClosedForm.Solve(Q, c, A, b);

    [OptimalityCondition]
    public static Tensor Kkt(Tensor z, Tensor Q, Tensor c, Tensor A, Tensor b)
    {
        var n = Q.shape[0];
        var x = z.narrow(0, 0, n);
        var nu = z.narrow(0, n, A.shape[0]);
        return cat(new[] { Q.matmul(x) + c + A.T.matmul(nu), A.matmul(x) - b }, 0);
    }
}

public static class QuadraticProgrammeClosedForm
{
    /// <summary>[x; ν] from the KKT matrix [[Q, Aᵀ], [A, 0]]: on autograd's tape when its inputs are.</summary>
    public static Tensor Solve(Tensor Q, Tensor c, Tensor A, Tensor b)
    {
        var m = A.shape[0];
        var top = cat(new[] { Q, A.T }, 1);
        var bottom = cat(new[] { A, zeros(m, m, dtype: A.dtype) }, 1);
        return linalg.solve(cat(new[] { top, bottom }, 0), cat(new[] { -c, b }, 0));
    }
}

/// <summary>The Euclidean projection of θ onto the probability simplex, as the fixed point of x ↦ P(x − ½(x − θ)).</summary>
[ImplicitLayer(LinearSolver = LinearSolverKind.Gmres)]
public static partial class SimplexProjection
{
    [Solver] public static Tensor Solve(Tensor theta) => Projection.Simplex(theta, tensor(1.0, dtype: theta.dtype));

    [FixedPoint]
    public static Tensor Step(Tensor x, Tensor theta) => Projection.Simplex(x - 0.5 * (x - theta), ones_like(x.sum()));
}

/// <summary>
/// A nonlinear least-squares fit, y ≈ a·exp(k·t), as an objective minimised by Gauss–Newton: the fitted (a, k) as
/// functions of the data y.
/// </summary>
[ImplicitLayer]
public static partial class ExponentialFit
{
    [Solver]
    public static Tensor Solve(Tensor t, Tensor y)
    {
        var p = tensor(new[] { 1.0, 0.0 }, dtype: y.dtype);
        for (var i = 0; i < 100; i++)
        {
            var (a, k) = (p[0], p[1]);
            var e = (k * t).exp();
            var residual = a * e - y;
            var jacobian = stack(new[] { e, a * t * e }, 1);
            var step = linalg.solve(jacobian.T.matmul(jacobian), jacobian.T.matmul(residual));
            p = p - step;
            if (step.abs().max().item<double>() < 1e-15) break;
        }

        return p;
    }

    [Objective]
    public static Tensor Misfit(Tensor p, Tensor t, Tensor y)
    {
        var a = p.narrow(0, 0, 1);
        var k = p.narrow(0, 1, 1);
        return 0.5 * (a * (k * t).exp() - y).square().sum();
    }
}

/// <summary>
/// min ½xᵀQx + cᵀx subject to Gx ≤ h with Q diagonal and G = I: x = min(−c/q, h) componentwise. The solution stacks x
/// and the multipliers μ, and the condition is the runtime's KKT residual.
/// </summary>
[ImplicitLayer(LinearSolver = LinearSolverKind.Gmres, Tolerance = 1e-12)]
public static partial class BoundedQuadratic
{
    [Solver]
    public static Tensor Solve(Tensor q, Tensor c, Tensor G, Tensor h)
    {
        var x = minimum(-c / q, h);
        var multipliers = (-(q * x + c)).clamp_min(0);
        return cat(new[] { x, multipliers }, 0);
    }

    [OptimalityCondition]
    public static Tensor Kkt(Tensor z, Tensor q, Tensor c, Tensor G, Tensor h)
    {
        var n = q.shape[0];
        var x = z.narrow(0, 0, n);
        var multipliers = z.narrow(0, n, n);
        return Leibniz.Optimization.Kkt.InequalityConstrained(q * x + c, G, h, x, multipliers);
    }
}

/// <summary>The minimiser of ½‖x − θ‖² on the simplex, as the fixed point of the entropic mirror step (η = 0.5).</summary>
[ImplicitLayer(LinearSolver = LinearSolverKind.Gmres, Tolerance = 1e-12)]
public static partial class EntropicProjection
{
    [Solver]
    public static Tensor Solve(Tensor theta) => Projection.Simplex(theta, tensor(1.0, dtype: theta.dtype));

    [FixedPoint]
    public static Tensor Step(Tensor x, Tensor theta) => Mirror.EntropicStep(x, x - theta, 0.5 * ones_like(x.sum()));
}
