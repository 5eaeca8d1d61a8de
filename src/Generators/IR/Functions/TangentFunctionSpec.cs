using Leibniz.Generators.Common;

namespace Leibniz.Generators.IR.Functions;

/// <summary>A differentiable parameter and the tangent the forward-mode methods take for it.</summary>
/// <param name="Parameter">The primal parameter.</param>
/// <param name="Type">Its type, which is also the tangent's.</param>
/// <param name="Tangent">The tangent parameter: <c>dx</c>.</param>
/// <param name="IsWrt">Whether the Hessian–vector product takes a direction for it and reports its rows.</param>
internal sealed record TangentParameter(string Parameter, ValueType Type, string Tangent, bool IsWrt);

/// <summary>
/// A function with its forward-mode derivative. <c>Jvp</c> is an ordinary function — the primal's statements and,
/// beside each active one, the statements computing its tangent — that takes the primal parameters, then one
/// tangent per differentiable parameter, and returns the result's tangent; <c>Value</c> names the primal result
/// inside it. Being plain IR, it can be differentiated again: <c>Reverse</c>, its reverse mode, gives
/// Hessian–vector products (present when they were asked for).
/// </summary>
internal sealed record TangentFunctionSpec(
    FunctionSpec Primal,
    FunctionSpec Jvp,
    string Value,
    EquatableArray<TangentParameter> Tangents,
    ReverseFunctionSpec? Reverse)
{
    /// <summary>
    /// When some differentiable parameters are not in <c>Wrt</c>, the same derivative with only the <c>Wrt</c> ones
    /// varying, which the Hessian–vector product runs: no tangent is carried, and no adjoint formed, for inputs whose
    /// direction is zero and whose rows nobody reads. Null when every differentiable parameter is in <c>Wrt</c>.
    /// </summary>
    public TangentFunctionSpec? OverWrt { get; init; }

    /// <summary>
    /// For a <c>[Model]</c> whose method calls other models, each called field and the name its parameters' directions
    /// take in the tangent; empty otherwise. Such a tangent takes one direction over every parameter of the composite.
    /// </summary>
    public EquatableArray<CalledModelDirections> CalledModels { get; init; } = EquatableArray<CalledModelDirections>.Empty;

    /// <summary>
    /// The body the tangent method runs: <c>Jvp</c>'s, with each callee's JVP and value computed by one call of its
    /// tangent (a <see cref="TangentCallStatement"/>). Null until that fusion ran.
    /// </summary>
    public Block? TangentBody { get; init; }

    /// <summary>A model calling models that asks for Hessian–vector products (it has no <c>Reverse</c>: see <c>ForwardMode</c>).</summary>
    public bool ComposedHessianVectorProduct { get; init; }
}

/// <summary>A <c>[Model]</c> field a model's tangent calls, and the local holding its parameters' directions.</summary>
internal sealed record CalledModelDirections(string Field, string Directions);
