using Leibniz.Generators.Common;

namespace Leibniz.Generators.IR.Functions;

/// <summary>A statement of a function body; control flow stays structured.</summary>
internal abstract record Statement;

/// <summary><c>Target = Value;</c>, with the source statement it came from for the generated comment.</summary>
internal sealed record Assignment(string Target, Expression Value, string Source) : Statement;

internal sealed record IfStatement(Operand Condition, Block Then, Block Else) : Statement;

/// <summary>
/// <c>while (true) { Header; if (!Condition) break; Body; Step; }</c> — every C# <c>for</c> and
/// <c>while</c> lowers to this shape, so the reverse sweep has one kind of loop to undo.
/// </summary>
internal sealed record LoopStatement(Block Header, Operand Condition, Block Body, Block Step, string Source) : Statement;

/// <summary>The function's single exit (early returns are lowered into the branches that reach it).</summary>
internal sealed record ReturnStatement(Operand Value) : Statement;

internal sealed record Block(EquatableArray<Statement> Statements)
{
    public static readonly Block Empty = new(EquatableArray<Statement>.Empty);
}
