using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Leibniz.Generators.Common;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.IR.Functions;
using Leibniz.Generators.Rules.Scalar;
using Leibniz.Generators.Rules.Tensor;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>
/// Lowers the body of a scalar <c>[Differentiable]</c> method to A-normal-form IR: every
/// computation becomes <c>temp = op(operands)</c>, <c>for</c>/<c>while</c> become one loop shape,
/// and early returns are folded into the branches that lead to the single exit. What it cannot
/// lower becomes a diagnostic at the offending syntax; it never throws for user code.
/// </summary>
internal sealed partial class FunctionLowering
{
    const string ResultName = "result";
    const string TorchSharpAssembly = "TorchSharp";

    readonly IMethodSymbol _method;
    readonly SemanticModel _model;
    readonly KnownSymbols _known;
    readonly CancellationToken _cancellationToken;
    readonly List<DiagnosticInfo> _diagnostics = new();
    readonly Dictionary<ISymbol, string> _names = new(SymbolEqualityComparer.Default);
    readonly Dictionary<string, ValueType> _locals = new();
    readonly HashSet<string> _taken = new();
    readonly Stack<List<Statement>> _blocks = new();
    readonly HashSet<string> _temporaryNames = new();
    readonly SortedDictionary<string, ParameterSpec> _fieldInputs = new(System.StringComparer.Ordinal);
    readonly bool _isModelMethod;
    readonly ForwardModeChecks? _forward;
    string _result = ResultName;
    int _loopDepth;
    int _noDerivativeDepth;
    int _temporaries;

    FunctionLowering(IMethodSymbol method, SemanticModel model, CancellationToken cancellationToken)
    {
        _method = method;
        _model = model;
        _known = KnownSymbols.For(model.Compilation);
        _cancellationToken = cancellationToken;
        foreach (var parameter in method.Parameters) _taken.Add(parameter.Name);
        _isModelMethod = !method.IsStatic && KnownSymbols.Has(method.ContainingType, _known.ModelAttribute);
        _forward = ForwardModeChecks.For(method, _known);
        if (_isModelMethod)
        {
            foreach (var field in method.ContainingType.GetMembers().OfType<IFieldSymbol>()) _taken.Add(field.Name);
        }
    }

    /// <summary>Lowers <paramref name="method"/>, or returns the diagnostics saying why it cannot be.</summary>
    public static FrontendResult<FunctionSpec> Lower(IMethodSymbol method, MethodDeclarationSyntax declaration, SemanticModel model, CancellationToken cancellationToken)
    {
        (method, model) = ModelBases.Complete(method, declaration, model, cancellationToken);
        return new FunctionLowering(method, model, cancellationToken).Run(declaration);
    }

    FrontendResult<FunctionSpec> Run(MethodDeclarationSyntax declaration)
    {
        var parameters = ReadSignature(declaration);
        foreach (var local in declaration.DescendantNodes().OfType<VariableDeclaratorSyntax>())
        {
            if (_model.GetDeclaredSymbol(local, _cancellationToken) is { } symbol) _taken.Add(symbol.Name);
        }

        foreach (var designation in declaration.DescendantNodes().OfType<SingleVariableDesignationSyntax>())
            _taken.Add(designation.Identifier.ValueText);

        // Named after every local is known, so a user's own `result` keeps its name.
        _result = Fresh(ResultName);
        var body = new List<Statement>();
        _blocks.Push(body);
        if (declaration.ExpressionBody is { } arrow)
        {
            Assign(_result, arrow.Expression, arrow.Expression);
        }
        else if (declaration.Body is { } block)
        {
            LowerSequence(block.Statements.ToList());
        }
        else
        {
            Report(DiagnosticDescriptors.UnsupportedSignature, declaration.Identifier.GetLocation(), _method.Name, "has no body to differentiate");
        }

        body.Add(new ReturnStatement(new Variable(_result)));
        _blocks.Pop();
        if (_forward is not null) _diagnostics.AddRange(_forward.Diagnostics);

        // Next to an error, a warning about a conversion is noise: the method is not differentiated anyway.
        if (parameters is null || _diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error))
            _diagnostics.RemoveAll(d => d.Descriptor == DiagnosticDescriptors.IntegerConversion);

