using System;

namespace Leibniz;

/// <summary>
/// Marks a parameter of a <see cref="DifferentiableAttribute">[Differentiable]</see> method as data:
/// no derivative is taken with respect to it and pullbacks carry no adjoint for it.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class NoDerivativeAttribute : Attribute
{
}
