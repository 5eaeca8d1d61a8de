using Leibniz;
using Leibniz.LinearSystems;
using Leibniz.Optimization;
using Leibniz.Solvers;
using static TorchSharp.torch;

namespace QuadraticProgrammingLayer;

/// <summary>
/// The allocation x*(c) = argmin ½ xᵀQx + cᵀx over the probability simplex, one problem per row of c. The solver is
/// projected gradient descent; the gradient comes from the projected-gradient fixed point x = Π(x − η(Qx + c)), which
/// holds exactly at the minimiser, so the backward never looks at the solver's iterations.
/// </summary>
/// <remarks>
/// On the support S of x*, I − ∂T/∂x is I − P_S(I − ηQ) with P_S the projection's Jacobian: not symmetric, so GMRES
/// rather than conjugate gradient. Its rows are independent problems, so the system is block diagonal and GMRES needs
/// at most a handful of distinct Krylov directions per support size. The tolerance matches the solver's, so neither
/// hides behind the other in the program's central-difference check.
/// </remarks>
[ImplicitLayer(LinearSolver = LinearSolverKind.Gmres, Tolerance = 1e-12)]
public static partial class SimplexQuadraticProgram
{
    [Solver]
    public static Tensor Solve(Tensor c, [NoDerivative] Tensor Q, [NoDerivative] Tensor stepSize)
    {
        using var sum = tensor(1.0, dtype: c.dtype, device: c.device);
        using var start = full_like(c, 1.0 / c.shape[^1]);
        var options = new SolverOptions { Tolerance = 1e-12, MaxIterations = 5000 };
        return ProjectedGradient.Minimize(x => x.matmul(Q) + c, x => Projection.Simplex(x, sum), start, stepSize.item<double>(), options)
            .EnsureConverged(nameof(SimplexQuadraticProgram)).Solution;
    }

    // Q is symmetric, so the row form xQ is the batch of Qx. The sum is built from x because creating a tensor is not
    // differentiable code; ones_like of a 0-dim tensor gives the scalar 1 the projection needs.
    [FixedPoint]
    public static Tensor Step(Tensor x, Tensor c, [NoDerivative] Tensor Q, [NoDerivative] Tensor stepSize)
        => Projection.Simplex(x - stepSize * (x.matmul(Q) + c), ones_like(x.sum()));
}
