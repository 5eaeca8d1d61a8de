using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.IR.Functions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>
/// Statements to IR: declarations and assignments become single assignments, <c>for</c> and <c>while</c> one loop shape,
/// and early returns are folded into the branches that lead to the single exit.
/// </summary>
internal sealed class StatementLowering
{
    readonly LoweringContext _context;
    readonly FunctionBuilder _builder;
    readonly ExpressionLowering _expressions;
    readonly TupleDeconstruction _deconstruction;

    public StatementLowering(LoweringContext context, FunctionBuilder builder)
    {
        _context = context;
        _builder = builder;
        _expressions = new ExpressionLowering(context, builder);
        _deconstruction = new TupleDeconstruction(context, builder, _expressions.TensorCalls);
    }

    /// <summary>The method's body, expression-bodied or a block, ending in the return of <see cref="LocalNames.Result"/>.</summary>
    public Block LowerBody(MethodDeclarationSyntax declaration) => _builder.Nested(() =>
    {
        var result = _builder.Locals.Result;
        if (declaration.ExpressionBody is { } arrow)
        {
            _expressions.Assign(result, arrow.Expression, arrow.Expression);
        }
        else if (declaration.Body is { } block)
        {
            LowerSequence(block.Statements.ToList());
        }
        else
        {
            _builder.Diagnostics.Report(DiagnosticDescriptors.UnsupportedSignature, declaration.Identifier.GetLocation(), _context.Method.Name, "has no body to differentiate");
        }

        _builder.Emit(new ReturnStatement(new Variable(result)));
    });

    /// <summary>
    /// Lowers statements in order. An <c>if</c> that returns on some path takes the statements after
    /// it into each branch that falls through, so the function keeps a single exit.
    /// </summary>
    void LowerSequence(IReadOnlyList<StatementSyntax> statements)
    {
        for (var i = 0; i < statements.Count; i++)
        {
            _context.CancellationToken.ThrowIfCancellationRequested();
            var statement = statements[i];
            var rest = statements.Skip(i + 1).ToList();

            if (statement is ReturnStatementSyntax ret)
            {
                if (ret.Expression is null) _builder.Diagnostics.Unsupported(ret, "a return without a value");
                else _expressions.Assign(_builder.Locals.Result, ret.Expression, ret);
                return;
            }

            if (statement is BlockSyntax nested && ContainsReturn(nested))
            {
                LowerSequence(nested.Statements.Concat(rest).ToList());
                return;
            }

            if (statement is IfStatementSyntax constantBranch && ContainsReturn(constantBranch) && _context.ConstantCondition(constantBranch.Condition) is { } taken)
            {
                var chosen = taken ? Flatten(constantBranch.Statement) : constantBranch.Else is null ? Enumerable.Empty<StatementSyntax>() : Flatten(constantBranch.Else.Statement);
                LowerSequence(chosen.Concat(rest).ToList());
                return;
            }

            if (statement is IfStatementSyntax branch && ContainsReturn(branch))
            {
                var condition = _expressions.Lower(branch.Condition);
                var whenTrue = _builder.Nested(() => LowerSequence(Flatten(branch.Statement).Concat(rest).ToList()));
                var whenFalse = _builder.Nested(() => LowerSequence((branch.Else is null ? Enumerable.Empty<StatementSyntax>() : Flatten(branch.Else.Statement)).Concat(rest).ToList()));
                _builder.Emit(new IfStatement(condition, whenTrue, whenFalse));
                return;
            }

            LowerStatement(statement);
        }
    }

    static IEnumerable<StatementSyntax> Flatten(StatementSyntax statement)
        => statement is BlockSyntax block ? block.Statements : new[] { statement };

    static bool ContainsReturn(SyntaxNode node)
        => node.DescendantNodesAndSelf(n => n is not (LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax)).OfType<ReturnStatementSyntax>().Any();

