using System;
using System.Globalization;
using static TorchSharp.torch;

namespace Leibniz.LinearSystems;

/// <summary>
/// The outcome of a linear solve: the solution, and an honest account of how good it is. A run that stops
/// unconverged (iteration limit, breakdown, NaN) is a result, not an exception; call
/// <see cref="EnsureConverged"/> to make it one.
/// </summary>
/// <remarks>
/// The caller owns <see cref="Solution"/>: it was moved out of the solver's dispose scope into the caller's.
/// </remarks>
public sealed class LinearSolveResult
{
    internal LinearSolveResult(
        Tensor solution,
        LinearSolverKind method,
        int iterations,
        double relativeResidual,
        double tolerance,
        string? breakdown = null,
        double? normalResidual = null)
    {
        Solution = solution;
        Method = method;
        Iterations = iterations;
        RelativeResidual = relativeResidual;
        Tolerance = tolerance;
        NormalResidual = normalResidual;
        Converged = method == LinearSolverKind.LeastSquares
            ? normalResidual <= tolerance
            : relativeResidual <= tolerance;
        Breakdown = Converged ? null : breakdown;
    }

    /// <summary>The solution x, with the shape, dtype and device of the right-hand side.</summary>
    public Tensor Solution { get; }

    /// <summary>The method that produced it.</summary>
    public LinearSolverKind Method { get; }

    /// <summary>
    /// Iterative methods: the iterations run (GMRES: inner iterations over all restarts). One operator
    /// product each for conjugate gradients and GMRES, two for BiCGSTAB, a product and a transposed product
    /// for <see cref="LinearSolverKind.NormalConjugateGradient"/>; the initial and final residual checks are
    /// not counted. Dense methods: the products spent materialising the matrix, numel(b).
    /// </summary>
    public int Iterations { get; }

    /// <summary>
    /// ‖b − (A + ridge·I)x‖ / ‖b‖, measured with a fresh product after the run (not the recurrence's own
    /// estimate, which drifts in finite precision); 0 when b = 0, NaN when a NaN or infinity appeared.
    /// For <see cref="LinearSolverKind.LeastSquares"/> this is still the plain residual, which is not small
    /// for an inconsistent system; see <see cref="NormalResidual"/>.
    /// </summary>
    public double RelativeResidual { get; }

    /// <summary>
    /// Only for <see cref="LinearSolverKind.LeastSquares"/> (null otherwise): the normal-equations residual
    /// ‖Âᵀ(b − Âx)‖ / (‖Â‖_F ‖b‖) with Â = A + ridge·I, which vanishes exactly at least-squares solutions,
    /// consistent or not. The normalisation bounds it by 1 and makes it scale-free.
    /// </summary>
    public double? NormalResidual { get; }

    /// <summary>The tolerance the run was asked to reach.</summary>
    public double Tolerance { get; }

    /// <summary>
    /// <see cref="RelativeResidual"/> ≤ <see cref="Tolerance"/>; for <see cref="LinearSolverKind.LeastSquares"/>,
    /// <see cref="NormalResidual"/> ≤ <see cref="Tolerance"/> instead, because an inconsistent system has no
    /// solution with a small plain residual but does have a least-squares one.
    /// </summary>
    public bool Converged { get; }

    /// <summary>
    /// When the method stopped because it broke down (conjugate gradients met pᵀAp ≤ 0, BiCGSTAB met ρ = 0,
    /// a dense factorisation failed, …), what broke down and why; null otherwise or when the run converged anyway.
    /// </summary>
    public string? Breakdown { get; }

    /// <summary>Returns this result when it converged, and throws otherwise.</summary>
    /// <param name="context">What the solve was for (e.g. "the implicit gradient of the fixed point"), put at the head of the message.</param>
    /// <returns>This result.</returns>
    /// <exception cref="LinearSolveException">The run did not converge; the message gives the residual reached and a remedy.</exception>
    public LinearSolveResult EnsureConverged(string? context = null)
    {
        if (!Converged)
            throw new LinearSolveException(Describe(context), Method, Iterations, RelativeResidual, Tolerance);
        return this;
    }

    /// <summary>A one-line summary: method, iterations, residual, tolerance and whether it converged.</summary>
    public override string ToString()
    {
        var normal = NormalResidual is { } n ? Format($", normal-equations residual {n:E2}") : "";
        return Format($"{Method}: {(Converged ? "converged" : "not converged")} after {Iterations} iterations, relative residual {RelativeResidual:E2}{normal} (tolerance {Tolerance:E2})");
    }

    string Describe(string? context)
    {
        var head = string.IsNullOrWhiteSpace(context) ? "The linear solve" : $"The linear solve for {context}";
        var reached = NormalResidual is { } n
            ? Format($"normal-equations residual {n:E2} (relative residual {RelativeResidual:E2})")
            : Format($"relative residual {RelativeResidual:E2}");
        var cause = Breakdown is null ? "" : $" {Breakdown}.";
        if (double.IsNaN(RelativeResidual) && Breakdown is null)
            cause = " A NaN or infinity appeared: check that the operator, the right-hand side and the preconditioner give finite values.";
        return Format($"{head} did not converge: {reached} after {Iterations} {Method} iterations (tolerance {Tolerance:E2}).{cause} {Remedy()}");
    }

    string Remedy() => Method switch
    {
        LinearSolverKind.ConjugateGradient when Breakdown is not null =>
            "Conjugate gradients needs a symmetric positive definite operator: add Ridge to make a semi-definite one definite, use NormalConjugateGradient or Gmres for non-symmetric or indefinite systems, DenseLu for small ones, or LeastSquares for singular ones.",
        LinearSolverKind.DenseCholesky =>
            "Cholesky needs a symmetric positive definite operator: add Ridge, use DenseLu for non-symmetric or indefinite systems, or LeastSquares for singular ones.",
        LinearSolverKind.DenseLu =>
            "The matrix is singular or too ill-conditioned: add Ridge, or use LeastSquares for singular systems.",
        LinearSolverKind.LeastSquares =>
            "Loosen the tolerance (float32 cannot reach 1e-10), or add Ridge to regularise a nearly singular operator.",
        _ =>
            Format($"Raise MaxIterations (this run allowed {Iterations} or fewer), pass a preconditioner, or add Ridge; use NormalConjugateGradient or Gmres for non-symmetric systems, DenseLu for small ones, or LeastSquares for singular ones."),
    };

    static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
