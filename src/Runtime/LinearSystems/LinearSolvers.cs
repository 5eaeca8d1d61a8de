using System;
using System.Threading;
using static TorchSharp.torch;

namespace Leibniz.LinearSystems;

/// <summary>
/// Solves (A + ridge·I) x = b for a linear operator A given only as a function computing products — a
/// Hessian- or Jacobian-vector product, for instance, as in the backward pass of implicit differentiation.
/// </summary>
/// <remarks>
/// <para>
/// Tensors of any shape are treated as flattened vectors: <c>apply</c> maps a tensor shaped like b to one of
/// the same shape, and inner products sum over all elements. Everything runs under <c>torch.no_grad()</c>,
/// in b's dtype and on b's device, and every temporary is disposed; the solution is the caller's.
/// </para>
/// <para>
/// Choosing a method: <see cref="ConjugateGradient"/> for symmetric positive definite operators;
/// <see cref="Gmres"/> or <see cref="BiCgStab"/> for non-symmetric ones when no transposed product exists,
/// <see cref="NormalConjugateGradient"/> when it does and robustness matters more than speed;
/// <see cref="DenseLu"/> / <see cref="DenseCholesky"/> for small systems (a few thousand unknowns) or as the
/// fallback; <see cref="LeastSquares"/> for singular or inconsistent systems.
/// </para>
/// <para>
/// A run that stops short (iteration limit, breakdown, a NaN) returns an unconverged
/// <see cref="LinearSolveResult"/> whose residual is measured honestly; <see cref="LinearSolveResult.EnsureConverged"/>
/// turns that into a <see cref="LinearSolveException"/>. Bad arguments throw at once.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// // The implicit gradient's adjoint: solve Hᵀ λ = ḡ with Hessian-vector products.
/// var lambda = LinearSolvers.ConjugateGradient(v => HessianVectorProduct(v), gradient,
///     new LinearSolveOptions { Tolerance = 1e-8, Ridge = 1e-6 }).EnsureConverged("the implicit gradient").Solution;
/// </code>
/// </example>
public static class LinearSolvers
{
    /// <summary>Solves (A + ridge·I) x = b with the method <paramref name="kind"/>.</summary>
    /// <remarks>
    /// Arguments a method does not use are ignored: the initial guess and preconditioner by the dense
    /// methods, the preconditioner by <see cref="LinearSolverKind.NormalConjugateGradient"/>, the transposed
    /// product by all but <see cref="LinearSolverKind.NormalConjugateGradient"/>. This lets a caller offer
    /// everything it has and leave the choice of method to its user.
    /// </remarks>
    /// <param name="kind">The method.</param>
    /// <param name="apply">x ↦ Ax, mapping a tensor shaped like <paramref name="rhs"/> to one of the same shape and dtype.</param>
    /// <param name="rhs">b, a floating-point tensor of any shape.</param>
    /// <param name="options">Tolerance, iteration limit, ridge, restart; <see cref="LinearSolveOptions.Default"/> when null.</param>
    /// <param name="applyTransposed">x ↦ Aᵀx; required by <see cref="LinearSolverKind.NormalConjugateGradient"/>.</param>
    /// <param name="initialGuess">Where an iterative method starts (zeros when null); shaped like <paramref name="rhs"/>.</param>
    /// <param name="preconditioner">x ↦ M⁻¹x with M ≈ A + ridge·I, for the preconditioned iterative methods.</param>
    /// <param name="cancellationToken">Checked before every iteration and every product of materialisation.</param>
    /// <returns>The solution and how good it is.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="apply"/> or <paramref name="rhs"/> is null.</exception>
    /// <exception cref="ArgumentException">b is not floating point; a delegate returned another shape or dtype; the initial guess has another shape; <see cref="LinearSolverKind.NormalConjugateGradient"/> was chosen without <paramref name="applyTransposed"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined method.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static LinearSolveResult Solve(
        LinearSolverKind kind,
        Func<Tensor, Tensor> apply,
        Tensor rhs,
        LinearSolveOptions? options = null,
        Func<Tensor, Tensor>? applyTransposed = null,
        Tensor? initialGuess = null,
        Func<Tensor, Tensor>? preconditioner = null,
        CancellationToken cancellationToken = default) => kind switch
    {
        LinearSolverKind.ConjugateGradient => ConjugateGradient(apply, rhs, options, initialGuess, preconditioner, cancellationToken),
        LinearSolverKind.NormalConjugateGradient => NormalConjugateGradient(apply, applyTransposed!, rhs, options, initialGuess, cancellationToken),
        LinearSolverKind.Gmres => Gmres(apply, rhs, options, initialGuess, preconditioner, cancellationToken),
        LinearSolverKind.BiCgStab => BiCgStab(apply, rhs, options, initialGuess, preconditioner, cancellationToken),
        LinearSolverKind.DenseLu => DenseLu(apply, rhs, options, cancellationToken),
        LinearSolverKind.DenseCholesky => DenseCholesky(apply, rhs, options, cancellationToken),
        LinearSolverKind.LeastSquares => LeastSquares(apply, rhs, options, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a LinearSolverKind; choose one of its named values."),
    };

    /// <summary>
    /// Preconditioned conjugate gradients, for symmetric positive definite A + ridge·I: one product per
    /// iteration, converging in about √cond iterations (√cond of M⁻¹A with a preconditioner).
    /// </summary>
    /// <remarks>
    /// On an operator that is not positive definite the method meets a direction of non-positive curvature
    /// (pᵀAp ≤ 0); it stops there and reports the breakdown rather than returning a wrong answer. When the
    /// recurrence's residual reaches the tolerance, a fresh product confirms it; on a mismatch the iteration
    /// continues from the true residual.
    /// </remarks>
    /// <param name="apply">x ↦ Ax, symmetric positive definite (with the ridge).</param>
    /// <param name="rhs">b, a floating-point tensor of any shape.</param>
    /// <param name="options">Tolerance, iteration limit, ridge; <see cref="LinearSolveOptions.Default"/> when null.</param>
    /// <param name="initialGuess">Where to start (zeros when null).</param>
    /// <param name="preconditioner">x ↦ M⁻¹x, symmetric positive definite, with M ≈ A + ridge·I (a Jacobi preconditioner divides by the diagonal).</param>
    /// <param name="cancellationToken">Checked before every iteration.</param>
    /// <returns>The solution and how good it is.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="apply"/> or <paramref name="rhs"/> is null.</exception>
    /// <exception cref="ArgumentException">b is not floating point; a delegate returned another shape or dtype; the initial guess has another shape.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static LinearSolveResult ConjugateGradient(
        Func<Tensor, Tensor> apply,
        Tensor rhs,
        LinearSolveOptions? options = null,
        Tensor? initialGuess = null,
        Func<Tensor, Tensor>? preconditioner = null,
        CancellationToken cancellationToken = default) =>
        ConjugateGradientSolver.Solve(
            LinearProblem.Create(LinearSolverKind.ConjugateGradient, apply, rhs, options, preconditioner: preconditioner, cancellationToken: cancellationToken),
            initialGuess);

    /// <summary>
    /// Conjugate gradients on the normal equations (CGNR), for any non-singular A, symmetric or not: each
    /// iteration costs a product and a transposed product, and ‖b − Ax‖ never increases.
    /// </summary>
    /// <remarks>
    /// The normal equations square the condition number, so this needs more iterations than
    /// <see cref="Gmres"/> on well-behaved problems; in exchange it cannot stagnate or break down short of a
    /// least-squares solution. On a singular, inconsistent system it stops at that least-squares solution and
    /// says so (use <see cref="LeastSquares"/> for the minimum-norm one).
    /// </remarks>
    /// <param name="apply">x ↦ Ax.</param>
    /// <param name="applyTransposed">x ↦ Aᵀx, the adjoint of <paramref name="apply"/> (a vector-Jacobian product where apply is a Jacobian-vector product).</param>
    /// <param name="rhs">b, a floating-point tensor of any shape.</param>
    /// <param name="options">Tolerance, iteration limit, ridge; <see cref="LinearSolveOptions.Default"/> when null.</param>
    /// <param name="initialGuess">Where to start (zeros when null).</param>
    /// <param name="cancellationToken">Checked before every iteration.</param>
    /// <returns>The solution and how good it is.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="apply"/> or <paramref name="rhs"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="applyTransposed"/> is null; b is not floating point; a delegate returned another shape or dtype; the initial guess has another shape.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static LinearSolveResult NormalConjugateGradient(
        Func<Tensor, Tensor> apply,
        Func<Tensor, Tensor> applyTransposed,
        Tensor rhs,
        LinearSolveOptions? options = null,
        Tensor? initialGuess = null,
        CancellationToken cancellationToken = default)
    {
        var problem = LinearProblem.Create(LinearSolverKind.NormalConjugateGradient, apply, rhs, options, applyTransposed, cancellationToken: cancellationToken);
        if (applyTransposed is null)
            throw new ArgumentException("NormalConjugateGradient needs the transposed product x ↦ Aᵀx: pass applyTransposed (for a Jacobian-vector product, the matching vector-Jacobian product), or use Gmres or BiCgStab, which need only apply.", nameof(applyTransposed));
        return NormalConjugateGradientSolver.Solve(problem, initialGuess);
    }

    /// <summary>
    /// Restarted GMRES(m), right-preconditioned: for non-symmetric A without a transposed product; usually the
    /// fewest products of the iterative methods, at the cost of keeping m + 1 basis vectors
    /// (<see cref="LinearSolveOptions.Restart"/>).
    /// </summary>
    /// <remarks>
    /// <see cref="LinearSolveOptions.MaxIterations"/> counts inner iterations over all cycles. A cycle that
    /// does not reduce the residual at all ends the run as stagnated (raise the restart length, or use a
    /// dense method). Right preconditioning keeps the monitored residual the true one, so the tolerance
    /// means the same with or without a preconditioner.
    /// </remarks>
    /// <param name="apply">x ↦ Ax.</param>
    /// <param name="rhs">b, a floating-point tensor of any shape.</param>
    /// <param name="options">Tolerance, iteration limit, ridge, restart; <see cref="LinearSolveOptions.Default"/> when null.</param>
    /// <param name="initialGuess">Where to start (zeros when null).</param>
    /// <param name="preconditioner">x ↦ M⁻¹x with M ≈ A + ridge·I; applied on the right (A M⁻¹ u = b, x = M⁻¹u).</param>
    /// <param name="cancellationToken">Checked before every iteration.</param>
    /// <returns>The solution and how good it is.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="apply"/> or <paramref name="rhs"/> is null.</exception>
    /// <exception cref="ArgumentException">b is not floating point; a delegate returned another shape or dtype; the initial guess has another shape.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static LinearSolveResult Gmres(
        Func<Tensor, Tensor> apply,
        Tensor rhs,
        LinearSolveOptions? options = null,
        Tensor? initialGuess = null,
        Func<Tensor, Tensor>? preconditioner = null,
        CancellationToken cancellationToken = default) =>
        GmresSolver.Solve(
            LinearProblem.Create(LinearSolverKind.Gmres, apply, rhs, options, preconditioner: preconditioner, cancellationToken: cancellationToken),
            initialGuess);

    /// <summary>
    /// BiCGSTAB, right-preconditioned: for non-symmetric A without a transposed product, in constant memory
    /// (two products per iteration).
    /// </summary>
    /// <remarks>
    /// Its residual can rise and fall, and it can break down when ρ = r̂ᵀr or ω vanishes; it then stops and
    /// reports the breakdown. <see cref="Gmres"/> is the steadier choice when memory allows.
    /// </remarks>
    /// <param name="apply">x ↦ Ax.</param>
    /// <param name="rhs">b, a floating-point tensor of any shape.</param>
    /// <param name="options">Tolerance, iteration limit, ridge; <see cref="LinearSolveOptions.Default"/> when null.</param>
    /// <param name="initialGuess">Where to start (zeros when null).</param>
    /// <param name="preconditioner">x ↦ M⁻¹x with M ≈ A + ridge·I; applied on the right.</param>
    /// <param name="cancellationToken">Checked before every iteration.</param>
    /// <returns>The solution and how good it is.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="apply"/> or <paramref name="rhs"/> is null.</exception>
    /// <exception cref="ArgumentException">b is not floating point; a delegate returned another shape or dtype; the initial guess has another shape.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static LinearSolveResult BiCgStab(
        Func<Tensor, Tensor> apply,
        Tensor rhs,
        LinearSolveOptions? options = null,
        Tensor? initialGuess = null,
        Func<Tensor, Tensor>? preconditioner = null,
        CancellationToken cancellationToken = default) =>
        BiCgStabSolver.Solve(
            LinearProblem.Create(LinearSolverKind.BiCgStab, apply, rhs, options, preconditioner: preconditioner, cancellationToken: cancellationToken),
            initialGuess);

    /// <summary>
    /// Materialises A + ridge·I (numel(b) products) and solves by LU with partial pivoting
    /// (<c>torch.linalg.solve_ex</c>): for small systems of any kind, and the fallback when an iterative
    /// method does not converge. An exactly singular matrix is reported as a breakdown.
    /// </summary>
    /// <param name="apply">x ↦ Ax.</param>
    /// <param name="rhs">b, a floating-point tensor of any shape.</param>
    /// <param name="options">Tolerance (for the reported convergence) and ridge; <see cref="LinearSolveOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Checked before every product.</param>
    /// <returns>The solution; <see cref="LinearSolveResult.Iterations"/> is the number of products, numel(b).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="apply"/> or <paramref name="rhs"/> is null.</exception>
    /// <exception cref="ArgumentException">b is not floating point; <paramref name="apply"/> returned another shape.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static LinearSolveResult DenseLu(
        Func<Tensor, Tensor> apply,
        Tensor rhs,
        LinearSolveOptions? options = null,
        CancellationToken cancellationToken = default) =>
        DenseSolver.Solve(LinearProblem.Create(LinearSolverKind.DenseLu, apply, rhs, options, cancellationToken: cancellationToken), apply);

    /// <summary>
    /// Materialises A + ridge·I, symmetrises it, and solves by Cholesky: half the cost of <see cref="DenseLu"/>
    /// for small symmetric positive definite systems. A matrix that is not positive definite is reported as a
    /// breakdown.
    /// </summary>
    /// <param name="apply">x ↦ Ax, symmetric positive definite (with the ridge).</param>
    /// <param name="rhs">b, a floating-point tensor of any shape.</param>
    /// <param name="options">Tolerance (for the reported convergence) and ridge; <see cref="LinearSolveOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Checked before every product.</param>
    /// <returns>The solution; <see cref="LinearSolveResult.Iterations"/> is the number of products, numel(b).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="apply"/> or <paramref name="rhs"/> is null.</exception>
    /// <exception cref="ArgumentException">b is not floating point; <paramref name="apply"/> returned another shape.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static LinearSolveResult DenseCholesky(
        Func<Tensor, Tensor> apply,
        Tensor rhs,
        LinearSolveOptions? options = null,
        CancellationToken cancellationToken = default) =>
        DenseSolver.Solve(LinearProblem.Create(LinearSolverKind.DenseCholesky, apply, rhs, options, cancellationToken: cancellationToken), apply);

    /// <summary>
    /// The minimum-norm least-squares solution pinv(A + ridge·I)·b, for singular or inconsistent systems:
    /// materialises the matrix and applies its pseudo-inverse (<c>torch.linalg.pinv</c>, by SVD).
    /// </summary>
    /// <remarks>
    /// pinv rather than <c>lstsq</c>: the SVD gives the minimum-norm solution of a rank-deficient system on
    /// every device (libtorch's CUDA <c>lstsq</c> offers only a full-rank driver), and TorchSharp exposes no
    /// <c>lstsq</c>. Singular values below max(n)·ε·σ_max count as zero. Convergence is judged by the
    /// normal-equations residual <see cref="LinearSolveResult.NormalResidual"/>, since an inconsistent
    /// system has no small plain residual; <see cref="LinearSolveResult.RelativeResidual"/> still reports
    /// the plain one.
    /// </remarks>
    /// <param name="apply">x ↦ Ax.</param>
    /// <param name="rhs">b, a floating-point tensor of any shape.</param>
    /// <param name="options">Tolerance (on the normal-equations residual) and ridge; <see cref="LinearSolveOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Checked before every product.</param>
    /// <returns>The solution; <see cref="LinearSolveResult.Iterations"/> is the number of products, numel(b).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="apply"/> or <paramref name="rhs"/> is null.</exception>
    /// <exception cref="ArgumentException">b is not floating point; <paramref name="apply"/> returned another shape.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static LinearSolveResult LeastSquares(
        Func<Tensor, Tensor> apply,
        Tensor rhs,
        LinearSolveOptions? options = null,
        CancellationToken cancellationToken = default) =>
        DenseSolver.Solve(LinearProblem.Create(LinearSolverKind.LeastSquares, apply, rhs, options, cancellationToken: cancellationToken), apply);

    /// <summary>
    /// The n×n matrix of the linear operator <paramref name="apply"/> on tensors shaped like
    /// <paramref name="like"/> (n = numel): column j is apply(e_j) flattened, e_j the j-th unit tensor in
    /// row-major order. Costs n products; computed under <c>torch.no_grad()</c> in <paramref name="like"/>'s
    /// dtype and on its device.
    /// </summary>
    /// <param name="apply">x ↦ Ax, mapping a tensor shaped like <paramref name="like"/> to the same shape.</param>
    /// <param name="like">A tensor with the shape, dtype and device to use; its values are not read.</param>
    /// <returns>The matrix, owned by the caller.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="apply"/> or <paramref name="like"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="apply"/> returned another shape.</exception>
    public static Tensor Materialize(Func<Tensor, Tensor> apply, Tensor like)
    {
        ArgumentNullException.ThrowIfNull(apply);
        ArgumentNullException.ThrowIfNull(like);
        return OperatorMatrix.Build(apply, like, 0, CancellationToken.None);
    }
}
