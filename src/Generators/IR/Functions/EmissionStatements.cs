using Leibniz.Generators.Common;

namespace Leibniz.Generators.IR.Functions;

// Statements the last transforms produce for the emitter, after differentiation: no transform differentiates or
// simplifies them, and the emitter prints each as one construct.

/// <summary>
/// <c>Body</c>, run only when a model's pullback computes its input's gradient: the generated sweep names the flag the
/// caller passes, so the IR names the condition, not the variable.
/// </summary>
internal sealed record InputGradientGuardStatement(Block Body) : Statement;

/// <summary>
/// <c>Value = Callee.MethodTangent(Arguments…, out Tangent)</c>: a callee's Jacobian–vector product and its value in one
/// call of its generated tangent, which computes the value anyway. The callee is a <c>[Differentiable]</c> method of
/// <c>ContainingType</c> or, when <c>Field</c> is set, the <c>[Model]</c> in that field of the calling model.
/// </summary>
internal sealed record TangentCallStatement(string Value, string Tangent, string? ContainingType, string? Field, string Method, EquatableArray<Operand> Arguments) : Statement;
