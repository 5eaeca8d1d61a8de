using System.Collections.Generic;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>
/// Everything a lowering accumulates, in one place: the statements of the block being written, the locals and their
/// names, the model fields the body uses, the diagnostics, and where the code being read sits (in a loop, inside
/// <c>NoDerivative(…)</c>). One builder is handed to each part of the lowering; the parts themselves hold nothing
/// that changes, so which part wrote what is never a question of the order they were built in.
/// </summary>
internal sealed class FunctionBuilder
{
    readonly Stack<List<Statement>> _blocks = new();
    int _loopDepth;
    int _noDerivativeDepth;

    public FunctionBuilder(LoweringContext context, LocalNames locals)
    {
        Locals = locals;
        Diagnostics = new LoweringDiagnostics(context.Method.Name);
        ModelFields = new ModelFieldUses(context);
        Forward = ForwardModeChecks.For(context.Method, context.Known);
    }

    public LocalNames Locals { get; }

    public LoweringDiagnostics Diagnostics { get; }

    public ModelFieldUses ModelFields { get; }

    /// <summary>What forward mode cannot follow; null when the method asks only for reverse mode.</summary>
    public ForwardModeChecks? Forward { get; }

    /// <summary>Inside a loop body, header or step: the reverse sweep recomputes what runs there.</summary>
    public bool InLoop => _loopDepth > 0;

    /// <summary>Inside <c>NoDerivative(…)</c>: what is lowered there is data, never differentiated.</summary>
    public bool WithoutDerivative => _noDerivativeDepth > 0;

    /// <summary>Appends to the block being written.</summary>
    public void Emit(Statement statement)
    {
        // x = x; changes nothing, and its copy in generated code would warn (CS1717).
        if (statement is Assignment { Value: CopyExpression { Value: Variable copied } } assignment && copied.Name == assignment.Target) return;
        _blocks.Peek().Add(statement);
    }

    /// <summary>The block that <paramref name="lower"/> writes.</summary>
    public Block Nested(System.Action lower)
    {
        var statements = new List<Statement>();
        _blocks.Push(statements);
        lower();
        _blocks.Pop();
        return new Block(statements.ToEquatableArray());
    }

    /// <summary>Runs <paramref name="lower"/> as code inside a loop.</summary>
    public void InsideLoop(System.Action lower)
    {
        _loopDepth++;
        lower();
        _loopDepth--;
    }

    /// <summary>Runs <paramref name="lower"/> as code inside <c>NoDerivative(…)</c>.</summary>
    public T Underived<T>(System.Func<T> lower)
    {
        _noDerivativeDepth++;
        var lowered = lower();
        _noDerivativeDepth--;
        return lowered;
    }
}
