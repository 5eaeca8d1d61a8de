using System;

namespace Leibniz;

/// <summary>
/// Declares a method as the hand-written tangent (Jacobian–vector product) of another method, which forward mode
/// uses wherever that method is called — the forward-mode counterpart of <see cref="DerivativeAttribute"/>, and
/// needed beside it: a hand-written pullback gives forward mode nothing to follow.
/// </summary>
/// <remarks>
/// The signature is that of a generated <c>FJacobianVectorProduct</c>: the function's parameters, then one tangent
/// per <c>double</c>/<c>float</c> parameter (or array of them) not marked <see cref="NoDerivativeAttribute"/>, of
/// the same type. It returns Σᵢ ∂f/∂pᵢ·dpᵢ, the derivative of the function along those tangents. Mark the tangent
/// itself <c>[Differentiable]</c> for Hessian–vector products of its callers: they run reverse mode over it.
/// <code>
/// [Derivative(Of = nameof(Softplus))]
/// static double SoftplusPullback(double x, double seed, ref double dx) { ... }
///
/// [Tangent(Of = nameof(Softplus))]
/// [Differentiable]
/// static double SoftplusTangent(double x, double dx) => dx / (1 + Math.Exp(-x));
/// </code>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class TangentAttribute : Attribute
{
    /// <summary>The name of the function this method differentiates (<c>nameof(F)</c>).</summary>
    public string Of { get; set; } = "";

    /// <summary>The type declaring that function, when it is not the type declaring this method.</summary>
    public Type? In { get; set; }
}
