using System;

namespace Leibniz;

/// <summary>
/// Asks the generator for reverse-mode derivative code of a method, written at build time as
/// readable C# in the same (partial) type. For a static method <c>double F(double x, double[] y)</c>
/// it emits <c>FWithGradient</c>, which returns the value and writes the gradient, and
/// <c>FPullback</c>, which takes a seed and accumulates into adjoints — what other
/// <c>[Differentiable]</c> methods call when they call <c>F</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class DifferentiableAttribute : Attribute
{
    /// <summary>
    /// The parameters the gradient is taken with respect to, by name (<c>nameof(x)</c>); empty means
    /// every <c>double</c>/<c>float</c> (or array) parameter not marked <see cref="NoDerivativeAttribute"/>.
    /// </summary>
    public string[] Wrt { get; set; } = Array.Empty<string>();
}
