namespace Leibniz.LinearSystems;

/// <summary>
/// The method that solves <c>(A + ridge·I) x = b</c> for an operator <c>A</c> known only through its products.
/// </summary>
/// <remarks>
/// The iterative methods cost one or two products per iteration and never form <c>A</c>; the dense ones
/// form it with <c>numel(b)</c> products and then cost O(n³), so they suit small systems (a few thousand
/// unknowns at most) and are the reliable fallback when an iterative method does not converge.
/// </remarks>
public enum LinearSolverKind
{
    /// <summary>
    /// Conjugate gradients, optionally preconditioned. The cheapest choice (one product per iteration, a
    /// few vectors of memory) but only for symmetric positive definite operators — a Hessian at a strict
    /// minimum, a Gauss–Newton matrix plus a ridge. On an indefinite operator it breaks down and says so.
    /// </summary>
    ConjugateGradient,

    /// <summary>
    /// Conjugate gradients on the normal equations <c>AᵀA x = Aᵀb</c> (CGNR), minimising ‖b − Ax‖ over
    /// growing Krylov spaces. Needs the transposed product. Works for any non-singular operator, symmetric
    /// or not, and its residual never grows; it squares the condition number, so it can take many more
    /// iterations than <see cref="Gmres"/> — the default for non-symmetric systems because it cannot stall
    /// or break down before the solution.
    /// </summary>
    NormalConjugateGradient,

    /// <summary>
    /// Restarted GMRES(m): Arnoldi with modified Gram–Schmidt and Givens rotations, right-preconditioned.
    /// Minimises the true residual over each Krylov space, needs no transposed product, and usually
    /// converges fastest on non-symmetric systems; memory grows with <see cref="LinearSolveOptions.Restart"/>
    /// vectors, and a short restart can stagnate on hard problems.
    /// </summary>
    Gmres,

    /// <summary>
    /// BiCGSTAB, right-preconditioned: short recurrences (constant memory, two products per iteration) for
    /// non-symmetric systems, without the transposed product. Its residual is not monotone and it can break
    /// down (ρ = 0); use <see cref="Gmres"/> or <see cref="NormalConjugateGradient"/> when it does.
    /// </summary>
    BiCgStab,

    /// <summary>
    /// Materialises <c>A</c> by applying it to the unit vectors (<c>numel(b)</c> products), then solves by LU
    /// with partial pivoting (<c>torch.linalg.solve</c>). Exact to rounding for any non-singular operator.
    /// </summary>
    DenseLu,

    /// <summary>
    /// Materialises <c>A</c>, symmetrises it as (A + Aᵀ)/2 to remove rounding asymmetry, and solves by
    /// Cholesky (<c>torch.linalg.cholesky_ex</c>, <c>cholesky_solve</c>): half the work of LU, for
    /// symmetric positive definite operators; reports a breakdown when the matrix is not positive definite.
    /// </summary>
    DenseCholesky,

    /// <summary>
    /// The minimum-norm least-squares solution, for singular or inconsistent systems: materialises <c>A</c>
    /// and applies its pseudo-inverse (<c>torch.linalg.pinv</c>, an SVD). Convergence is judged on the
    /// normal equations, since an inconsistent system has no zero residual (see <see cref="LinearSolveResult.Converged"/>).
    /// </summary>
    LeastSquares,
}
