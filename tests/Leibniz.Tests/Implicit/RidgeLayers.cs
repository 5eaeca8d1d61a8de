using Leibniz;
using Leibniz.LinearSystems;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Implicit;

/// <summary>Ridge regression's weights w*(X, y, λ) = (XᵀX + λI)⁻¹Xᵀy, as three implicit layers: one per kind of condition.</summary>
public static class RidgeClosedForm
{
    public static Tensor Solve(Tensor X, Tensor y, Tensor lambda)
        => linalg.solve(X.T.matmul(X) + lambda * eye(X.shape[1], dtype: X.dtype, device: X.device), X.T.matmul(y));
}

/// <summary>Ridge by its optimality condition F(w) = Xᵀ(Xw − y) + λw = 0.</summary>
[ImplicitLayer]
public static partial class RidgeByCondition
{
    [Solver]
    public static Tensor Solve(Tensor X, Tensor y, Tensor lambda) => RidgeClosedForm.Solve(X, y, lambda);

    [OptimalityCondition]
    public static Tensor Condition(Tensor w, Tensor X, Tensor y, Tensor lambda) => X.T.matmul(X.matmul(w) - y) + lambda * w;
}

/// <summary>Ridge as the fixed point of a gradient step, T(w) = w − η∇f(w), with η = 0.01.</summary>
[ImplicitLayer]
public static partial class RidgeByFixedPoint
{
    [Solver]
    public static Tensor Solve(Tensor X, Tensor y, Tensor lambda) => RidgeClosedForm.Solve(X, y, lambda);

    [FixedPoint]
    public static Tensor Step(Tensor w, Tensor X, Tensor y, Tensor lambda) => w - 0.01 * (X.T.matmul(X.matmul(w) - y) + lambda * w);
}

/// <summary>Ridge as the minimiser of f(w) = ½‖Xw − y‖² + ½λ‖w‖².</summary>
[ImplicitLayer]
public static partial class RidgeByObjective
{
    [Solver]
    public static Tensor Solve(Tensor X, Tensor y, Tensor lambda) => RidgeClosedForm.Solve(X, y, lambda);

    [Objective]
    public static Tensor Loss(Tensor w, Tensor X, Tensor y, Tensor lambda) => 0.5 * (X.matmul(w) - y).square().sum() + 0.5 * lambda * w.square().sum();
}

/// <summary>Ridge by its condition with each linear solver for the backward's system (XᵀX + λI, symmetric positive definite).</summary>
[ImplicitLayer(LinearSolver = LinearSolverKind.ConjugateGradient)]
public static partial class RidgeByConjugateGradient
{
    [Solver] public static Tensor Solve(Tensor X, Tensor y, Tensor lambda) => RidgeClosedForm.Solve(X, y, lambda);
    [OptimalityCondition] public static Tensor Condition(Tensor w, Tensor X, Tensor y, Tensor lambda) => X.T.matmul(X.matmul(w) - y) + lambda * w;
}

[ImplicitLayer(LinearSolver = LinearSolverKind.Gmres)]
public static partial class RidgeByGmres
{
    [Solver] public static Tensor Solve(Tensor X, Tensor y, Tensor lambda) => RidgeClosedForm.Solve(X, y, lambda);
    [OptimalityCondition] public static Tensor Condition(Tensor w, Tensor X, Tensor y, Tensor lambda) => X.T.matmul(X.matmul(w) - y) + lambda * w;
}

[ImplicitLayer(LinearSolver = LinearSolverKind.BiCgStab)]
public static partial class RidgeByBiCgStab
{
    [Solver] public static Tensor Solve(Tensor X, Tensor y, Tensor lambda) => RidgeClosedForm.Solve(X, y, lambda);
    [OptimalityCondition] public static Tensor Condition(Tensor w, Tensor X, Tensor y, Tensor lambda) => X.T.matmul(X.matmul(w) - y) + lambda * w;
}

