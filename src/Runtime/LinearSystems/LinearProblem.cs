using System;
using System.Linq;
using System.Threading;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.LinearSystems;

/// <summary>
/// One validated system (A + ridge·I) x = b as the algorithms see it: products that check the caller's
/// delegates, inner products over all elements, and the final, independently measured residual.
/// </summary>
/// <remarks>
/// The algorithms update only vectors they created (in place, so a long run allocates nothing that outlives
/// an iteration) and treat whatever <c>apply</c> returns as read-only: a delegate may return its argument,
/// or a view of it.
/// </remarks>
internal sealed class LinearProblem
{
    readonly Func<Tensor, Tensor> apply;
    readonly Func<Tensor, Tensor>? applyTransposed;
    readonly Func<Tensor, Tensor>? preconditioner;

    LinearProblem(
        LinearSolverKind method,
        Func<Tensor, Tensor> apply,
        Func<Tensor, Tensor>? applyTransposed,
        Func<Tensor, Tensor>? preconditioner,
        Tensor rhs,
        LinearSolveOptions options,
        CancellationToken cancellationToken)
    {
        Method = method;
        this.apply = apply;
        this.applyTransposed = applyTransposed;
        this.preconditioner = preconditioner;
        Rhs = rhs;
        Options = options;
        CancellationToken = cancellationToken;
    }

    public LinearSolverKind Method { get; }

    public Tensor Rhs { get; }

    public LinearSolveOptions Options { get; }

    public CancellationToken CancellationToken { get; }

    public double Ridge => Options.Ridge;

    public bool IsPreconditioned => preconditioner is not null;

    /// <summary>Checks the arguments every method shares; the per-method ones are checked by the caller.</summary>
    public static LinearProblem Create(
        LinearSolverKind method,
        Func<Tensor, Tensor> apply,
        Tensor rhs,
        LinearSolveOptions? options,
        Func<Tensor, Tensor>? applyTransposed = null,
        Func<Tensor, Tensor>? preconditioner = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(apply);
        CheckRhs(rhs);
        cancellationToken.ThrowIfCancellationRequested();
        return new LinearProblem(method, apply, applyTransposed, preconditioner, rhs, options ?? LinearSolveOptions.Default, cancellationToken);
    }

    public static void CheckRhs(Tensor rhs, string name = "rhs")
    {
        ArgumentNullException.ThrowIfNull(rhs, name);
        if (!rhs.is_floating_point())
            throw new ArgumentException($"The right-hand side has dtype {rhs.dtype}; the solvers need a floating-point tensor (convert it with .to(ScalarType.Float64) or Float32).", name);
    }

    /// <summary>
    /// The starting point, owned by the caller's dispose scope and safe to update in place: zeros, or a copy
    /// of the guess in b's dtype and on b's device.
    /// </summary>
    public Tensor Start(Tensor? initialGuess)
    {
        if (initialGuess is null)
            return zeros_like(Rhs);
        if (!initialGuess.shape.SequenceEqual(Rhs.shape))
            throw new ArgumentException($"The initial guess has shape {Shape(initialGuess)} but the right-hand side has shape {Shape(Rhs)}; pass a guess shaped like the right-hand side, or none.", nameof(initialGuess));
        return initialGuess.to(Rhs.dtype, Rhs.device).clone();
    }

    /// <summary>(A + ridge·I) x.</summary>
    public Tensor Apply(Tensor x) => Shifted(apply(x), x, nameof(apply));

    /// <summary>(A + ridge·I)ᵀ x = Aᵀx + ridge·x.</summary>
    public Tensor ApplyTransposed(Tensor x) => Shifted(applyTransposed!(x), x, nameof(applyTransposed));

    /// <summary>M⁻¹ x, or x itself without a preconditioner.</summary>
    public Tensor Precondition(Tensor x) => preconditioner is null ? x : Checked(preconditioner(x), x, nameof(preconditioner));

    Tensor Shifted(Tensor product, Tensor x, string name)
    {
        Checked(product, x, name);
        return Ridge == 0 ? product : product.add(x, Ridge);
    }

    Tensor Checked(Tensor product, Tensor x, string name)
    {
        if (product is null)
            throw new ArgumentException($"The delegate {name} returned null for a tensor of shape {Shape(x)}; it must return a tensor of the same shape.", name);
        if (!product.shape.SequenceEqual(x.shape))
            throw new ArgumentException($"The delegate {name} returned a tensor of shape {Shape(product)} for one of shape {Shape(x)}; an operator for the linear solvers must map tensors shaped like the right-hand side to the same shape.", name);
        if (product.dtype != x.dtype)
            throw new ArgumentException($"The delegate {name} returned dtype {product.dtype} for dtype {x.dtype}; it must keep the right-hand side's dtype.", name);
        return product;
    }

    /// <summary>Σ a·b over all elements: the Euclidean inner product of the flattened tensors.</summary>
    public static double Dot(Tensor a, Tensor b)
    {
        using var product = a.mul(b);
        using var sum = product.sum();
        return sum.ToDouble();
    }

    public static double Norm(Tensor a) => Math.Sqrt(Dot(a, a));

    public static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";

    /// <summary>‖b − (A + ridge·I)x‖, with one fresh product.</summary>
    public double ResidualNorm(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Norm(Rhs.sub(Apply(x)));
    }

    /// <summary>
    /// The result for <paramref name="x"/>, with the residual measured afresh unless the algorithm has just
    /// measured it (<paramref name="residualNorm"/>).
    /// </summary>
    public LinearSolveResult Finish(Tensor x, double rhsNorm, int iterations, string? breakdown = null, double? residualNorm = null)
    {
        var relative = (residualNorm ?? ResidualNorm(x)) / rhsNorm;
        if (!double.IsFinite(relative))
            relative = double.NaN;
        return new LinearSolveResult(x.MoveToOuterDisposeScope(), Method, iterations, relative, Options.Tolerance, breakdown);
    }

    /// <summary>b = 0 has the solution 0 for every operator, singular or not: no product is needed.</summary>
    public LinearSolveResult ZeroSolution() =>
        new(zeros_like(Rhs).MoveToOuterDisposeScope(), Method, 0, 0, Options.Tolerance, normalResidual: Method == LinearSolverKind.LeastSquares ? 0 : null);

    public LinearSolveResult NotFinite(Tensor x, int iterations) =>
        new(x.MoveToOuterDisposeScope(), Method, iterations, double.NaN, Options.Tolerance,
            "A NaN or infinity appeared in the iteration: check that the operator, the right-hand side and the preconditioner give finite values");
}
