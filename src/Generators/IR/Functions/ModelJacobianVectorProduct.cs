namespace Leibniz.Generators.IR.Functions;

/// <summary>
/// The Jacobian–vector product of the <c>[Model]</c> held in the calling model's field <c>Field</c>, at <c>Input</c>,
/// along <c>InputTangent</c> and <c>Directions</c> (its parameters' part of the caller's direction): that model's
/// generated <c>ForwardJacobianVectorProduct</c>. Forward mode writes it for each call of a model field.
/// </summary>
internal sealed record ModelJacobianVectorProduct(string Field, Operand Input, Operand InputTangent, Operand Directions) : Expression;