[ImplicitLayer(LinearSolver = LinearSolverKind.DenseLu)]
public static partial class RidgeByDenseLu
{
    [Solver] public static Tensor Solve(Tensor X, Tensor y, Tensor lambda) => RidgeClosedForm.Solve(X, y, lambda);
    [OptimalityCondition] public static Tensor Condition(Tensor w, Tensor X, Tensor y, Tensor lambda) => X.T.matmul(X.matmul(w) - y) + lambda * w;
}

[ImplicitLayer(LinearSolver = LinearSolverKind.DenseCholesky)]
public static partial class RidgeByDenseCholesky
{
    [Solver] public static Tensor Solve(Tensor X, Tensor y, Tensor lambda) => RidgeClosedForm.Solve(X, y, lambda);
    [OptimalityCondition] public static Tensor Condition(Tensor w, Tensor X, Tensor y, Tensor lambda) => X.T.matmul(X.matmul(w) - y) + lambda * w;
}

[ImplicitLayer(LinearSolver = LinearSolverKind.LeastSquares)]
public static partial class RidgeByLeastSquares
{
    [Solver] public static Tensor Solve(Tensor X, Tensor y, Tensor lambda) => RidgeClosedForm.Solve(X, y, lambda);
    [OptimalityCondition] public static Tensor Condition(Tensor w, Tensor X, Tensor y, Tensor lambda) => X.T.matmul(X.matmul(w) - y) + lambda * w;
}

/// <summary>A backward allowed one iteration of conjugate gradient, which cannot solve a 6-dimensional system.</summary>
[ImplicitLayer(LinearSolver = LinearSolverKind.ConjugateGradient, MaxIterations = 1)]
public static partial class RidgeStarved
{
    [Solver] public static Tensor Solve(Tensor X, Tensor y, Tensor lambda) => RidgeClosedForm.Solve(X, y, lambda);
    [OptimalityCondition] public static Tensor Condition(Tensor w, Tensor X, Tensor y, Tensor lambda) => X.T.matmul(X.matmul(w) - y) + lambda * w;
}

/// <summary>A solver that stops short of the solution: its answer is off by 1e-3 in every weight.</summary>
[ImplicitLayer]
public static partial class RidgeInexact
{
    [Solver] public static Tensor Solve(Tensor X, Tensor y, Tensor lambda) => RidgeClosedForm.Solve(X, y, lambda) + 1e-3;
    [OptimalityCondition] public static Tensor Condition(Tensor w, Tensor X, Tensor y, Tensor lambda) => X.T.matmul(X.matmul(w) - y) + lambda * w;
}

/// <summary>User code that calls an implicit layer: the validation loss of ridge weights fitted on training data.</summary>
public static partial class HyperparameterLosses
{
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static Tensor ValidationLoss(Tensor X, Tensor y, Tensor lambda, Tensor Xv, Tensor yv)
    {
        var w = RidgeByCondition.Solve(X, y, lambda);
        return (Xv.matmul(w) - yv).square().mean();
    }

    [Differentiable]
    public static Tensor ValidationLossByFixedPoint(Tensor X, Tensor y, Tensor logLambda, Tensor Xv, Tensor yv)
        => (Xv.matmul(RidgeByFixedPoint.Solve(X, y, logLambda.exp())) - yv).square().mean();
}

/// <summary>A model whose Forward fits ridge weights on its training buffers, λ = exp(logLambda) being its parameter.</summary>
[Model]
public partial class RidgePredictor
{
    [Parameter] Tensor logLambda;
    [Buffer] Tensor features;
    [Buffer] Tensor targets;

    public RidgePredictor(Tensor features, Tensor targets, double lambda)
    {
        this.features = features;
        this.targets = targets;
        logLambda = tensor(Math.Log(lambda), dtype: ScalarType.Float64);
    }

    [Differentiable]
    public Tensor Forward(Tensor inputs) => inputs.matmul(RidgeByCondition.Solve(features, targets, logLambda.exp()));
}

public static partial class HyperparameterSweeps
{
    /// <summary>The validation losses at λ, 2λ, 4λ, … summed: the layer called in a loop, its solution overwritten each time.</summary>
    [Differentiable]
    public static Tensor LossesOverScales(Tensor X, Tensor y, Tensor lambda, Tensor Xv, Tensor yv, int scales)
    {
        var total = zeros_like(lambda);
        var scaled = lambda;
        for (var i = 0; i < scales; i++)
        {
            var w = RidgeByObjective.Solve(X, y, scaled);
            total = total + (Xv.matmul(w) - yv).square().mean();
            scaled = scaled * 2.0;
        }

        return total;
    }
}

