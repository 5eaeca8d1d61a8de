using Leibniz;
using Leibniz.LinearSystems;
using static TorchSharp.torch;

namespace HyperparameterOptimization;

/// <summary>Ridge regression's weights w*(X, y, λ) = argmin ½‖Xw − y‖² + ½λ‖w‖², differentiated through its optimality condition.</summary>
/// <remarks>
/// The condition's Jacobian in w is XᵀX + λI, symmetric positive definite and only features × features, so a dense
/// Cholesky factorisation solves the backward's system exactly; an iterative solver would add its tolerance to the gradient.
/// </remarks>
[ImplicitLayer(LinearSolver = LinearSolverKind.DenseCholesky)]
public static partial class RidgeRegression
{
    [Solver]
    public static Tensor Solve(Tensor X, Tensor y, Tensor lambda)
        => linalg.solve(X.T.matmul(X) + lambda * eye(X.shape[1], dtype: X.dtype, device: X.device), X.T.matmul(y));

    [OptimalityCondition]
    public static Tensor Condition(Tensor w, Tensor X, Tensor y, Tensor lambda) => X.T.matmul(X.matmul(w) - y) + lambda * w;
}