    void LowerStatement(StatementSyntax statement)
    {
        switch (statement)
        {
            case BlockSyntax block:
                foreach (var inner in block.Statements) LowerStatement(inner);
                break;
            case EmptyStatementSyntax:
                break;
            case LocalDeclarationStatementSyntax declaration:
                LowerDeclaration(declaration.Declaration);
                break;
            case ExpressionStatementSyntax expression:
                LowerExpressionStatement(expression.Expression, expression);
                break;
            case IfStatementSyntax branch when _context.ConstantCondition(branch.Condition) is { } taken:
                if (taken) LowerStatement(branch.Statement);
                else if (branch.Else is not null) LowerStatement(branch.Else.Statement);
                break;
            case IfStatementSyntax branch:
            {
                var condition = _expressions.Lower(branch.Condition);
                var whenTrue = _builder.Nested(() => LowerStatement(branch.Statement));
                var whenFalse = branch.Else is null ? Block.Empty : _builder.Nested(() => LowerStatement(branch.Else.Statement));
                _builder.Emit(new IfStatement(condition, whenTrue, whenFalse));
                break;
            }
            case ForStatementSyntax loop:
                LowerFor(loop);
                break;
            case WhileStatementSyntax loop:
                LowerLoop(loop.Condition, loop.Statement, Enumerable.Empty<ExpressionSyntax>(), loop);
                break;
            case ReturnStatementSyntax ret:
                _builder.Diagnostics.Unsupported(ret, _builder.InLoop ? "a return inside a loop; assign the result to a local and let the loop finish" : "a return here");
                break;
            default:
                _builder.Diagnostics.Unsupported(statement, Describe(statement));
                break;
        }
    }

    static string Describe(StatementSyntax statement) => statement switch
    {
        TryStatementSyntax => "try/catch/finally is not differentiable",
        GotoStatementSyntax => "goto is not supported; use structured loops and branches",
        LockStatementSyntax => "lock is not differentiable",
        YieldStatementSyntax => "an iterator is not differentiable",
        BreakStatementSyntax or ContinueStatementSyntax => "break and continue are not supported yet; put the exit in the loop condition",
        ForEachStatementSyntax => "foreach is not supported yet; use for with an index",
        DoStatementSyntax => "do/while is not supported yet; use while",
        SwitchStatementSyntax => "switch is not supported yet; use if/else",
        ThrowStatementSyntax => "throw on a differentiable path is not supported",
        UsingStatementSyntax or FixedStatementSyntax or UnsafeStatementSyntax => "this statement is not differentiable",
        LocalFunctionStatementSyntax => "local functions are not supported; make it a [Differentiable] method",
        _ => "this kind of statement is not supported",
    };

    void LowerDeclaration(VariableDeclarationSyntax declaration)
    {
        foreach (var variable in declaration.Variables)
        {
            if (_context.Model.GetDeclaredSymbol(variable, _context.CancellationToken) is not ILocalSymbol local) continue;
            var type = IRTypes.Of(local.Type);
            if (type is null || type.Value.IsArray())
            {
                _builder.Diagnostics.Unsupported(variable, $"a local of type {local.Type.WithNullableAnnotation(NullableAnnotation.None).ToDisplayString()}; supported are double, float, int, long, bool and Tensor (index array parameters directly)" + TypeAdvice.For(local.Type));
                continue;
            }

            var name = _builder.Locals.NameOf(local, type.Value);
            if (variable.Initializer is { } initializer) _expressions.Assign(name, initializer.Value, variable);
        }
    }

    void LowerFor(ForStatementSyntax loop)
    {
        if (loop.Declaration is { } declaration) LowerDeclaration(declaration);
        foreach (var initializer in loop.Initializers) LowerExpressionStatement(initializer, loop);
        LowerLoop(loop.Condition, loop.Statement, loop.Incrementors, loop);
    }

    void LowerLoop(ExpressionSyntax? condition, StatementSyntax body, IEnumerable<ExpressionSyntax> step, StatementSyntax source)
    {
        if (condition is null)
        {
            _builder.Diagnostics.Unsupported(source, "a loop without a condition never ends without break, which is not supported");
            return;
        }

        Operand test = new Literal(1, ValueType.Bool);
        Block header = Block.Empty, lowered = Block.Empty, increment = Block.Empty;
        _builder.InsideLoop(() =>
        {
            header = _builder.Nested(() => test = _expressions.Lower(condition));
            lowered = _builder.Nested(() => LowerStatement(body));
            increment = _builder.Nested(() =>
            {
                foreach (var expression in step) LowerExpressionStatement(expression, source);
            });
        });
        _builder.Emit(new LoopStatement(header, test, lowered, increment, Header(source)));
    }

    static string Header(StatementSyntax loop) => loop switch
    {
        ForStatementSyntax f => $"for ({f.Declaration?.ToString() ?? string.Join(", ", f.Initializers)}; {f.Condition}; {string.Join(", ", f.Incrementors)})",
        WhileStatementSyntax w => $"while ({w.Condition})",
        _ => loop.ToString(),
    };

