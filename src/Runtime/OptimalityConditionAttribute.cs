using System;

namespace Leibniz;

/// <summary>
/// Marks the condition F(x, θ) = 0 that an <see cref="ImplicitLayerAttribute">[ImplicitLayer]</see>'s solution satisfies:
/// <c>Tensor F(Tensor x, θ…)</c>, whose first parameter is the solution and whose other parameters are the
/// <see cref="SolverAttribute">[Solver]</see>'s, with the same names and types. F returns a tensor of x's shape. It is
/// differentiated like a <c>[Differentiable]</c> method (its pullback and Jacobian–vector product are generated), so it
/// is written in the same subset of C#.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OptimalityConditionAttribute : Attribute
{
}
