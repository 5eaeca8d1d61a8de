using System;

namespace Leibniz;

/// <summary>
/// Declares a method as the hand-written pullback of another method, used by every generated
/// derivative that calls that method — also for methods the generator cannot see into (a library
/// call, native code) and in preference to a generated pullback.
/// </summary>
/// <remarks>
/// The signature is that of a generated pullback: the function's parameters, then <c>seed</c> (of the
/// return type), then one <c>ref</c> adjoint per <c>double</c>/<c>float</c> parameter not marked
/// <see cref="NoDerivativeAttribute"/> (an array adjoint for an array parameter, without <c>ref</c>).
/// It returns the function's value and adds <c>seed · ∂f/∂pᵢ</c> to each adjoint.
/// <code>
/// static double Softplus(double x) => Math.Log(1 + Math.Exp(x));
///
/// [Derivative(Of = nameof(Softplus))]
/// static double SoftplusPullback(double x, double seed, ref double dx)
/// {
///     var e = Math.Exp(x);
///     dx += seed * e / (1 + e);
///     return Math.Log(1 + e);
/// }
/// </code>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class DerivativeAttribute : Attribute
{
    /// <summary>The name of the function this method differentiates (<c>nameof(F)</c>).</summary>
    public string Of { get; set; } = "";

    /// <summary>The type declaring that function, when it is not the type declaring this method.</summary>
    public Type? In { get; set; }
}