/// <summary>Ridge by 400 gradient steps of size 0.1 (converged on the tests' scaled problem), differentiated through them on the tape.</summary>
[ImplicitLayer(Mode = ImplicitMode.Unrolled)]
public static partial class RidgeUnrolled
{
    [Solver]
    public static Tensor Solve(Tensor X, Tensor y, Tensor lambda)
    {
        var w = zeros(X.shape[1], dtype: X.dtype);
        for (var i = 0; i < 400; i++) w = w - 0.1 * (X.T.matmul(X.matmul(w) - y) + lambda * w);
        return w;
    }

    [OptimalityCondition] public static Tensor Condition(Tensor w, Tensor X, Tensor y, Tensor lambda) => X.T.matmul(X.matmul(w) - y) + lambda * w;
}

/// <summary>Ridge whose backward takes at most three conjugate-gradient steps, converged or not.</summary>
[ImplicitLayer(Mode = ImplicitMode.Truncated, LinearSolver = LinearSolverKind.ConjugateGradient, MaxIterations = 3)]
public static partial class RidgeTruncated
{
    [Solver] public static Tensor Solve(Tensor X, Tensor y, Tensor lambda) => RidgeClosedForm.Solve(X, y, lambda);
    [OptimalityCondition] public static Tensor Condition(Tensor w, Tensor X, Tensor y, Tensor lambda) => X.T.matmul(X.matmul(w) - y) + lambda * w;
}

/// <summary>A gradient-step fixed point solved by conjugate gradient: its system I − ∂T/∂x is positive definite.</summary>
[ImplicitLayer(LinearSolver = LinearSolverKind.ConjugateGradient)]
public static partial class RidgeByFixedPointAndConjugateGradient
{
    [Solver] public static Tensor Solve(Tensor X, Tensor y, Tensor lambda) => RidgeClosedForm.Solve(X, y, lambda);
    [FixedPoint] public static Tensor Step(Tensor w, Tensor X, Tensor y, Tensor lambda) => w - 0.01 * (X.T.matmul(X.matmul(w) - y) + lambda * w);
}

/// <summary>
/// Ridge whose solver factorises XᵀX + λI and hands the factor to the backward: the conjugate-gradient solve, so
/// preconditioned by the exact inverse, converges at once — within the one iteration it is allowed.
/// </summary>
[ImplicitLayer(LinearSolver = LinearSolverKind.ConjugateGradient, MaxIterations = 1)]
public static partial class RidgeFactorised
{
    [Solver]
    public static Leibniz.Implicit.ImplicitSolution Solve(Tensor X, Tensor y, Tensor lambda)
    {
        var factor = linalg.cholesky(X.T.matmul(X) + lambda * eye(X.shape[1], dtype: X.dtype));
        var w = cholesky_solve(X.T.matmul(y).unsqueeze(1), factor).squeeze(1);
        return new Leibniz.Implicit.ImplicitSolution(w, v => cholesky_solve(v.unsqueeze(1), factor).squeeze(1));
    }

    [OptimalityCondition] public static Tensor Condition(Tensor w, Tensor X, Tensor y, Tensor lambda) => X.T.matmul(X.matmul(w) - y) + lambda * w;
}

public static partial class FactorisedLosses
{
    [Differentiable]
    public static Tensor ValidationLoss(Tensor X, Tensor y, Tensor lambda, Tensor Xv, Tensor yv)
        => (Xv.matmul(RidgeFactorised.Solve(X, y, lambda).Solution) - yv).square().mean();
}

/// <summary>An objective that is not a scalar.</summary>
[ImplicitLayer]
public static partial class NotAScalar
{
    [Solver] public static Tensor Solve(Tensor a) => a;
    [Objective] public static Tensor Loss(Tensor x, Tensor a) => (x - a).square();
}
