using Leibniz.Optimization;
using Leibniz.Solvers;
using static TorchSharp.torch;

namespace Leibniz.Benchmarks.Implicit;

/// <summary>
/// Ridge weights w*(X, y, λ) as the fixed point of a gradient step, solved by <c>steps</c> plain steps from zero. The
/// solver is the same loop (<see cref="Loops.Ridge"/>) that the unrolled side records on the tape, so the two differ only
/// in how they are differentiated. The backward's system is ∂F = ∂T − I = −η(XᵀX + λI): symmetric but negative definite, which
/// conjugate gradient refuses, so GMRES solves it.
/// </summary>
[ImplicitLayer(LinearSolver = LinearSystems.LinearSolverKind.Gmres)]
public static partial class RidgeGradientDescent
{
    [Solver]
    public static Tensor Solve(Tensor X, Tensor y, Tensor lambda, [NoDerivative] double eta, int steps) => Loops.Ridge(X, y, lambda, eta, steps);

    [FixedPoint]
    public static Tensor Step(Tensor w, Tensor X, Tensor y, Tensor lambda, [NoDerivative] double eta, int steps)
        => w - eta * (X.T.matmul(X.matmul(w) - y) + lambda * w);
}

/// <summary>
/// <see cref="RidgeGradientDescent"/> with the check of the solver's answer turned off: what a caller gets who asks for
/// the implicit gradient at an iterate that is not a solution.
/// </summary>
[ImplicitLayer(LinearSolver = LinearSystems.LinearSolverKind.Gmres, ResidualTolerance = double.PositiveInfinity)]
public static partial class RidgeGradientDescentUnchecked
{
    [Solver]
    public static Tensor Solve(Tensor X, Tensor y, Tensor lambda, [NoDerivative] double eta, int steps) => Loops.Ridge(X, y, lambda, eta, steps);

    [FixedPoint]
    public static Tensor Step(Tensor w, Tensor X, Tensor y, Tensor lambda, [NoDerivative] double eta, int steps)
        => w - eta * (X.T.matmul(X.matmul(w) - y) + lambda * w);
}

/// <summary>
/// Lasso weights, argmin ½‖Xw − y‖² + λ‖w‖₁, solved by FISTA from the runtime and defined by the proximal-gradient
/// fixed point w = prox_{ηλ‖·‖₁}(w − η∇f(w)).
/// </summary>
[ImplicitLayer]
public static partial class LassoProximalGradient
{
    [Solver]
    public static Tensor Solve(Tensor X, Tensor y, Tensor lambda, [NoDerivative] double eta, int steps)
    {
        // A tolerance no iterate meets, so FISTA runs its whole budget like the unrolled loop it is compared with.
        var options = new SolverOptions { MaxIterations = steps, Tolerance = double.Epsilon };
        var result = ProximalGradient.Minimize(
            w => X.T.matmul(X.matmul(w) - y),
            (v, t) => Prox.Lasso(v, lambda * t),
            zeros(X.shape[1], dtype: X.dtype), eta, options);
        return result.Solution;
    }

    [FixedPoint]
    public static Tensor Step(Tensor w, Tensor X, Tensor y, Tensor lambda, [NoDerivative] double eta, int steps)
        => Prox.Lasso(w - eta * X.T.matmul(X.matmul(w) - y), lambda * eta);
}

/// <summary>
/// A deep equilibrium layer: the fixed point z = tanh(Wz + Ux + b) for a batch of columns x. Its Jacobian is not symmetric
/// and, with W's spectral norm at 0.97, I − ∂T/∂z is nearly singular: GMRES, not the normal equations, whose conjugate
/// gradient would square that condition number.
/// </summary>
[ImplicitLayer(LinearSolver = LinearSystems.LinearSolverKind.Gmres)]
public static partial class DeepEquilibrium
{
    [Solver]
    public static Tensor Solve(Tensor W, Tensor U, Tensor x, Tensor b, int steps) => Loops.Equilibrium(W, U, x, b, steps);

    [FixedPoint]
    public static Tensor Map(Tensor z, Tensor W, Tensor U, Tensor x, Tensor b, int steps) => (W.matmul(z) + U.matmul(x) + b).tanh();
}
