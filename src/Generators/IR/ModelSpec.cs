using Leibniz.Generators.Common;

namespace Leibniz.Generators.IR;

/// <summary>How a field of a model is registered.</summary>
internal enum ComponentKind
{
    /// <summary>A <c>[Parameter]</c> field declared as <c>Tensor</c>.</summary>
    TensorParameter,

    /// <summary>A <c>[Parameter]</c> field declared as <c>TorchSharp.Modules.Parameter</c>.</summary>
    Parameter,

    /// <summary>A <c>[Buffer]</c> field.</summary>
    Buffer,

    /// <summary>A field whose type is a <c>torch.nn.Module</c>.</summary>
    Module,
}

/// <summary>One registered field of a model, in declaration order.</summary>
internal sealed record ComponentSpec(ComponentKind Kind, string Name, bool Persistent);

/// <summary>
/// Everything the emitter needs to turn a <c>[Model]</c> class into a TorchSharp module.
/// Types are <c>global::</c>-qualified names, never symbols, so the spec caches across edits.
/// </summary>
internal sealed record ModelSpec(
    TypeHierarchy Hierarchy,
    string InputType,
    string ResultType,
    string ForwardParameterName,
    bool EmitsForward,
    EquatableArray<ComponentSpec> Components)
{
    /// <summary>Whether <c>Forward</c> is <c>[Differentiable]</c>, so <c>forward</c> goes through its generated backward.</summary>
    public bool ForwardIsDifferentiable { get; init; }
}
