using System;

namespace Leibniz;

/// <summary>
/// Marks the method of an <see cref="ImplicitLayerAttribute">[ImplicitLayer]</see> that computes the solution x*(θ). It
/// may be any C# code — a closed form, an iterative solver, a call into another library — and is never differentiated:
/// the generated <c>Apply</c> runs it without the tape and differentiates its answer through the layer's condition. It
/// returns the solution as a tensor; its parameters are the layer's: tensors (differentiated unless marked
/// <see cref="NoDerivativeAttribute">[NoDerivative]</see>) and data (integers, booleans, options).
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class SolverAttribute : Attribute
{
}
