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
    /// For a model method, the inputs its body reassigns, which the sweeps then treat as working variables (the call's
    /// inputs kept apart); empty otherwise.
    /// </summary>
    public EquatableArray<string> ReassignedInputs { get; init; } = EquatableArray<string>.Empty;

    /// <summary>
    /// For a model method, the locals its body assigns a plain copy of an input or of such a copy (<c>var (x, m) = input</c>,
    /// <c>var h = x</c>): they may name an input, whose handle autograd replaces when the caller's was disposed.
    /// </summary>
    public EquatableArray<string> CopiedLocals { get; init; } = EquatableArray<string>.Empty;
}

/// <summary>
/// A model's reverse sweep turned into one step of gradient descent: parameter updates fused into the
/// sweep where safe, and the parameters whose adjoints are still accumulated and applied after it.
/// </summary>
internal sealed record DescentSpec(Block Reverse, EquatableArray<AdjointParameter> UpdatedAfter);
