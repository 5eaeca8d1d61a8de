using Leibniz;
using static TorchSharp.torch;

namespace HyperparameterOptimization;

/// <summary>
/// How well weights fitted on the training part predict the validation part, as a function of log λ: the objective
/// of the hyperparameter search. The generator differentiates each through its layer's solver implicitly.
/// </summary>
public static partial class ValidationLosses
{
    /// <summary>Searching in log λ keeps λ positive and makes equal steps equal ratios, matching how λ's effect scales.</summary>
    [Differentiable]
    public static Tensor Ridge(Tensor X, Tensor y, Tensor logLambda, Tensor Xv, Tensor yv)
        => (Xv.matmul(RidgeRegression.Solve(X, y, logLambda.exp())) - yv).square().mean();

    [Differentiable]
    public static Tensor Lasso(Tensor X, Tensor y, Tensor logLambda, Tensor Xv, Tensor yv)
        => (Xv.matmul(LassoRegression.Solve(X, y, logLambda.exp())) - yv).square().mean();
}
