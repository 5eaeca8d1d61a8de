using System;
using Leibniz.LinearSystems;

namespace Leibniz;

/// <summary>
/// Makes a <c>static partial</c> class an implicit layer: a solution x*(θ) computed by any C# code (its
/// <see cref="SolverAttribute">[Solver]</see> method, never differentiated) and defined by a condition it satisfies —
/// <see cref="OptimalityConditionAttribute">[OptimalityCondition]</see> F(x, θ) = 0,
/// <see cref="FixedPointAttribute">[FixedPoint]</see> T(x, θ) = x, or
/// <see cref="ObjectiveAttribute">[Objective]</see> x* = argmin f(x, θ). The generator writes <c>Apply(θ…)</c>, which
/// runs the solver, checks the condition's residual at the solution and attaches the solution to TorchSharp's autograd;
/// its gradient comes from the implicit function theorem: (∂ₓF)ᵀu = v is solved matrix-free with the condition's generated
/// pullback and Jacobian–vector product, and −(∂_θF)ᵀu is returned for every tensor argument not marked
/// <see cref="NoDerivativeAttribute">[NoDerivative]</see>. Also <c>ApplyPullback</c> (the tape-free reverse mode, which
/// <c>[Differentiable]</c> methods and <c>[Model]</c>s that call the layer run), <c>ApplyTangent</c> and
/// <c>ApplyJacobianVectorProduct</c> (forward mode).
/// </summary>
/// <example>
/// <code>
/// [ImplicitLayer]
/// public static partial class Ridge
/// {
///     [Solver]
///     public static Tensor Solve(Tensor X, Tensor y, Tensor lambda)
///         => linalg.solve(X.T.matmul(X) + lambda * eye(X.shape[1], dtype: X.dtype), X.T.matmul(y));
///
///     [OptimalityCondition]
///     public static Tensor Condition(Tensor w, Tensor X, Tensor y, Tensor lambda)
///         => X.T.matmul(X.matmul(w) - y) + lambda * w;
/// }
/// // Ridge.Apply(X, y, lambda) is w*, differentiable in X, y and lambda.
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class ImplicitLayerAttribute : Attribute
{
    /// <summary>
    /// The method that solves the backward's linear system. When not set: conjugate gradient for an
    /// <see cref="ObjectiveAttribute">[Objective]</see> (its Jacobian is a Hessian, symmetric), conjugate gradient on the
    /// normal equations otherwise (any invertible Jacobian).
    /// </summary>
    public LinearSolverKind LinearSolver { get; set; } = LinearSolverKind.NormalConjugateGradient;

    /// <summary>
    /// The relative residual at which the backward's linear solve stops: ‖v − Aᵀu‖ ≤ tolerance·‖v‖. Unset, it follows the
    /// solution's precision: 1e-10 in float64, 1e-5 in float32 and below.
    /// </summary>
    public double Tolerance { get; set; }

    /// <summary>The most iterations the backward's linear solve may take; beyond them the gradient is refused.</summary>
    public int MaxIterations { get; set; } = 1000;

    /// <summary>
    /// A shift added to the Jacobian in the backward's linear system, (∂ₓF + ridge·I)ᵀu = v: for a nearly singular
    /// Jacobian, at the price of a biased gradient. Zero by default.
    /// </summary>
    public double Ridge { get; set; }

    /// <summary>
    /// How small the condition must be at the solver's answer: ‖F(x*, θ)‖ ≤ ResidualTolerance·max(1, ‖x*‖), checked on
    /// every <c>Apply</c>. An answer that fails it raises <see cref="Implicit.ImplicitLayerException"/>: the implicit
    /// gradient is only the derivative of a solution. Unset, it follows the solution's precision: 1e-6 in float64, 1e-4 in
    /// float32 and below. <see cref="double.PositiveInfinity"/> turns the check off.
    /// </summary>
    public double ResidualTolerance { get; set; }

    /// <summary>
    /// How the solution is differentiated: <see cref="ImplicitMode.Implicit"/> (the default), <see cref="ImplicitMode.Unrolled"/>
    /// through the solver's iterations, or <see cref="ImplicitMode.Truncated"/> with a linear solve allowed to stop short.
    /// </summary>
    public ImplicitMode Mode { get; set; }
}
