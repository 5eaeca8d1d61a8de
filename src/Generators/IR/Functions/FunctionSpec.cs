using Leibniz.Generators.Common;

namespace Leibniz.Generators.IR.Functions;

/// <summary>A parameter of a differentiable function.</summary>
/// <param name="Name">The C# name.</param>
/// <param name="Type">Its type.</param>
/// <param name="IsWrt">Whether the generated gradient reports this parameter's derivative.</param>
/// <param name="HasAdjoint">Whether pullbacks carry an adjoint for it (false for [NoDerivative] and non-float types).</param>
/// <param name="IsField">A <c>[Parameter]</c> or <c>[Buffer]</c> field a model method reads, an input like any other to the derivative.</param>
internal sealed record ParameterSpec(string Name, ValueType Type, bool IsWrt, bool HasAdjoint, bool IsField = false);

/// <summary>A local variable after lowering: renamed where C# scopes reuse a name, declared once at the top.</summary>
internal sealed record LocalSpec(string Name, ValueType Type);

/// <summary>
/// A <c>[Differentiable]</c> method lowered to IR: a static function, or a <c>[Model]</c>'s instance
/// method whose parameter fields are extra inputs.
/// </summary>
internal sealed record FunctionSpec(
    string Name,
    bool IsModelMethod,
    string Accessibility,
    ValueType ReturnType,
    EquatableArray<ParameterSpec> Parameters,
    EquatableArray<LocalSpec> Locals,
    Block Body)
{
    /// <summary>For a model method, the <c>[Model]</c> fields whose <c>Forward</c> it calls, in declaration order.</summary>
    public EquatableArray<ModelFieldSpec> ModelFields { get; init; } = EquatableArray<ModelFieldSpec>.Empty;

    /// <summary>
    /// For a model method taking a tuple of tensors, how the caller's tuple maps to the lowered inputs (one parameter per
    /// element); null when it takes one tensor.
    /// </summary>
    public TupleInputSpec? TupleInput { get; init; }
}

/// <summary>A model method's tuple input: <c>Forward((Tensor X, Tensor Mask) input)</c>.</summary>
/// <param name="Name">The C# parameter's name (<c>input</c>).</param>
/// <param name="Type">The tuple type as generated code writes it, element names included.</param>
/// <param name="Elements">The elements in order, each lowered to its own input.</param>
internal sealed record TupleInputSpec(string Name, string Type, EquatableArray<TupleElementSpec> Elements);

/// <summary>One element of a tuple input.</summary>
/// <param name="Parameter">The lowered input's name (the element's own name where it is free).</param>
/// <param name="Element">The element as C# reads it: its name, or <c>Item1</c>…</param>
internal sealed record TupleElementSpec(string Parameter, string Element);

/// <summary>All differentiable functions of one user type, emitted into one generated file.</summary>
internal sealed record DifferentiableTypeSpec(TypeHierarchy Hierarchy, EquatableArray<FunctionSpec> Functions);
