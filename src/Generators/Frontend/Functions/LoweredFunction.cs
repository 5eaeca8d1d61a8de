using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;
using Leibniz.Generators.Rules.Tensor;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>
/// What the front end made of a <c>[Differentiable]</c> method, before the checks that need the lowered body analysed.
/// </summary>
/// <param name="Spec">The lowered method; null when a diagnostic in <paramref name="Diagnostics"/> refuses it.</param>
/// <param name="Diagnostics">What was reported while lowering.</param>
/// <param name="ScalarsWithoutDerivative">Refusals that hold only where their variable depends on a differentiated input.</param>
/// <param name="GeneratedNameClashes">
/// Members of the user's type that generated ones would collide with: reported last, only for a method that passes every
/// other check, since a method that is not generated collides with nothing.
/// </param>
/// <param name="TensorTangentChecks">For a method that asks for forward mode, its tensor calls, each an LZ0109 where the tangent table has no row for it.</param>
internal sealed record LoweredFunction(
    FunctionSpec? Spec,
    EquatableArray<DiagnosticInfo> Diagnostics,
    EquatableArray<ScalarWithoutDerivative> ScalarsWithoutDerivative,
    EquatableArray<DiagnosticInfo> GeneratedNameClashes,
    EquatableArray<TensorTangentCheck> TensorTangentChecks);

/// <summary>A floating-point argument a tensor rule takes no derivative in, held in <paramref name="Variable"/>; refused by <paramref name="Diagnostic"/> if that varies.</summary>
internal sealed record ScalarWithoutDerivative(string Variable, DiagnosticInfo Diagnostic);

/// <summary>
/// A tensor call of a method that asks for forward mode, at <paramref name="Location"/>, written <paramref name="Code"/>:
/// LZ0109 for <paramref name="Method"/> if forward mode has no tangent for <paramref name="Rule"/>.
/// </summary>
internal sealed record TensorTangentCheck(TensorRule Rule, bool Packed, LocationInfo? Location, string Code, string Method);