        if (parameters is null || _diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error))
            return new FrontendResult<FunctionSpec>(null, _diagnostics.ToEquatableArray());

        _locals[_result] = TypeOf(_method.ReturnType)!.Value;
        var locals = _locals.Select(pair => new LocalSpec(pair.Key, pair.Value)).ToEquatableArray();
        var spec = new FunctionSpec(
            _method.Name,
            _isModelMethod,
            SyntaxFacts.GetText(_method.DeclaredAccessibility) is { Length: > 0 } accessibility ? accessibility : "private",
            TypeOf(_method.ReturnType)!.Value,
            parameters.Value.Concat(FieldInputsInDeclarationOrder()).ToEquatableArray(),
            locals,
            new Block(body.ToEquatableArray()))
        {
            ModelFields = ModelFieldsInDeclarationOrder(),
        };
        if (ReportScalarsWithoutDerivative(spec)) return new FrontendResult<FunctionSpec>(null, _diagnostics.ToEquatableArray());
        if (ReportGeneratedNamesTaken(spec, declaration)) return new FrontendResult<FunctionSpec>(null, _diagnostics.ToEquatableArray());
        return new FrontendResult<FunctionSpec>(spec, _diagnostics.ToEquatableArray());
    }

    /// <summary>
    /// LZ0112: a member of the user's type with the name of a generated method or class callers reach by name, or, in a model
    /// method, an input, field or local (each a field of the generated sweep class) named like a public member of that class.
    /// Private generated names are chosen around the user's instead, so only these can collide.
    /// </summary>
    bool ReportGeneratedNamesTaken(FunctionSpec spec, MethodDeclarationSyntax declaration)
    {
        var name = _method.Name;
        var generated = new List<(string Name, string What)>();
        if (_isModelMethod)
        {
            generated.Add((name + "WithPullback", "method"));
            generated.Add((name + "ThroughGeneratedBackward", "method"));
            generated.Add((name + "Sweep", "sweep class"));
            generated.Add((name + "Function", "autograd function"));
        }
        else
        {
            generated.Add((name + "WithGradient", "method"));
            generated.Add((name + "Pullback", "method"));
        }

        if (_forward is not null)
        {
            generated.Add((name + "Tangent", "method"));
            generated.Add((name + "JacobianVectorProduct", "method"));
            if (_isModelMethod) generated.Add((name + "GaussNewtonProduct", "method"));
            if (_forward.WantsHessianVectorProduct)
            {
                generated.Add((name + "HessianVectorProduct", "method"));
                generated.Add((name + "JacobianVectorProductPullback", "method"));
                generated.Add((name + "HessianSweepPullback", "method"));
            }
        }

        var reported = false;
        foreach (var (member, what) in generated.Where(g => UserMemberNames.Contains(_method.ContainingType, g.Name)))
        {
            Report(DiagnosticDescriptors.GeneratedNameTaken, declaration.Identifier.GetLocation(), member, what, name);
            reported = true;
        }

        if (_isModelMethod)
        {
            var sweepFields = new HashSet<string>(spec.Parameters.Select(p => p.Name).Concat(spec.Locals.Select(l => l.Name)));
            foreach (var member in GeneratedNames.SweepApi.Where(sweepFields.Contains))
            {
                Report(DiagnosticDescriptors.GeneratedNameTaken, declaration.Identifier.GetLocation(), member, $"member of {name}Sweep", name);
                reported = true;
            }
        }

        return reported;
    }

    EquatableArray<ParameterSpec>? ReadSignature(MethodDeclarationSyntax declaration)
    {
        string? problem = null;
        if (!_method.IsStatic && !_isModelMethod) problem = "must be static, or an instance method of a [Model] class";
        else if (_isModelMethod && (TypeOf(_method.ReturnType) != ValueType.Tensor || _method.Parameters.Length != 1 || TypeOf(_method.Parameters[0].Type) != ValueType.Tensor))
            problem = "is a [Model] method, which must take one Tensor and return a Tensor";
        else if (_method.IsGenericMethod) problem = "cannot be generic";
        else if (TypeOf(_method.ReturnType) is not (ValueType.Double or ValueType.Float or ValueType.Tensor)) problem = $"must return double, float or Tensor, not {_method.ReturnType.ToDisplayString()}";

        var wrt = WrtNames();
        var parameters = new List<ParameterSpec>();
        foreach (var parameter in _method.Parameters)
        {
            var type = TypeOf(parameter.Type);
            if (type is null)
                problem ??= $"has parameter '{parameter.Name}' of type {parameter.Type.ToDisplayString()}; supported are double, float, int, bool, Tensor and arrays of double or float";
            else if (parameter.RefKind != RefKind.None)
                problem ??= $"has a {parameter.RefKind.ToString().ToLowerInvariant()} parameter '{parameter.Name}'; pass it by value";

            var noDerivative = KnownSymbols.Has(parameter, _known.NoDerivativeAttribute);
            var hasAdjoint = type is { } t && t.IsDifferentiable() && !noDerivative;
            var isWrt = hasAdjoint && (wrt.Count == 0 || wrt.Contains(parameter.Name));
            parameters.Add(new ParameterSpec(parameter.Name, type ?? ValueType.Int, isWrt, hasAdjoint));
        }

        foreach (var name in wrt.Where(name => _method.Parameters.All(p => p.Name != name)))
            problem ??= $"lists '{name}' in Wrt, but has no parameter of that name";

        if (problem is null && !parameters.Any(p => p.IsWrt))
            problem = "has no double, float or Tensor parameter to differentiate with respect to";

        if (problem is null) return parameters.ToEquatableArray();
        Report(DiagnosticDescriptors.UnsupportedSignature, declaration.Identifier.GetLocation(), _method.Name, problem);
        return null;
    }

    HashSet<string> WrtNames()
    {
        var names = new HashSet<string>();
        var attribute = KnownSymbols.Find(_method, _known.DifferentiableAttribute);
        foreach (var argument in attribute?.NamedArguments ?? ImmutableArray<KeyValuePair<string, TypedConstant>>.Empty)
        {
            if (argument.Key != "Wrt" || argument.Value.Kind != TypedConstantKind.Array) continue;
            foreach (var item in argument.Value.Values)
                if (item.Value is string name) names.Add(name);
        }

        return names;
    }

    // ---- statements ----

    /// <summary>
    /// Lowers statements in order. An <c>if</c> that returns on some path takes the statements after
    /// it into each branch that falls through, so the function keeps a single exit.
    /// </summary>
    void LowerSequence(IReadOnlyList<StatementSyntax> statements)
    {
        for (var i = 0; i < statements.Count; i++)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var statement = statements[i];
            var rest = statements.Skip(i + 1).ToList();

            if (statement is ReturnStatementSyntax ret)
            {
                if (ret.Expression is null) Unsupported(ret, "a return without a value");
                else Assign(_result, ret.Expression, ret);
                return;
            }

            if (statement is BlockSyntax nested && ContainsReturn(nested))
            {
                LowerSequence(nested.Statements.Concat(rest).ToList());
                return;
            }

            if (statement is IfStatementSyntax constantBranch && ContainsReturn(constantBranch) && ConstantCondition(constantBranch.Condition) is { } taken)
            {
                var chosen = taken ? Flatten(constantBranch.Statement) : constantBranch.Else is null ? Enumerable.Empty<StatementSyntax>() : Flatten(constantBranch.Else.Statement);
                LowerSequence(chosen.Concat(rest).ToList());
                return;
            }

            if (statement is IfStatementSyntax branch && ContainsReturn(branch))
            {
                var condition = Lower(branch.Condition);
                var whenTrue = LowerBlock(() => LowerSequence(Flatten(branch.Statement).Concat(rest).ToList()));
                var whenFalse = LowerBlock(() => LowerSequence((branch.Else is null ? Enumerable.Empty<StatementSyntax>() : Flatten(branch.Else.Statement)).Concat(rest).ToList()));
                Emit(new IfStatement(condition, whenTrue, whenFalse));
                return;
            }

            LowerStatement(statement);
        }
    }

    /// <summary>
    /// The value of a condition C# knows at compile time (<c>1 &lt;= 1</c>): only the branch it takes is lowered, since the
    /// other would be unreachable code in the generated sweep (CS0162) where the source had a ternary.
    /// </summary>
    bool? ConstantCondition(ExpressionSyntax condition)
        => _model.GetConstantValue(condition, _cancellationToken) is { HasValue: true, Value: bool value } ? value : null;

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
            case IfStatementSyntax branch when ConstantCondition(branch.Condition) is { } taken:
                if (taken) LowerStatement(branch.Statement);
                else if (branch.Else is not null) LowerStatement(branch.Else.Statement);
                break;
            case IfStatementSyntax branch:
            {
                var condition = Lower(branch.Condition);
                var whenTrue = LowerBlock(() => LowerStatement(branch.Statement));
                var whenFalse = branch.Else is null ? Block.Empty : LowerBlock(() => LowerStatement(branch.Else.Statement));
                Emit(new IfStatement(condition, whenTrue, whenFalse));
                break;
            }
            case ForStatementSyntax loop:
                LowerFor(loop);
                break;
            case WhileStatementSyntax loop:
                LowerLoop(loop.Condition, loop.Statement, Enumerable.Empty<ExpressionSyntax>(), loop);
                break;
            case ReturnStatementSyntax ret:
                Unsupported(ret, _loopDepth > 0 ? "a return inside a loop; assign the result to a local and let the loop finish" : "a return here");
                break;
            default:
                Unsupported(statement, Describe(statement));
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
            if (_model.GetDeclaredSymbol(variable, _cancellationToken) is not ILocalSymbol local) continue;
            var type = TypeOf(local.Type);
            if (type is null || type.Value.IsArray())
            {
                Unsupported(variable, $"a local of type {local.Type.ToDisplayString()}; supported are double, float, int and bool (index array parameters directly)");
                continue;
            }

            var name = NameOf(local, type.Value);
            if (variable.Initializer is { } initializer) Assign(name, initializer.Value, variable);
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
            Unsupported(source, "a loop without a condition never ends without break, which is not supported");
            return;
        }

        _loopDepth++;
        Operand test = new Literal(1, ValueType.Bool);
        var header = LowerBlock(() => test = Lower(condition));
        var lowered = LowerBlock(() => LowerStatement(body));
        var increment = LowerBlock(() =>
        {
            foreach (var expression in step) LowerExpressionStatement(expression, source);
        });
        _loopDepth--;
        Emit(new LoopStatement(header, test, lowered, increment, Header(source)));
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
            default:
                Unsupported(expression, "an expression statement other than an assignment or increment");
                break;
        }
    }

    void Step(ExpressionSyntax target, bool increment, ExpressionSyntax source)
    {
        var name = TargetName(target);
        if (name is null) return;
        var type = _locals.TryGetValue(name, out var t) ? t : ParameterType(name);
        var result = Temporary(type);
        Emit(new Assignment(result, new BinaryExpression(increment ? BinaryOperator.Add : BinaryOperator.Subtract, new Variable(name), new Literal(1, type)), source.ToString()));
        Emit(new Assignment(name, new CopyExpression(new Variable(result)), source.ToString()));
    }

    void LowerAssignment(AssignmentExpressionSyntax assignment, SyntaxNode source)
    {
        if (assignment.Left is ElementAccessExpressionSyntax)
        {
            Unsupported(assignment, "writing into an array is not supported yet; accumulate into a local instead");
            return;
        }

        if (assignment.Left is DeclarationExpressionSyntax or TupleExpressionSyntax && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression))
        {
            LowerDeconstruction(assignment);
            return;
        }

        var name = TargetName(assignment.Left);
        if (name is null) return;

        if (assignment.IsKind(SyntaxKind.SimpleAssignmentExpression))
        {
            Assign(name, assignment.Right, assignment);
            return;
        }

        var op = CompoundOperator(assignment.Kind());
        if (op is null)
        {
            Unsupported(assignment, $"the operator {assignment.OperatorToken.Text}");
            return;
        }

        if (_model.GetOperation(assignment, _cancellationToken) is ICompoundAssignmentOperation { OperatorMethod: { } tensorOperator }
            && tensorOperator.ContainingAssembly?.Name == TorchSharpAssembly)
        {
            // h += x on tensors is h = h + x: a new tensor, so the old h stays intact for the backward.
            var key = "Tensor." + tensorOperator.Name;
            if (!TensorRules.TryGet(key, out var rule))
            {
                Report(DiagnosticDescriptors.NonDifferentiableCall, assignment.GetLocation(), $"operator {assignment.OperatorToken.Text} on tensors", tensorOperator.Name);
                return;
            }

            if (_noDerivativeDepth == 0) _forward?.CheckTensorRule(rule, assignment);
            var operands = new[] { new Variable(name), Lower(assignment.Right) }.ToEquatableArray();
            var token = assignment.OperatorToken.Text.TrimEnd('=');
            var call = new TensorCall(key, rule.Key, CallForm.Operator, token, operands, tensorOperator.Parameters.Select(p => p.Name).ToEquatableArray());
            var output = Temporary(ValueType.Tensor);
            Emit(new Assignment(output, call, assignment.ToString()));
            Emit(new Assignment(name, new CopyExpression(new Variable(output)), assignment.ToString()));
            return;
        }

        var right = Lower(assignment.Right);
        Emit(new Assignment(name, new BinaryExpression(op.Value, new Variable(name), right), assignment.ToString()));
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
        var symbol = _model.GetSymbolInfo(target, _cancellationToken).Symbol;
        switch (symbol)
        {
            case ILocalSymbol local when TypeOf(local.Type) is { } type:
                return NameOf(local, type);
            case IParameterSymbol parameter when TypeOf(parameter.Type) is { } type && !type.IsArray():
                return parameter.Name;
            default:
                Unsupported(target, symbol is IFieldSymbol or IPropertySymbol
                    ? $"assigning to '{symbol.Name}', which lives outside the method; derivatives cannot follow state outside it"
                    : "assigning to this target");
                return null;
        }
    }

    void Assign(string target, ExpressionSyntax value, SyntaxNode source)
    {
        var text = source is ExpressionSyntax or VariableDeclaratorSyntax ? Describe(source, target) : source.ToString();
        var lowered = LowerToExpression(value);
        if (lowered is TensorCall && !_temporaryNames.Contains(target))
        {
            // A tensor rule may read the call's output; a single-assignment temporary keeps it intact
            // for the reverse sweep even when the user's variable is reassigned later.
            var output = Temporary(ValueType.Tensor);
            Emit(new Assignment(output, lowered, text));
            Emit(new Assignment(target, new CopyExpression(new Variable(output)), text));
            return;
        }

        if (lowered is not null) Emit(new Assignment(target, lowered, text));
    }

    static string Describe(SyntaxNode source, string target) => source switch
    {
        VariableDeclaratorSyntax declarator => $"{declarator.Identifier.Text} = {declarator.Initializer?.Value}",
        ExpressionSyntax expression when expression.Parent is ArrowExpressionClauseSyntax => $"return {expression}",
        _ => source.ToString(),
    };

    // ---- expressions ----

    /// <summary>Lowers an expression to one IR expression whose operands are already computed.</summary>
    Expression? LowerToExpression(ExpressionSyntax syntax)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        var converted = TypeOf(_model.GetTypeInfo(syntax, _cancellationToken).ConvertedType);
        var natural = TypeOf(_model.GetTypeInfo(syntax, _cancellationToken).Type);
        var expression = LowerNatural(syntax);
        if (expression is null || converted is null || natural is null || converted == natural) return expression;

        var inner = Temporary(natural.Value);
        Emit(new Assignment(inner, expression, syntax.ToString()));
        return new ConvertExpression(converted.Value, new Variable(inner));
    }

    /// <summary>Lowers an expression and returns the operand holding its value.</summary>
    Operand Lower(ExpressionSyntax syntax)
    {
        var constant = _model.GetConstantValue(syntax, _cancellationToken);
        // A conversion to a type the IR does not model (int → long, double → Scalar) keeps the natural type.
        var type = TypeOf(_model.GetTypeInfo(syntax, _cancellationToken).ConvertedType) ?? TypeOf(_model.GetTypeInfo(syntax, _cancellationToken).Type) ?? ValueType.Double;
        if (constant.HasValue && ToNumber(constant.Value) is { } number) return new Literal(number, type);

        if (syntax is ParenthesizedExpressionSyntax parenthesized && TypeOf(_model.GetTypeInfo(parenthesized.Expression, _cancellationToken).Type) == type)
            return Lower(parenthesized.Expression);

        if (syntax is IdentifierNameSyntax && _model.GetTypeInfo(syntax, _cancellationToken).Type is { } natural && TypeOf(natural) == type)
        {
            var symbol = _model.GetSymbolInfo(syntax, _cancellationToken).Symbol;
            if (symbol is IParameterSymbol parameter) return new Variable(parameter.Name);
            if (symbol is IFieldSymbol field && FieldInput(field) is { } input) return new Variable(input);
            if (symbol is ILocalSymbol local && TypeOf(local.Type) is { } localType) return new Variable(NameOf(local, localType));
        }

        var expression = LowerToExpression(syntax);
        var temporary = Temporary(type);
        if (expression is not null) Emit(new Assignment(temporary, expression, syntax.ToString()));
        return new Variable(temporary);
    }

    static double? ToNumber(object? value) => value switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        bool b => b ? 1 : 0,
        _ => null,
    };

    Expression? LowerNatural(ExpressionSyntax syntax)
    {
        var constant = _model.GetConstantValue(syntax, _cancellationToken);
        if (constant.HasValue && ToNumber(constant.Value) is { } number)
            return new CopyExpression(new Literal(number, TypeOf(_model.GetTypeInfo(syntax, _cancellationToken).Type) ?? ValueType.Double));

        switch (syntax)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                // Roslyn reports an implicit conversion of (e) on e too; the parentheses' caller applies it once, so e
                // is lowered at its natural type here.
                return LowerNatural(parenthesized.Expression);
            case MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } member
                when _model.GetSymbolInfo(member, _cancellationToken).Symbol is IFieldSymbol field && FieldInput(field) is { } input:
                return new CopyExpression(new Variable(input));
            case IdentifierNameSyntax identifier:
                return LowerIdentifier(identifier);
            case BinaryExpressionSyntax binary:
                return LowerBinary(binary);
            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryMinusExpression)
                && _model.GetOperation(unary, _cancellationToken) is IUnaryOperation { OperatorMethod: { } negation } && negation.ContainingAssembly?.Name == TorchSharpAssembly:
                return LowerTensorOperator(unary, negation, new[] { unary.Operand }, "-");
            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryMinusExpression):
                return new UnaryExpression(UnaryOperator.Negate, Lower(unary.Operand));
            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryPlusExpression):
                return new CopyExpression(Lower(unary.Operand));
            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.LogicalNotExpression):
                return new UnaryExpression(UnaryOperator.Not, Lower(unary.Operand));
            case CastExpressionSyntax cast:
                return LowerCast(cast);
            case ConditionalExpressionSyntax conditional:
                return LowerConditional(conditional);
            case InvocationExpressionSyntax invocation:
                return LowerInvocation(invocation);
            case ElementAccessExpressionSyntax element:
                return LowerElementAccess(element);
            case MemberAccessExpressionSyntax { Expression: InvocationExpressionSyntax call } member
                when _model.GetSymbolInfo(member, _cancellationToken).Symbol is IFieldSymbol { ContainingType.IsTupleType: true } field
                    && _model.GetSymbolInfo(call, _cancellationToken).Symbol is IMethodSymbol { ContainingAssembly.Name: TorchSharpAssembly } tupleCall:
                // max(d).values, min(d).indexes: the element of TorchSharp's tuple the caller reads.
                return LowerTensorCall(call, tupleCall, TupleElement(field));
            case MemberAccessExpressionSyntax { Name.Identifier.Text: "Length" } length
                when _model.GetSymbolInfo(length.Expression, _cancellationToken).Symbol is { } arraySymbol && ArrayName(arraySymbol) is { } array:
                return new LengthExpression(array);
            case ArrayCreationExpressionSyntax creation:
                Unsupported(creation, "allocating an array; declare it outside and pass it in, or use a local of fixed size created before the loop");
                return null;
            default:
                Unsupported(syntax, "this kind of expression is not supported");
                return null;
        }
    }

    Expression? LowerIdentifier(IdentifierNameSyntax identifier)
    {
        var symbol = _model.GetSymbolInfo(identifier, _cancellationToken).Symbol;
        switch (symbol)
        {
            case IParameterSymbol parameter:
                return new CopyExpression(new Variable(parameter.Name));
            case ILocalSymbol local when TypeOf(local.Type) is { } type:
                return new CopyExpression(new Variable(NameOf(local, type)));
            case IFieldSymbol field when FieldInput(field) is { } input:
                return new CopyExpression(new Variable(input));
            default:
                Unsupported(identifier, symbol is IFieldSymbol or IPropertySymbol
                    ? $"'{symbol.Name}' is state outside the method; pass it as a parameter (mark it [NoDerivative] if it is data)"
                    : $"'{identifier}' cannot be read here");
                return null;
        }
    }

    /// <summary>A model method's <c>[Parameter]</c> (differentiable) or <c>[Buffer]</c> (data) field, read as an input.</summary>
    string? FieldInput(IFieldSymbol field)
    {
        if (!_isModelMethod || field.IsStatic || !SymbolEqualityComparer.Default.Equals(field.ContainingType, _method.ContainingType) || TypeOf(field.Type) != ValueType.Tensor)
            return null;

        var isParameter = KnownSymbols.Has(field, _known.ParameterAttribute);
        var isBuffer = KnownSymbols.Has(field, _known.BufferAttribute);
        if (!isParameter && !isBuffer) return null;
        if (!_fieldInputs.ContainsKey(field.Name))
            _fieldInputs[field.Name] = new ParameterSpec(field.Name, ValueType.Tensor, IsWrt: isParameter, HasAdjoint: isParameter, IsField: true);
        return field.Name;
    }

    IEnumerable<ParameterSpec> FieldInputsInDeclarationOrder()
        => _method.ContainingType.GetMembers().OfType<IFieldSymbol>()
            .Where(f => _fieldInputs.ContainsKey(f.Name))
            .Select(f => _fieldInputs[f.Name]);

    Expression? LowerBinary(BinaryExpressionSyntax binary)
    {
        if (binary.IsKind(SyntaxKind.LogicalAndExpression) || binary.IsKind(SyntaxKind.LogicalOrExpression))
        {
            // Short-circuit: the right side runs only when the left does not decide (it may index an array).
            var isAnd = binary.IsKind(SyntaxKind.LogicalAndExpression);
            var result = Temporary(ValueType.Bool);
            Emit(new Assignment(result, new CopyExpression(Lower(binary.Left)), binary.Left.ToString()));
            var second = LowerBlock(() => Emit(new Assignment(result, new CopyExpression(Lower(binary.Right)), binary.Right.ToString())));
            Emit(isAnd ? new IfStatement(new Variable(result), second, Block.Empty) : new IfStatement(new Variable(result), Block.Empty, second));
            return new CopyExpression(new Variable(result));
        }

        if (_model.GetOperation(binary, _cancellationToken) is IBinaryOperation { OperatorMethod: { } operatorMethod } && operatorMethod.ContainingAssembly?.Name == TorchSharpAssembly)
            return LowerTensorOperator(binary, operatorMethod, new[] { binary.Left, binary.Right }, binary.OperatorToken.Text);

        BinaryOperator? op = binary.Kind() switch
        {
            SyntaxKind.AddExpression => BinaryOperator.Add,
            SyntaxKind.SubtractExpression => BinaryOperator.Subtract,
            SyntaxKind.MultiplyExpression => BinaryOperator.Multiply,
            SyntaxKind.DivideExpression => BinaryOperator.Divide,
            SyntaxKind.ModuloExpression => BinaryOperator.Remainder,
            SyntaxKind.LessThanExpression => BinaryOperator.Less,
            SyntaxKind.LessThanOrEqualExpression => BinaryOperator.LessOrEqual,
            SyntaxKind.GreaterThanExpression => BinaryOperator.Greater,
            SyntaxKind.GreaterThanOrEqualExpression => BinaryOperator.GreaterOrEqual,
            SyntaxKind.EqualsExpression => BinaryOperator.Equal,
            SyntaxKind.NotEqualsExpression => BinaryOperator.NotEqual,
            _ => null,
        };

        if (op is null)
        {
            Unsupported(binary, $"the operator {binary.OperatorToken.Text}");
            return null;
        }

        var left = Lower(binary.Left);
        var right = Lower(binary.Right);
        return new BinaryExpression(op.Value, left, right);
    }

    Expression? LowerCast(CastExpressionSyntax cast)
    {
        var target = TypeOf(_model.GetTypeInfo(cast, _cancellationToken).Type);
        if (target is null)
        {
            Unsupported(cast, "a cast to a type other than double, float, int or bool");
            return null;
        }

        var source = TypeOf(_model.GetTypeInfo(cast.Expression, _cancellationToken).Type);
        if (target is ValueType.Int or ValueType.Bool && source is ValueType.Double or ValueType.Float && _noDerivativeDepth == 0)
        {
            var converted = cast.Expression is ParenthesizedExpressionSyntax parenthesized ? parenthesized.Expression : cast.Expression;
            Report(DiagnosticDescriptors.IntegerConversion, cast.GetLocation(), Shorten(converted.ToString()), target == ValueType.Int ? "int" : "bool");
        }

        return new ConvertExpression(target.Value, Lower(cast.Expression));
    }

    Expression? LowerConditional(ConditionalExpressionSyntax conditional)
    {
        // Lowered to a branch so that only the chosen side runs, as in C#.
        if (ConstantCondition(conditional.Condition) is { } taken) return LowerToExpression(taken ? conditional.WhenTrue : conditional.WhenFalse)!;
        var type = TypeOf(_model.GetTypeInfo(conditional, _cancellationToken).Type) ?? ValueType.Double;
        var result = Temporary(type);
        var condition = Lower(conditional.Condition);
        var whenTrue = LowerBlock(() => Assign(result, conditional.WhenTrue, conditional.WhenTrue));
        var whenFalse = LowerBlock(() => Assign(result, conditional.WhenFalse, conditional.WhenFalse));
        Emit(new IfStatement(condition, whenTrue, whenFalse));
        return new CopyExpression(new Variable(result));
    }

    Expression? LowerElementAccess(ElementAccessExpressionSyntax element)
    {
        if (TypeOf(_model.GetTypeInfo(element.Expression, _cancellationToken).Type) == ValueType.Tensor)
            return LowerTensorIndexer(element);

        var symbol = _model.GetSymbolInfo(element.Expression, _cancellationToken).Symbol;
        if (element.ArgumentList.Arguments.Count != 1 || symbol is null || ArrayName(symbol) is not { } array)
        {
            Unsupported(element, "indexing anything but a one-dimensional double or float array parameter or local");
            return null;
        }

        return new ElementExpression(array, Lower(element.ArgumentList.Arguments[0].Expression));
    }

    string? ArrayName(ISymbol symbol) => symbol switch
    {
        IParameterSymbol parameter when TypeOf(parameter.Type) is { } type && type.IsArray() => parameter.Name,
        ILocalSymbol local when TypeOf(local.Type) is { } type && type.IsArray() => NameOf(local, type),
        _ => null,
    };

    Expression? LowerInvocation(InvocationExpressionSyntax invocation)
    {
        if (TryLowerModelCall(invocation, out var modelCall)) return modelCall;

        if (_model.GetSymbolInfo(invocation, _cancellationToken).Symbol is not IMethodSymbol callee)
        {
            Unsupported(invocation, "a call that does not resolve to one method");
            return null;
        }

        if (callee.ContainingAssembly?.Name == TorchSharpAssembly)
            return LowerTensorCall(invocation, callee);

        var arguments = invocation.ArgumentList.Arguments;
        if (arguments.Any(a => !a.RefKindKeyword.IsKind(SyntaxKind.None) || a.NameColon is not null))
        {
            Unsupported(invocation, "ref, out and named arguments are not supported in calls on a differentiable path");
            return null;
        }

        var containing = callee.ContainingType;
        if (SymbolEqualityComparer.Default.Equals(containing, _known.Derivatives) && callee.Name == "NoDerivative" && arguments.Count == 1)
        {
            // Inside NoDerivative(...) nothing is differentiated, so a call without a derivative is fine there.
            _noDerivativeDepth++;
            var value = Lower(arguments[0].Expression);
            _noDerivativeDepth--;
            return new OpaqueCall("global::Leibniz.Derivatives.NoDerivative", new[] { value }.ToEquatableArray());
        }

        // A hand-written [Derivative] wins over a generated pullback and over the rule table, as in Clad.
        var custom = callee.IsStatic ? CustomDerivatives.Find(callee, _method.ContainingType, _known) : null;
        if (custom is null && callee.IsStatic && MathClassOf(callee) is { } mathClass)
        {
            if (ScalarRules.TryGet(callee.Name, arguments.Count, out var rule) && TypeOf(callee.ReturnType) is ValueType.Double or ValueType.Float
                && callee.Parameters.Select((p, i) => TypeOf(p.Type) is ValueType.Double or ValueType.Float || (rule.Partials[i] is null && TypeOf(p.Type) == ValueType.Int)).All(fits => fits))
            {
                var operands = arguments.Select(a => Lower(a.Expression)).ToEquatableArray();
                return new PrimitiveCall(CanonicalMathClass(callee, mathClass) + "." + callee.Name, operands);
            }

            if (ScalarRules.IsPiecewiseConstant(callee.Name) && TypeOf(callee.ReturnType) is not null
                && callee.Parameters.Any(p => TypeOf(p.Type) is ValueType.Double or ValueType.Float)
                && callee.Parameters.All(p => TypeOf(p.Type) is not null || p.Type.TypeKind == TypeKind.Enum))
            {
                // Flat between its jumps: the result is data to the derivative, as inside NoDerivative.
                var flatArguments = new List<Operand>();
                foreach (var argument in arguments)
                {
                    if (MathArgument(argument.Expression) is not { } value) return null;
                    flatArguments.Add(value);
                }

                return new OpaqueCall(callee.ContainingType!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + callee.Name, flatArguments.ToEquatableArray());
            }
        }

        if (custom is not null || (KnownSymbols.Has(callee, _known.DifferentiableAttribute) && callee.IsStatic))
        {
            if (custom is null && AppliesDropout(callee))
            {
                Unsupported(invocation, $"'{callee.Name}' applies dropout, and its pullback would run it again with a new mask; apply the dropout in this method instead");
                return null;
            }

            var tangent = _forward is not null && callee.IsStatic ? CustomDerivatives.FindTangent(callee, _method.ContainingType, _known) : null;
            if (_noDerivativeDepth == 0) _forward?.CheckCall(callee, custom, tangent, invocation);
            var operands = arguments.Select(a => Lower(a.Expression)).ToEquatableArray();
            var hasAdjoint = callee.Parameters
                .Select(p => TypeOf(p.Type) is { } t && t.IsDifferentiable() && !KnownSymbols.Has(p, _known.NoDerivativeAttribute))
                .ToEquatableArray();
            var owner = callee.ContainingType!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            var pullback = custom is null ? owner + "." + callee.Name + "Pullback" : custom.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + custom.Name;
            return new DifferentiableCall(owner, callee.Name, pullback, operands, hasAdjoint)
            {
                Tangent = tangent is null ? null : tangent.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + tangent.Name,
            };
        }

        var returnsFloat = TypeOf(callee.ReturnType) is { } r && r.IsDifferentiable();
        var takesFloat = callee.Parameters.Any(p => TypeOf(p.Type) is { } t && t.IsDifferentiable());
        if (returnsFloat && takesFloat && _noDerivativeDepth == 0)
        {
            Report(DiagnosticDescriptors.NonDifferentiableCall, invocation.GetLocation(), callee.ToDisplayString(), callee.Name);
            return null;
        }

        if (callee.ReturnsVoid || TypeOf(callee.ReturnType) is null)
        {
            Unsupported(invocation, $"a call of '{callee.ToDisplayString()}', whose result is not a number");
            return null;
        }

        if (!callee.IsStatic)
        {
            // The opaque call is emitted as Type.Method(arguments): a receiver would be lost.
            Unsupported(invocation, $"a call of instance method '{callee.ToDisplayString()}'; call a static method instead");
            return null;
        }

        // No floating-point input or output (or inside NoDerivative): the call is data to the derivative.
        var values = arguments.Select(a => Lower(a.Expression)).ToEquatableArray();
        return new OpaqueCall(callee.ContainingType!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + callee.Name, values);
    }

    /// <summary>The class of a math static the scalar table covers, as the table's calls name it: <c>Math</c>, <c>MathF</c>, <c>Double</c>, <c>Single</c>.</summary>
    static string? MathClassOf(IMethodSymbol callee) => callee.ContainingType switch
    {
        { SpecialType: SpecialType.System_Double } => "Double",
        { SpecialType: SpecialType.System_Single } => "Single",
        { } type when type.ToDisplayString() == "System.Math" => "Math",
        { } type when type.ToDisplayString() == "System.MathF" => "MathF",
        _ => null,
    };

    /// <summary>
    /// <c>double.Sin</c> is <c>Math.Sin</c>: a generic-math static is named by the <c>Math</c>/<c>MathF</c> method with the
    /// same signature where there is one, so that both spellings are one primitive. Those only <c>double</c>/<c>float</c>
    /// have (<c>Exp2</c>, <c>Hypot</c>) keep their class.
    /// </summary>
    string CanonicalMathClass(IMethodSymbol callee, string mathClass)
    {
        if (mathClass is "Math" or "MathF") return mathClass;
        foreach (var candidate in mathClass == "Single" ? new[] { "MathF", "Math" } : new[] { "Math" })
        {
            var type = _model.Compilation.GetTypeByMetadataName("System." + candidate);
            var same = type?.GetMembers(callee.Name).OfType<IMethodSymbol>().Any(m => m.IsStatic
                && SymbolEqualityComparer.Default.Equals(m.ReturnType, callee.ReturnType)
                && m.Parameters.Length == callee.Parameters.Length
                && m.Parameters.Select((p, i) => SymbolEqualityComparer.Default.Equals(p.Type, callee.Parameters[i].Type)).All(equal => equal));
            if (same == true) return candidate;
        }

        return mathClass;
    }

    /// <summary>An argument of a piecewise-constant math call: a number, or a constant of an enum (<c>MidpointRounding</c>).</summary>
    Operand? MathArgument(ExpressionSyntax syntax)
    {
        var type = _model.GetTypeInfo(syntax, _cancellationToken).ConvertedType;
        if (type?.TypeKind != TypeKind.Enum) return Lower(syntax);
        if (_model.GetSymbolInfo(syntax, _cancellationToken).Symbol is IFieldSymbol { HasConstantValue: true } member && SymbolEqualityComparer.Default.Equals(member.ContainingType, type))
            return new CodeLiteral(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + member.Name);
        if (_model.GetConstantValue(syntax, _cancellationToken) is { HasValue: true, Value: { } value })
            return new CodeLiteral("((" + type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ")" + System.Convert.ToString(value, CultureInfo.InvariantCulture) + ")");
        Unsupported(syntax, $"a {type.Name} that is not a constant");
        return null;
    }

    // ---- tensors ----

    Expression? LowerTensorOperator(ExpressionSyntax syntax, IMethodSymbol method, ExpressionSyntax[] operands, string token)
    {
        var key = "Tensor." + method.Name;
        if (!TensorRules.TryGet(key, out var rule))
        {
            Report(DiagnosticDescriptors.NonDifferentiableCall, syntax.GetLocation(), $"operator {token} on tensors", method.Name);
            return null;
        }

        if (_noDerivativeDepth == 0) _forward?.CheckTensorRule(rule, syntax);
        var arguments = operands.Select(Lower).ToEquatableArray();
        var names = method.Parameters.Select(p => p.Name).ToEquatableArray();
        return new TensorCall(key, rule.Key, CallForm.Operator, token, arguments, names);
    }

    /// <summary>A TorchSharp call; <paramref name="member"/>, for an API returning a tuple (<c>max(dim)</c>), is the element the caller reads.</summary>
    Expression? LowerTensorCall(InvocationExpressionSyntax invocation, IMethodSymbol callee, int? member = null)
    {
        if (_model.GetOperation(invocation, _cancellationToken) is not IInvocationOperation operation)
        {
            Unsupported(invocation, "a call that does not resolve to one TorchSharp method");
            return null;
        }

        var memberName = member is { } m && m >= 0 && callee.ReturnType is INamedTypeSymbol { IsTupleType: true } tuple ? tuple.TupleElements[m].Name : null;
        var suffix = memberName is null ? "" : "." + memberName;
        var (key, signature) = TensorKeys(callee, suffix);
        var hasRule = TensorRules.TryGetRow(signature, out var rule) || TensorRules.TryGetRow(key, out rule);

        var returnsTensor = memberName is not null || TypeOf(callee.ReturnType) == ValueType.Tensor;
        var tensorInvolved = returnsTensor && (operation.Instance is not null || callee.Parameters.Any(p => TypeOf(p.Type) == ValueType.Tensor));
        if (callee.Name.EndsWith("_", System.StringComparison.Ordinal) && tensorInvolved)
        {
            // TorchSharp's in-place ops overwrite a tensor the reverse sweep may still read.
            Report(DiagnosticDescriptors.InPlaceMutation, invocation.GetLocation(), callee.Name, callee.Name.TrimEnd('_'));
            return null;
        }

        if (TryLowerLayer(invocation, operation, key, out var layer)) return layer;

        if (!hasRule && _noDerivativeDepth > 0)
        {
            // Inside NoDerivative(...) the call is data: no rule, no adjoint.
            hasRule = true;
            rule = new TensorRule("", System.Array.Empty<string?>(), System.Array.Empty<bool>(), "no derivative");
        }

        if (!hasRule)
        {
            if (tensorInvolved)
            {
                Report(DiagnosticDescriptors.NonDifferentiableCall, invocation.GetLocation(), callee.ToDisplayString() + suffix, callee.Name);
                return null;
            }

            Unsupported(invocation, $"a call of '{callee.ToDisplayString()}' on a differentiable path");
            return null;
        }

        var arguments = new List<Operand>();
        var names = new List<string>();
        var packs = new List<PackedArgument>();
        if (operation.Instance is not null)
        {
            arguments.Add(Lower(((MemberAccessExpressionSyntax)invocation.Expression).Expression));
            names.Add("this");
        }

        var receivers = arguments.Count;
        var scalars = new List<(int Index, IArgumentOperation Argument)>();
        foreach (var argument in operation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
        {
            // Rules number parameters, the receiver first; a packed argument takes several operands but one number.
            var parameter = receivers + (argument.Parameter?.Ordinal ?? 0);
            if (rule.DefaultsFrom is { } from && parameter >= from && argument.ArgumentKind != ArgumentKind.DefaultValue)
            {
                Unsupported(invocation, $"'{callee.Name}' with '{argument.Parameter?.Name}' set; only its default is differentiated");
                return null;
            }

            var name = argument.Parameter?.Name ?? "";
            if (argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                arguments.Add(new OmittedArgument(DefaultOf(argument.Parameter)));
                names.Add(name);
                continue;
            }

            // conv2d's sizes stay whole: its backward repeats them, so they must be constants (ConstantSizes checks).
            if (key != Conv2dKey && TryPack(argument, parameter, arguments.Count, invocation, out var pack, out var packed))
            {
                if (packed is null) return null;
                if (pack is not null) packs.Add(pack);
                arguments.AddRange(packed);
                names.AddRange(packed.Select(_ => name));
                continue;
            }

            scalars.Add((arguments.Count, argument));
            arguments.Add(LowerArgument(argument.Value));
            names.Add(name);
        }

        var ruleKey = PackedArgument.KeyOf(rule.Key, packs);
        TensorRule? laid = null;
        if (rule.Key.Length > 0 && !TensorRules.TryGet(ruleKey, out laid))
        {
            Unsupported(invocation, $"'{callee.Name}' called this way: its derivative needs its list of tensors written out, as in new[] {{ a, b }}");
            return null;
        }

        if (laid is not null)
        {
            for (var i = 0; i < arguments.Count; i++)
            {
                var placeholder = "{" + i.ToString(CultureInfo.InvariantCulture) + "}";
                if (arguments[i] is OmittedArgument { Default: null } && Enumerable.Range(0, laid.Vjps.Length).Any(j => laid.Vjp(j)?.Contains(placeholder) == true))
                {
                    Unsupported(invocation, $"'{callee.Name}' with '{names[i]}' left to a default its derivative cannot repeat; pass it explicitly");
                    return null;
                }
            }
        }

        if (_noDerivativeDepth == 0) _forward?.CheckTensorRule(rule, invocation, packed: packs.Count > 0);

        if (laid is not null && _noDerivativeDepth == 0)
        {
            foreach (var (index, argument) in scalars)
            {
                if (laid.Vjp(index) is null && arguments[index] is Variable v && (_locals.TryGetValue(v.Name, out var type) ? type : ParameterType(v.Name)) is ValueType.Double or ValueType.Float)
                    _scalarsWithoutDerivative.Add((v.Name, argument.Syntax.GetLocation(), Shorten(argument.Syntax.ToString()), callee.Name, argument.Parameter?.Name ?? ""));
            }
        }

        var form = operation.Instance is null ? CallForm.Static : CallForm.Instance;
        var target = form == CallForm.Static ? callee.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + callee.Name : callee.Name;
        return new TensorCall(key, ruleKey, form, target, arguments.ToEquatableArray(), names.ToEquatableArray())
        {
            Packs = packs.ToEquatableArray(),
            Member = memberName,
        };
    }

    Operand LowerArgument(IOperation value)
    {
        // The literal 0 converts to any enum, so t.sum(0) binds to sum(ScalarType?): a constant passed to a long parameter
        // keeps its L, or the generated call could pick another overload than the user's.
        var parameterType = value.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : value.Type;
        if (parameterType?.SpecialType == SpecialType.System_Int64 && value.ConstantValue is { HasValue: true, Value: { } longConstant } && IsIntegral(parameterType))
            return LongLiteral(System.Convert.ToInt64(longConstant, CultureInfo.InvariantCulture));

        // A constant passed to a nullable parameter (squeeze(0L) into long?) is lowered as the constant itself: the
        // conversion to Nullable<T> has no constant value, and the literal alone would lower as a double.
        while (value is IConversionOperation { IsImplicit: true } conversion && conversion.Operand.Type?.TypeKind != TypeKind.Enum
            && (TypeOf(conversion.Operand.Type) is not null || (conversion.Conversion.IsNullable && conversion.Operand.ConstantValue.HasValue)))
            value = conversion.Operand;

        if (value.ConstantValue is { HasValue: true } constant)
        {
            if (value.Type?.TypeKind == TypeKind.Enum && value is IFieldReferenceOperation field)
                return new CodeLiteral(field.Field.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + field.Field.Name);
            if (constant.Value is null) return new CodeLiteral("null");
            // A long (2L) would otherwise print as the double 2.0, which no long parameter takes.
            if (constant.Value is long longValue) return LongLiteral(longValue);
            if (value.Type is { } integral && IsIntegral(integral) && constant.Value is not int) return Integer(System.Convert.ToInt64(constant.Value, CultureInfo.InvariantCulture));
            if (ToNumber(constant.Value) is { } number) return new Literal(number, TypeOf(value.Type) ?? ValueType.Double);
        }

        if (ConstantSizes(value) is { } sizes) return sizes;
        return value.Syntax is ExpressionSyntax expression ? Lower(expression) : new CodeLiteral(value.Syntax.ToString());
    }

    /// <summary><c>TorchSharp.torch.nn.functional</c> → <c>nn.functional</c>; <c>TorchSharp.torch</c> → <c>torch</c>.</summary>
    static string TorchPath(INamedTypeSymbol type)
    {
        var path = type.ToDisplayString();
        const string torch = "TorchSharp.torch";
        if (path == torch) return "torch";
        return path.StartsWith(torch + ".", System.StringComparison.Ordinal) ? path.Substring(torch.Length + 1) : path;
    }

    // ---- helpers ----

    Block LowerBlock(System.Action lower)
    {
        var statements = new List<Statement>();
        _blocks.Push(statements);
        lower();
        _blocks.Pop();
        return new Block(statements.ToEquatableArray());
    }

    void Emit(Statement statement)
    {
        // x = x; changes nothing, and its copy in generated code would warn (CS1717).
        if (statement is Assignment { Value: CopyExpression { Value: Variable copied } } assignment && copied.Name == assignment.Target) return;
        _blocks.Peek().Add(statement);
    }

    string Temporary(ValueType type)
    {
        string name;
        do name = "t" + (_temporaries++).ToString(CultureInfo.InvariantCulture);
        while (_taken.Contains(name));
        _taken.Add(name);
        _temporaryNames.Add(name);
        _locals[name] = type;
        return name;
    }

    string Fresh(string preferred)
    {
        var name = preferred;
        for (var i = 1; _taken.Contains(name); i++) name = preferred + i.ToString(CultureInfo.InvariantCulture);
        _taken.Add(name);
        return name;
    }

    /// <summary>The lowered name of a local: its own, unless an earlier scope already used it for another variable.</summary>
    string NameOf(ILocalSymbol local, ValueType type)
    {
        if (_names.TryGetValue(local, out var name)) return name;
        name = _names.Values.Contains(local.Name) || local.Name == _result ? FreshLocal(local.Name) : local.Name;
        _names[local] = name;
        _locals[name] = type;
        return name;
    }

    string FreshLocal(string preferred)
    {
        for (var i = 1; ; i++)
        {
            var name = preferred + "_" + i.ToString(CultureInfo.InvariantCulture);
            if (_taken.Add(name)) return name;
        }
    }

    ValueType ParameterType(string name)
        => _method.Parameters.FirstOrDefault(p => p.Name == name) is { } parameter && TypeOf(parameter.Type) is { } type ? type : ValueType.Double;

    static ValueType? TypeOf(ITypeSymbol? type) => type switch
    {
        INamedTypeSymbol named when IsTensor(named) => ValueType.Tensor,
        { SpecialType: SpecialType.System_Double } => ValueType.Double,
        { SpecialType: SpecialType.System_Single } => ValueType.Float,
        { SpecialType: SpecialType.System_Int32 } => ValueType.Int,
        { SpecialType: SpecialType.System_Boolean } => ValueType.Bool,
        IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Double } => ValueType.DoubleArray,
        IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Single } => ValueType.FloatArray,
        _ => null,
    };

    static bool IsTensor(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            if (t.MetadataName == "Tensor" && t.ContainingType?.MetadataName == "torch" && t.ContainingNamespace?.Name == "TorchSharp") return true;
        }

        return false;
    }

    void Unsupported(SyntaxNode node, string why)
        => Report(DiagnosticDescriptors.UnsupportedStatement, node.GetLocation(), Shorten(node.ToString()), _method.Name, why);

    static string Shorten(string text)
    {
        var line = text.Replace("\r", "").Split('\n')[0].Trim();
        return line.Length > 60 ? line.Substring(0, 57) + "..." : line;
    }

    void Report(DiagnosticDescriptor descriptor, Location location, params string[] arguments)
        => _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));
}
