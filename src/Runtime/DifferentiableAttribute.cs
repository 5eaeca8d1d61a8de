using System;

namespace Leibniz;

/// <summary>
/// Asks the generator for reverse-mode derivative code of a method, written at build time as
/// readable C# in the same (partial) type. For a static method <c>double F(double x, double[] y)</c>
/// it emits <c>FWithGradient</c>, which returns the value and writes the gradient, and
/// <c>FPullback</c>, which takes a seed and accumulates into adjoints — what other
/// <c>[Differentiable]</c> methods call when they call <c>F</c>. <see cref="Modes"/> asks for forward
/// mode (<c>FTangent</c>) and Hessian–vector products as well.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class DifferentiableAttribute : Attribute
{
    /// <summary>
    /// The parameters the gradient is taken with respect to, by name (<c>nameof(x)</c>); empty means
    /// every <c>double</c>/<c>float</c> (or array) parameter not marked <see cref="NoDerivativeAttribute"/>.
    /// </summary>
    public string[] Wrt { get; set; } = Array.Empty<string>();

    /// <summary>
    /// The derivatives to generate besides reverse mode, which is always generated:
    /// <see cref="DerivativeModes.Forward"/> for <c>FTangent</c> and <c>FJacobianVectorProduct</c>,
    /// <see cref="DerivativeModes.HessianVectorProduct"/> for <c>FHessianVectorProduct</c> as well.
    /// When forward mode cannot follow the method (a call whose only derivative is a hand-written
    /// pullback, say), warning LZ0109 says why and the reverse-mode methods are generated alone.
    /// </summary>
    public DerivativeModes Modes { get; set; } = DerivativeModes.Reverse;
}