    void LowerExpressionStatement(ExpressionSyntax expression, SyntaxNode source)
    {
        switch (expression)
        {
            case AssignmentExpressionSyntax assignment:
                LowerAssignment(assignment, source);
                break;
            case PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression } step:
                Step(step.Operand, step.IsKind(SyntaxKind.PostIncrementExpression), expression);
                break;
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression } step:
                Step(step.Operand, step.IsKind(SyntaxKind.PreIncrementExpression), expression);
                break;
            case InvocationExpressionSyntax call when _context.SymbolOf(call) is IMethodSymbol { ContainingAssembly.Name: LoweringContext.TorchSharpAssembly } inPlace
                && inPlace.Name.EndsWith("_", System.StringComparison.Ordinal):
                _builder.Diagnostics.Report(DiagnosticDescriptors.InPlaceMutation, call.GetLocation(), inPlace.Name, inPlace.Name.TrimEnd('_'));
                break;
            case InvocationExpressionSyntax call when _context.SymbolOf(call) is IMethodSymbol effect:
                _builder.Diagnostics.Unsupported(expression, $"a call of '{effect.ToDisplayString()}' for its effect alone ({(effect.ReturnsVoid ? "it returns nothing" : "its result is dropped")}): it has no derivative, and the generated derivatives would run it again; remove it, or make the call before or after this method");
                break;
            default:
                _builder.Diagnostics.Unsupported(expression, "an expression whose value is dropped; assign it to a local, or remove it");
                break;
        }
    }

    /// <summary><c>i++</c> as <c>t = i + 1; i = t</c>: the new value is a temporary of its own, as every computed value is.</summary>
    void Step(ExpressionSyntax target, bool increment, ExpressionSyntax source)
    {
        var name = TargetName(target);
        if (name is null) return;
        var type = _builder.Locals.TypeOf(name);
        var result = _builder.Locals.Temporary(type);
        _builder.Emit(new Assignment(result, new BinaryExpression(increment ? BinaryOperator.Add : BinaryOperator.Subtract, new Variable(name), new Literal(1, type)), source.ToString()));
        _builder.Emit(new Assignment(name, new CopyExpression(new Variable(result)), source.ToString()));
    }

    void LowerAssignment(AssignmentExpressionSyntax assignment, SyntaxNode source)
    {
        if (assignment.Left is ElementAccessExpressionSyntax)
        {
            _builder.Diagnostics.Unsupported(assignment, "writing into an array is not supported yet; accumulate into a local instead");
            return;
        }

        if (assignment.Left is DeclarationExpressionSyntax or TupleExpressionSyntax && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression))
        {
            _deconstruction.Lower(assignment);
            return;
        }

        var name = TargetName(assignment.Left);
        if (name is null) return;

        if (assignment.IsKind(SyntaxKind.SimpleAssignmentExpression))
        {
            _expressions.Assign(name, assignment.Right, assignment);
            return;
        }

        var op = CompoundOperator(assignment.Kind());
        if (op is null)
        {
            _builder.Diagnostics.Unsupported(assignment, $"the operator {assignment.OperatorToken.Text}");
            return;
        }

        if (_expressions.TensorCalls.TryLowerCompoundAssignment(assignment, name)) return;

        var right = _expressions.Lower(assignment.Right);
        _builder.Emit(new Assignment(name, new BinaryExpression(op.Value, new Variable(name), right), assignment.ToString()));
    }

    static BinaryOperator? CompoundOperator(SyntaxKind kind) => kind switch
    {
        SyntaxKind.AddAssignmentExpression => BinaryOperator.Add,
        SyntaxKind.SubtractAssignmentExpression => BinaryOperator.Subtract,
        SyntaxKind.MultiplyAssignmentExpression => BinaryOperator.Multiply,
        SyntaxKind.DivideAssignmentExpression => BinaryOperator.Divide,
        _ => null,
    };

    string? TargetName(ExpressionSyntax target)
    {
        var symbol = _context.SymbolOf(target);
        switch (symbol)
        {
            case ILocalSymbol local when IRTypes.Of(local.Type) is { } type:
                return _builder.Locals.NameOf(local, type);
            case IParameterSymbol parameter when IRTypes.Of(parameter.Type) is { } type && !type.IsArray():
                return parameter.Name;
            case IFieldSymbol when target is MemberAccessExpressionSyntax member && _expressions.TupleInputElement(member) is { } element:
                // An element of a tuple input is a by-value copy, as a parameter is: reassigning it is reassigning that input.
                return element;
            default:
                _builder.Diagnostics.Unsupported(target, symbol is IFieldSymbol or IPropertySymbol
                    ? $"assigning to '{symbol.Name}', which lives outside the method; derivatives cannot follow state outside it"
                    : "assigning to this target");
                return null;
        }
    }
}
