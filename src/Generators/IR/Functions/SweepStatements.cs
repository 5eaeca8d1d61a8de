using Leibniz.Generators.Common;
using Leibniz.Generators.Rules;

namespace Leibniz.Generators.IR.Functions;

// Statements only the reverse-mode transform produces: they keep and restore values between the
// forward and reverse sweeps and move adjoints. The emitter prints them like any other statement.

/// <summary>Keeps <c>Variable</c>'s value before it is overwritten: in <c>Slot</c>, or on the tape when <c>Slot</c> is null (inside loops).</summary>
internal sealed record SaveStatement(string Variable, ValueType Type, string? Slot) : Statement;

/// <summary>Puts back the value a <see cref="SaveStatement"/> kept.</summary>
internal sealed record RestoreStatement(string Variable, ValueType Type, string? Slot) : Statement;

/// <summary>
/// Recomputes a loop's induction variable for a reverse iteration instead of popping it:
/// <c>Variable = Entry + (Counter − 1)·Step</c>, where <c>Entry</c> kept its value on entering the loop.
/// </summary>
internal sealed record InductionStatement(string Variable, string Entry, string Counter, int Step) : Statement;

/// <summary>A loop of the forward sweep that counts its iterations, so the reverse sweep can run them back.</summary>
internal sealed record CountedLoopStatement(Block Header, Operand Condition, Block Body, Block Step, string Counter, string Source) : Statement;

/// <summary>The reverse of a counted loop: its body's reverse, once per forward iteration.</summary>
internal sealed record ReverseLoopStatement(string Counter, Block Body, string Source) : Statement;

/// <summary>A comment naming the source statement the following adjoint code differentiates.</summary>
internal sealed record CommentStatement(string Text) : Statement;

/// <summary><c>Seed = Adjoint; Adjoint = 0;</c> — the adjoint of an overwritten value, taken before it is reused.</summary>
internal sealed record TakeAdjointStatement(string Seed, string Adjoint, ValueType Type) : Statement
{
    /// <summary>False when nothing reads the adjoint before it is next assigned, so zeroing it is dead.</summary>
    public bool Clears { get; init; } = true;
}

/// <summary>
/// <c>Adjoint[Index] += Seed * Partial(Arguments)</c> (or <c>-=</c> when <c>Negate</c>); a null
/// <c>Partial</c> is one. <c>MathClass</c> is <c>Math</c> or <c>MathF</c>, for functions the partial calls.
/// </summary>
internal sealed record AccumulateStatement(
    string Adjoint,
    Operand? Index,
    string Seed,
    bool Negate,
    DerivativeExpression? Partial,
    EquatableArray<Operand> Arguments,
    string MathClass,
    ValueType Type,
    ValueType SeedType) : Statement
{
    /// <summary>The adjoint is known to be zero here, so the contribution is assigned rather than added.</summary>
    public bool Assigns { get; init; }
}

/// <summary>
/// One argument's adjoint in a pullback call: <c>ref Name</c> for a scalar, the array itself for an
/// array; for an inactive array (<c>Scratch</c> set) a throw-away array of its length and element type.
/// </summary>
internal sealed record AdjointArgument(string Name, bool IsArray, ValueType? Scratch = null)
{
    /// <summary>
    /// A tensor adjoint the caller throws away (the argument does not vary): a local of its own, emptied before the call,
    /// so that neither another argument of another shape nor an earlier call adds into it.
    /// </summary>
    public bool Discarded { get; init; }
}

/// <summary>The reverse of a call of another <c>[Differentiable]</c> method: its generated pullback.</summary>
internal sealed record PullbackCallStatement(
    string Pullback,
    EquatableArray<Operand> Arguments,
    string Seed,
    EquatableArray<AdjointArgument> Adjoints) : Statement;

/// <summary>
/// <c>Adjoint = Adjoints.Add(Adjoint, contribution)</c> for a tensor call's pullback, or a number's adjoint plus the
/// contribution summed whole when the operand was a number. The contribution is the pullback's last call (or the value
/// holding it), kept unevaluated so that a descent step can fuse it in place.
/// </summary>
internal sealed record AccumulateTensorStatement(string Adjoint, ValueType AdjointType, Expression Contribution) : Statement
{
    /// <summary>The adjoint is known to have no contribution yet (null), so the contribution is assigned rather than added.</summary>
    public bool Assigns { get; init; }

    /// <summary>
    /// A helper that adds the contribution to the adjoint in one call without materialising it (a matrix product as one
    /// <c>addmm</c>): printed <c>Adjoint = AccumulatingForm(Adjoint, the contribution's operands…)</c>. Null to add it whole.
    /// </summary>
    public string? AccumulatingForm { get; init; }
}

/// <summary>
/// In a gradient-descent step, <c>Parameter += α·contribution</c> in place of accumulating the parameter's adjoint:
/// through <c>InPlace</c> when the contribution has an in-place form (<c>InPlace(Parameter, arguments…, α)</c>, which
/// adds without materialising it), else with <c>add_</c>. α is always minus the step's learning rate, a parameter of
/// the generated step method that the emitter names.
/// </summary>
internal sealed record DescentUpdateStatement(string Parameter, AccumulateTensorStatement Contribution) : Statement
{
    /// <summary>The helper adding α times the contribution to the parameter in place, with the arguments after the parameter and before α.</summary>
    public OpaqueCall? InPlace { get; init; }
}

/// <summary>Runs <c>Body</c> only when the tensor adjoint <c>Seed</c> received a contribution.</summary>
internal sealed record WhenAdjointStatement(string Seed, Block Body) : Statement;
