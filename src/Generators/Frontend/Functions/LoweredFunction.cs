using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;

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
internal sealed record LoweredFunction(
    FunctionSpec? Spec,
    EquatableArray<DiagnosticInfo> Diagnostics,
    EquatableArray<ScalarWithoutDerivative> ScalarsWithoutDerivative,
    EquatableArray<DiagnosticInfo> GeneratedNameClashes);

/// <summary>A floating-point argument a tensor rule takes no derivative in, held in <paramref name="Variable"/>; refused by <paramref name="Diagnostic"/> if that varies.</summary>
internal sealed record ScalarWithoutDerivative(string Variable, DiagnosticInfo Diagnostic);
