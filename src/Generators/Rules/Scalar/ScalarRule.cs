namespace Leibniz.Generators.Rules.Scalar;

/// <summary>One row of the scalar derivative table: a primitive and its partial derivative per argument.</summary>
/// <param name="Name">The function's name without its class (<c>Sin</c>).</param>
/// <param name="Arity">How many arguments it takes.</param>
/// <param name="Partials">∂f/∂argᵢ in terms of the arguments; <see langword="null"/> for an argument the result does not depend on smoothly.</param>
/// <param name="Comment">The identity the row implements, printed above the generated adjoint.</param>
internal sealed record ScalarRule(string Name, int Arity, DerivativeExpression?[] Partials, string Comment);
