using Leibniz.Generators.Common;

namespace Leibniz.Generators.IR.Functions;

/// <summary>How a differentiable parameter's derivative leaves the generated methods.</summary>
/// <param name="Parameter">The primal parameter.</param>
/// <param name="Type">Its type.</param>
/// <param name="OutputName">The <c>ref</c>/<c>out</c> (scalar) or gradient-array parameter: <c>dx</c>.</param>
/// <param name="LocalAdjoint">For scalars, the local adjoint accumulated in the body (<c>_d_x</c>); null for arrays, accumulated in place.</param>
/// <param name="IsWrt">Whether <c>…WithGradient</c> reports it.</param>
internal sealed record AdjointParameter(string Parameter, ValueType Type, string OutputName, string? LocalAdjoint, bool IsWrt);

/// <summary>A function with its reverse-mode derivative: the forward sweep (primal plus saves) and the reverse sweep.</summary>
internal sealed record ReverseFunctionSpec(
    FunctionSpec Primal,
    EquatableArray<LocalSpec> SweepLocals,
    Block Forward,
    Block Reverse,
    string ResultAdjoint,
    EquatableArray<AdjointParameter> Adjoints)
{
    /// <summary>
    /// Whether the result's adjoint is seeded before the forward sweep, because the forward sweep already runs part of the
    /// reverse (<see cref="Transforms.ReverseLoopFusion"/>); only for a number result, whose seed needs no forward value.
    /// </summary>
    public bool SeedsBeforeForward { get; init; }

    /// <summary>For a model method, the reverse sweep as a gradient-descent step; null otherwise.</summary>
    public DescentSpec? Descent { get; init; }

    /// <summary>
    /// For a model method, whether its body reassigns its input, which the sweeps then treat as a working variable
    /// (the call's input kept apart); false otherwise.
    /// </summary>
    public bool InputReassigned { get; init; }
}

/// <summary>
/// A model's reverse sweep turned into one step of gradient descent: parameter updates fused into the
/// sweep where safe, and the parameters whose adjoints are still accumulated and applied after it.
/// </summary>
internal sealed record DescentSpec(Block Reverse, EquatableArray<AdjointParameter> UpdatedAfter);
