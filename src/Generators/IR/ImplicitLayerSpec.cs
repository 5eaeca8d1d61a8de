using Leibniz.Generators.Common;

namespace Leibniz.Generators.IR;

/// <summary>How an implicit layer's solution is defined.</summary>
internal enum ImplicitConditionKind
{
    /// <summary><c>[OptimalityCondition]</c>: F(x, θ) = 0.</summary>
    OptimalityCondition,

    /// <summary><c>[FixedPoint]</c>: T(x, θ) = x, differentiated as F = T − x.</summary>
    FixedPoint,

    /// <summary><c>[Objective]</c>: x* = argmin f(x, θ), differentiated as F = ∇ₓf.</summary>
    Objective,
}

/// <summary>
/// One parameter of an implicit layer (the solver's, and the condition's after the solution): its C# type as written in
/// generated code, and whether the layer's gradient reaches it (a tensor not marked <c>[NoDerivative]</c>).
/// </summary>
internal sealed record LayerParameter(string Name, string Type, bool IsTensor, bool HasAdjoint);

/// <summary>
/// An <c>[ImplicitLayer]</c> class: its solver, its condition and the options of the backward's linear solve. Holds no
/// symbol or location, so it caches across edits.
/// </summary>
internal sealed record ImplicitLayerSpec(
    TypeHierarchy Hierarchy,
    string Owner,
    ImplicitConditionKind Kind,
    string Solver,
    string Condition,
    string Accessibility,
    EquatableArray<LayerParameter> Parameters,
    string LinearSolver,
    double Tolerance,
    int MaxIterations,
    double Ridge,
    double ResidualTolerance,
    string Mode)
{
    /// <summary>Differentiated through the solver's iterations on the tape, not by the implicit function theorem.</summary>
    public bool IsUnrolled => Mode == "Unrolled";

    /// <summary>The backward's linear solve may stop short of its tolerance.</summary>
    public bool IsTruncated => Mode == "Truncated";

    /// <summary>The condition's key among the differentiated methods (its owner and name).</summary>
    public string ConditionKey => Owner + "." + Condition;
}
