using Leibniz.Generators.Common;

namespace Leibniz.Generators.IR.Functions;

/// <summary>A parameter of a differentiable function.</summary>
/// <param name="Name">The C# name.</param>
/// <param name="Type">Its type.</param>
/// <param name="IsWrt">Whether the generated gradient reports this parameter's derivative.</param>
/// <param name="HasAdjoint">Whether pullbacks carry an adjoint for it (false for [NoDerivative] and non-float types).</param>
internal sealed record ParameterSpec(string Name, ValueType Type, bool IsWrt, bool HasAdjoint);

/// <summary>A local variable after lowering: renamed where C# scopes reuse a name, declared once at the top.</summary>
internal sealed record LocalSpec(string Name, ValueType Type);

/// <summary>A <c>[Differentiable]</c> scalar method lowered to IR.</summary>
internal sealed record FunctionSpec(
    string Name,
    string Accessibility,
    ValueType ReturnType,
    EquatableArray<ParameterSpec> Parameters,
    EquatableArray<LocalSpec> Locals,
    Block Body);

/// <summary>All differentiable functions of one user type, emitted into one generated file.</summary>
internal sealed record DifferentiableTypeSpec(TypeHierarchy Hierarchy, EquatableArray<FunctionSpec> Functions);
