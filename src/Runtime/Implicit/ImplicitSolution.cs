using System;
using static TorchSharp.torch;

namespace Leibniz.Implicit;

/// <summary>
/// What a <see cref="SolverAttribute">[Solver]</see> may return instead of a bare tensor: the solution, and a
/// preconditioner built from what the solver already computed — a factorisation, an approximate inverse — which the
/// layer's backward reuses for its linear solve instead of starting from nothing.
/// </summary>
/// <example>
/// <code>
/// [Solver]
/// public static ImplicitSolution Solve(Tensor X, Tensor y, Tensor lambda)
/// {
///     var factor = linalg.cholesky(X.T.matmul(X) + lambda * eye(X.shape[1], dtype: X.dtype));
///     // XᵀX + λI is the condition's Jacobian: its factor solves the backward's system in one step.
///     return new ImplicitSolution(cholesky_solve(X.T.matmul(y).unsqueeze(1), factor).squeeze(1),
///         v => cholesky_solve(v.unsqueeze(1), factor).squeeze(1));
/// }
/// </code>
/// </example>
public sealed class ImplicitSolution
{
    /// <summary>Creates the solver's answer.</summary>
    /// <param name="solution">The solution x*(θ).</param>
    /// <param name="preconditioner">
    /// Applies an approximation of the inverse of the backward's system matrix, (∂F/∂x)ᵀ (for a symmetric Jacobian, of
    /// ∂F/∂x itself; for a <see cref="FixedPointAttribute">[FixedPoint]</see> T, of (I − ∂T/∂x)ᵀ; for an
    /// <see cref="ObjectiveAttribute">[Objective]</see>, of the Hessian), to a tensor shaped like the solution. The conjugate
    /// gradient, GMRES and BiCGSTAB solves use it; the others ignore it. Null for none.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="solution"/> is null.</exception>
    public ImplicitSolution(Tensor solution, Func<Tensor, Tensor>? preconditioner = null)
    {
        Solution = solution ?? throw new ArgumentNullException(nameof(solution), "An implicit layer's solver must return its solution.");
        Preconditioner = preconditioner;
    }

    /// <summary>The solution x*(θ).</summary>
    public Tensor Solution { get; }

    /// <summary>The preconditioner the backward's linear solve reuses, or null.</summary>
    public Func<Tensor, Tensor>? Preconditioner { get; }
}
