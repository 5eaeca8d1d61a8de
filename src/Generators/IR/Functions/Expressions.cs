using Leibniz.Generators.Common;

namespace Leibniz.Generators.IR.Functions;

/// <summary>
/// An operand in A-normal form: a variable or a literal. Every computation in a function body
/// takes operands, so the reverse sweep can name what each partial derivative reads.
/// </summary>
internal abstract record Operand;

internal sealed record Variable(string Name) : Operand
{
    public override string ToString() => Name;
}

internal sealed record Literal(double Value, ValueType Type) : Operand;

/// <summary>
/// An optional parameter the call leaves at its default; the emitter skips it in the call. <c>Default</c> is the
/// parameter's declared default, so a rule template can read the value the call used without it being spelled.
/// </summary>
internal sealed record OmittedArgument(Operand? Default = null) : Operand;

/// <summary>A constant the IR does not interpret (an enum member, <c>null</c>), kept as its C# text.</summary>
internal sealed record CodeLiteral(string CSharp) : Operand;

/// <summary>The right-hand side of an assignment.</summary>
internal abstract record Expression;

/// <summary>A copy: <c>x = a</c>.</summary>
internal sealed record CopyExpression(Operand Value) : Expression;

internal enum UnaryOperator
{
    Negate,
    Not,
}

internal sealed record UnaryExpression(UnaryOperator Operator, Operand Operand) : Expression;

internal enum BinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
    And,
    Or,
}

internal sealed record BinaryExpression(BinaryOperator Operator, Operand Left, Operand Right) : Expression;

/// <summary>A call of a function the rule table knows (<c>Math.Sin</c>, <c>MathF.Exp</c>…), keyed by its canonical name.</summary>
internal sealed record PrimitiveCall(string Function, EquatableArray<Operand> Arguments) : Expression;

/// <summary>A call of another <c>[Differentiable]</c> method, differentiated through its generated pullback.</summary>
/// <c>Pullback</c> is the generated <c>…Pullback</c> or the user's <c>[Derivative]</c> method, fully qualified.
internal sealed record DifferentiableCall(string ContainingType, string Method, string Pullback, EquatableArray<Operand> Arguments, EquatableArray<bool> ArgumentHasAdjoint) : Expression
{
    /// <summary>The user's <c>[Tangent]</c> method, fully qualified, which forward mode calls instead of a generated JVP; null when there is none.</summary>
    public string? Tangent { get; init; }

    /// <summary>
    /// A pullback that takes the call's result after its arguments (an implicit layer's <c>ApplyPullbackAt</c>, which
    /// differentiates at the solution instead of solving again), used where the reverse sweep still holds that result; null
    /// when there is none.
    /// </summary>
    public string? PullbackAtResult { get; init; }
}

/// <summary>A call whose result the derivative ignores (wrapped in <c>NoDerivative(...)</c>, or integer-valued).</summary>
internal sealed record OpaqueCall(string CSharp, EquatableArray<Operand> Arguments) : Expression;

internal sealed record ElementExpression(string Array, Operand Index) : Expression;

internal sealed record LengthExpression(string Array) : Expression;

internal sealed record ConditionalExpression(Operand Condition, Operand WhenTrue, Operand WhenFalse) : Expression;

internal sealed record ConvertExpression(ValueType Target, Operand Value) : Expression;

/// <summary>How a tensor API is written at the call site.</summary>
internal enum CallForm
{
    /// <summary><c>a + b</c>, <c>-a</c>: the key's operator.</summary>
    Operator,

    /// <summary><c>a.matmul(b)</c>: the first argument is the receiver.</summary>
    Instance,

    /// <summary><c>global::TorchSharp.torch.exp(a)</c>.</summary>
    Static,
}

/// <summary>
/// A call of a TorchSharp API the tensor rule table knows. <c>Arguments</c> follow the parameters
/// (receiver first), with <see cref="OmittedArgument"/> where the caller kept a default and one operand
/// per operand of a <see cref="PackedArgument"/>; <c>ParameterNames</c>, one per argument, lets the
/// emitter name arguments after a gap. <c>Rule</c> is the row's key, followed by the packs' layout
/// (<see cref="PackedArgument.Layout"/>) when there are any.
/// </summary>
internal sealed record TensorCall(
    string Key,
    string Rule,
    CallForm Form,
    string Target,
    EquatableArray<Operand> Arguments,
    EquatableArray<string> ParameterNames) : Expression
{
    /// <summary>The arguments spelled over several operands (arrays of dimensions, lists of tensors, tensor indices); empty for most calls.</summary>
    public EquatableArray<PackedArgument> Packs { get; init; } = EquatableArray<PackedArgument>.Empty;

    /// <summary>For an API returning a tuple (<c>max(dim)</c>), the element this call's value is (<c>values</c>); null otherwise.</summary>
    public string? Member { get; init; }
}
