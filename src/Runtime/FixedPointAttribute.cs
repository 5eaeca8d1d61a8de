using System;

namespace Leibniz;

/// <summary>
/// Marks the map T of an <see cref="ImplicitLayerAttribute">[ImplicitLayer]</see> whose solution is its fixed point,
/// T(x, θ) = x — a proximal-gradient step, a projected-gradient step, an equilibrium layer's update. The signature is
/// that of an <see cref="OptimalityConditionAttribute">[OptimalityCondition]</see>; the condition differentiated is
/// F(x, θ) = T(x, θ) − x, so the backward solves (I − ∂ₓT)ᵀu = v and returns (∂_θT)ᵀu.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class FixedPointAttribute : Attribute
{
}
