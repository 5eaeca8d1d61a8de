using System;

namespace Leibniz;

/// <summary>
/// Marks the objective f of an <see cref="ImplicitLayerAttribute">[ImplicitLayer]</see> whose solution minimises it,
/// x* = argmin f(x, θ). The condition differentiated is ∇ₓf(x, θ) = 0: its Jacobian is the Hessian ∇²ₓₓf, so the backward
/// solves ∇²ₓₓf·u = v with generated Hessian–vector products (conjugate gradient by default) and returns −∇²_θₓf·u. f
/// returns a scalar tensor; its signature is otherwise that of an
/// <see cref="OptimalityConditionAttribute">[OptimalityCondition]</see>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class ObjectiveAttribute : Attribute
{
}
