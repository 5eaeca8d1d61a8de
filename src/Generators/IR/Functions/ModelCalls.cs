using Leibniz.Generators.Common;

namespace Leibniz.Generators.IR.Functions;

// Model composition: a [Model]'s differentiable Forward calling the Forward of a [Model] field
// (encoder.Forward(x), encoder.forward(x) or encoder.call(x)). The call runs through the field's own
// generated sweep, kept for the caller's reverse sweep, which runs that sweep's pullback. A TorchSharp
// module in a field (fc.call(x) on an nn.Linear) is called the same way, its sweep a ModuleSweep that
// records that one call on the tape.

/// <summary>A <c>[Model]</c> field that a model's differentiable method calls.</summary>
/// <param name="Name">The field, which names the called model's parameters in the caller's (<c>encoder.weight</c>).</param>
/// <param name="ModelType">Its type, <c>global::</c>-qualified with type arguments.</param>
/// <param name="Gradients">The sweep's variable summing the field's parameter gradients over its calls.</param>
internal sealed record ModelFieldSpec(string Name, string ModelType, string Gradients)
{
    /// <summary>A TorchSharp module (<c>nn.Linear</c>…), not a <c>[Model]</c>: its call runs on the tape, in a <c>ModuleSweep</c>.</summary>
    public bool IsTorchModule { get; init; }
}

/// <summary>Whether a called model's sweep computes its input's gradient.</summary>
internal enum CalleeInputGradient
{
    /// <summary>No adjoint flows to the argument.</summary>
    Never,

    /// <summary>The argument is the caller's own input: only when the caller's input gradient is requested.</summary>
    WhenRequested,

    /// <summary>The argument's adjoint flows on.</summary>
    Always,
}

/// <summary>A differentiated call of a <c>[Model]</c> field's <c>Forward</c>; <c>Sweep</c> keeps the call's forward sweep.</summary>
internal sealed record ModelCall(string Field, string ModelType, Operand Input, string Sweep) : Expression
{
    /// <summary>Written <c>call(x)</c>, which would run the field's forward hooks.</summary>
    public bool ThroughCall { get; init; }

    /// <summary>A TorchSharp module's call: run on the tape by a <c>ModuleSweep</c> rather than a generated sweep.</summary>
    public bool IsTorchModule { get; init; }

    /// <summary>Inside a loop, whose reverse recomputes each iteration: the call runs twice and must give the same value.</summary>
    public bool InLoop { get; init; }

    /// <summary>Set by reverse mode, from the activity of the argument.</summary>
    public CalleeInputGradient InputGradient { get; init; } = CalleeInputGradient.Always;
}

/// <summary>A call of a <c>[Model]</c> field inside <c>NoDerivative(...)</c>: run as written, its result is data.</summary>
internal sealed record FrozenModelCall(string Field, string Method, Operand Input) : Expression;

/// <summary>
/// The reverse of a <see cref="ModelCall"/>: the kept sweep's pullback with <c>Seed</c>, the parameters' gradients summed
/// into <c>Gradients</c> and the input's into <c>InputAdjoint</c> (null when the argument has none).
/// </summary>
internal sealed record ModelPullbackStatement(string Field, string Sweep, string Gradients, string Seed, string? InputAdjoint) : Statement
{
    /// <summary>The input's adjoint holds nothing yet, so the input gradient is assigned rather than added.</summary>
    public bool Assigns { get; init; }

    /// <summary>In a gradient-descent step, the called model updates its own parameters (its fused <c>Descend</c>).</summary>
    public bool Descends { get; init; }
}
