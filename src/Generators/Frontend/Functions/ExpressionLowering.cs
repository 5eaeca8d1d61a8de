using Leibniz.Generators.Common;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.IR.Functions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>
/// Expressions to A-normal form: every computation becomes <c>temporary = op(operands)</c> whose operands are already
/// computed, conversions the IR models are explicit, and <c>&amp;&amp;</c>, <c>||</c> and <c>?:</c> become branches so only the
/// side C# would run runs. Calls go to <see cref="InvocationLowering"/>, tensors to <see cref="TensorCallLowering"/>.
/// </summary>
internal sealed class ExpressionLowering
{
    readonly LoweringContext _context;
    readonly FunctionBuilder _builder;
    readonly InvocationLowering _invocations;

    public ExpressionLowering(LoweringContext context, FunctionBuilder builder)
    {
        _context = context;
        _builder = builder;
        TensorCalls = new TensorCallLowering(context, builder, this);
        _invocations = new InvocationLowering(context, builder, this, TensorCalls, new ModelCallLowering(context, builder, this));
    }

    public TensorCallLowering TensorCalls { get; }

    /// <summary>Lowers <paramref name="value"/> into <paramref name="target"/>; <paramref name="source"/> is the code the assignment came from.</summary>
    public void Assign(string target, ExpressionSyntax value, SyntaxNode source)
    {
        var text = source is ExpressionSyntax or VariableDeclaratorSyntax ? Describe(source) : source.ToString();
        var lowered = LowerToExpression(value);
        if (lowered is TensorCall && !_builder.Locals.IsTemporary(target))
        {
            // A tensor rule may read the call's output; a single-assignment temporary keeps it intact
            // for the reverse sweep even when the user's variable is reassigned later.
            var output = _builder.Locals.Temporary(ValueType.Tensor);
            _builder.Emit(new Assignment(output, lowered, text));
            _builder.Emit(new Assignment(target, new CopyExpression(new Variable(output)), text));
            return;
        }

        if (lowered is not null) _builder.Emit(new Assignment(target, lowered, text));
    }

    static string Describe(SyntaxNode source) => source switch
    {
        VariableDeclaratorSyntax declarator => $"{declarator.Identifier.Text} = {declarator.Initializer?.Value}",
        ExpressionSyntax expression when expression.Parent is ArrowExpressionClauseSyntax => $"return {expression}",
        _ => source.ToString(),
    };

    /// <summary>Lowers an expression to one IR expression whose operands are already computed.</summary>
    public Expression? LowerToExpression(ExpressionSyntax syntax)
    {
        _context.CancellationToken.ThrowIfCancellationRequested();
        var natural = IRTypes.Of(_context.NaturalTypeOf(syntax));
        var converted = Widened(IRTypes.Of(_context.ConvertedTypeOf(syntax)), natural);
        // A constant converted implicitly (the 0 of long t = 0) is the constant of the converted type.
        if (converted is { } constantType && constantType != natural && constantType is not ValueType.Bool
            && _context.ConstantOf(syntax) is { HasValue: true, Value: int or long } constant && ConstantOperands.ToNumber(constant.Value) is { } value)
            return new CopyExpression(new Literal(value, constantType));
        var expression = LowerNatural(syntax);
        if (expression is null || converted is null || natural is null || converted == natural) return expression;

        var inner = _builder.Locals.Temporary(natural.Value);
        _builder.Emit(new Assignment(inner, expression, syntax.ToString()));
        return new ConvertExpression(converted.Value, new Variable(inner));
    }

    /// <summary>Lowers an expression and returns the operand holding its value.</summary>
    public Operand Lower(ExpressionSyntax syntax)
    {
        var constant = _context.ConstantOf(syntax);
        // A conversion to a type the IR does not model (double → Scalar) keeps the natural type, and so does int → long,
        // which C# makes as implicitly in the generated code.
        var naturalType = IRTypes.Of(_context.NaturalTypeOf(syntax));
        var type = Widened(IRTypes.Of(_context.ConvertedTypeOf(syntax)), naturalType) ?? naturalType ?? ValueType.Double;
        if (constant.HasValue && ConstantOperands.ToNumber(constant.Value) is { } number) return new Literal(number, type);

        if (syntax is ParenthesizedExpressionSyntax parenthesized && IRTypes.Of(_context.NaturalTypeOf(parenthesized.Expression)) == type)
            return Lower(parenthesized.Expression);

        if (syntax is IdentifierNameSyntax && _context.NaturalTypeOf(syntax) is { } natural && IRTypes.Of(natural) == type)
        {
            var symbol = _context.SymbolOf(syntax);
            if (symbol is IParameterSymbol parameter) return new Variable(parameter.Name);
            if (symbol is IFieldSymbol field && _builder.ModelFields.Input(field) is { } input) return new Variable(input);
            if (symbol is ILocalSymbol local && IRTypes.Of(local.Type) is { } localType) return new Variable(_builder.Locals.NameOf(local, localType));
        }

        if (syntax is MemberAccessExpressionSyntax member && type == ValueType.Tensor && TupleInputElement(member) is { } element)
            return new Variable(element);

        var expression = LowerToExpression(syntax);
        var temporary = _builder.Locals.Temporary(type);
        if (expression is not null) _builder.Emit(new Assignment(temporary, expression, syntax.ToString()));
        return new Variable(temporary);
    }

    /// <summary>The type a value is converted to, except that an int widened to long stays an int.</summary>
    static ValueType? Widened(ValueType? converted, ValueType? natural)
        => converted == ValueType.Long && natural == ValueType.Int ? natural : converted;

    Expression? LowerNatural(ExpressionSyntax syntax)
    {
        var constant = _context.ConstantOf(syntax);
        if (constant.HasValue && ConstantOperands.ToNumber(constant.Value) is { } number)
            return new CopyExpression(new Literal(number, IRTypes.Of(_context.NaturalTypeOf(syntax)) ?? ValueType.Double));

        switch (syntax)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                // Roslyn reports an implicit conversion of (e) on e too; the parentheses' caller applies it once, so e
                // is lowered at its natural type here.
                return LowerNatural(parenthesized.Expression);
            case MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } member
                when _context.SymbolOf(member) is IFieldSymbol field && _builder.ModelFields.Input(field) is { } input:
                return new CopyExpression(new Variable(input));
            case IdentifierNameSyntax identifier:
                return LowerIdentifier(identifier);
            case BinaryExpressionSyntax binary:
                return LowerBinary(binary);
            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryMinusExpression)
                && _context.OperationOf(unary) is IUnaryOperation { OperatorMethod: { } negation } && negation.ContainingAssembly?.Name == LoweringContext.TorchSharpAssembly:
                return TensorCalls.LowerOperator(unary, negation, new[] { unary.Operand }, "-");
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
                return _invocations.Lower(invocation);
            case ElementAccessExpressionSyntax element:
                return LowerElementAccess(element);
            case MemberAccessExpressionSyntax member when TupleInputElement(member) is { } element:
                return new CopyExpression(new Variable(element));
            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Solution", Expression: InvocationExpressionSyntax solverCall }
                when _context.SymbolOf(solverCall) is IMethodSymbol { ReturnType: var returned } && ImplicitLayerFrontend.IsImplicitSolution(returned):
                // An implicit layer's solver that hands over a preconditioner: its solution is the layer's value.
                return _invocations.Lower(solverCall);
            case MemberAccessExpressionSyntax { Expression: InvocationExpressionSyntax call } member
                when _context.SymbolOf(member) is IFieldSymbol { ContainingType.IsTupleType: true } field
                    && _context.SymbolOf(call) is IMethodSymbol { ContainingAssembly.Name: LoweringContext.TorchSharpAssembly } tupleCall:
                // max(d).values, min(d).indexes: the element of TorchSharp's tuple the caller reads.
                return TensorCalls.LowerCall(call, tupleCall, TupleElement(field));
            case MemberAccessExpressionSyntax { Name.Identifier.Text: "Length" } length
                when _context.SymbolOf(length.Expression) is { } arraySymbol && ArrayName(arraySymbol) is { } array:
                return new LengthExpression(array);
            case MemberAccessExpressionSyntax { Name.Identifier.Text: "Length", Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "shape" } shape }
                when TensorOf(shape) is { } shaped:
                return TensorFactCalls.Of("Rank", Lower(shaped));
            case MemberAccessExpressionSyntax property when TensorOf(property) is { } tensor && property.Name.Identifier.Text is "Dimensions" or "ndim" or "NumberOfElements":
                return TensorFactCalls.Of(property.Name.Identifier.Text == "NumberOfElements" ? "Count" : "Dimensions", Lower(tensor));
            case MemberAccessExpressionSyntax property when TensorOf(property) is { } transposed && property.Name.Identifier.Text is "T":
                // A matrix's (or vector's) transpose, x.T, is x.t(): the rule table's row. TorchSharp's T also reverses the
                // dimensions of a tensor of rank 3 or more, where t() throws: such a call fails loudly instead of differing.
                return new TensorCall("Tensor.t", "Tensor.t", CallForm.Instance, "t", new[] { Lower(transposed) }.ToEquatableArray(), new[] { "this" }.ToEquatableArray());
            case MemberAccessExpressionSyntax property when TensorOf(property) is not null && property.Name.Identifier.Text is "shape":
                _builder.Diagnostics.Unsupported(property, "the whole shape as a value; read one size (x.shape[0], x.size(0)), or pass the tensor to a *_like creation call");
                return null;
            case ArrayCreationExpressionSyntax creation:
                _builder.Diagnostics.Unsupported(creation, "allocating an array; declare it outside and pass it in, or use a local of fixed size created before the loop");
                return null;
            default:
                _builder.Diagnostics.Unsupported(syntax, "this kind of expression is not supported");
                return null;
        }
    }

    /// <summary>The position of <paramref name="field"/> in its tuple, by its own name or by the <c>ItemN</c> it stands for.</summary>
    static int TupleElement(IFieldSymbol field)
    {
        var elements = field.ContainingType.TupleElements;
        for (var i = 0; i < elements.Length; i++)
        {
            if (SymbolEqualityComparer.Default.Equals(elements[i], field) || SymbolEqualityComparer.Default.Equals(elements[i].CorrespondingTupleField, field.CorrespondingTupleField))
                return i;
        }

        return -1;
    }

    /// <summary>The lowered input an element of a model method's tuple input stands for (<c>input.X</c>, <c>input.Item2</c>); null for anything else.</summary>
    public string? TupleInputElement(MemberAccessExpressionSyntax member)
    {
        var elements = _builder.Locals.TupleElements;
        if (elements.Count == 0
            || _context.SymbolOf(member.Expression) is not IParameterSymbol parameter
            || !SymbolEqualityComparer.Default.Equals(parameter, _context.Method.Parameters[0])
            || _context.SymbolOf(member) is not IFieldSymbol field)
            return null;
        var index = TupleElement(field);
        return index >= 0 && index < elements.Count ? elements[index] : null;
    }

    Expression? LowerIdentifier(IdentifierNameSyntax identifier)
    {
        var symbol = _context.SymbolOf(identifier);
        switch (symbol)
        {
            case IParameterSymbol parameter when _builder.Locals.TupleElements.Count > 0:
                var first = parameter.Type is INamedTypeSymbol { TupleElements: { Length: > 0 } elements } ? elements[0].Name : "Item1";
                _builder.Diagnostics.Unsupported(identifier, $"the tuple input '{parameter.Name}' as a whole; read its elements ({parameter.Name}.{first}) or deconstruct it first: var (a, b) = {parameter.Name};");
                return null;
            case IParameterSymbol parameter:
                return new CopyExpression(new Variable(parameter.Name));
            case ILocalSymbol local when IRTypes.Of(local.Type) is { } type:
                return new CopyExpression(new Variable(_builder.Locals.NameOf(local, type)));
            case IFieldSymbol field when _builder.ModelFields.Input(field) is { } input:
                return new CopyExpression(new Variable(input));
            default:
                _builder.Diagnostics.Unsupported(identifier, symbol is IFieldSymbol or IPropertySymbol
                    ? $"'{symbol.Name}' is state outside the method; pass it as a parameter (mark it [NoDerivative] if it is data)"
                    : $"'{identifier}' cannot be read here");
                return null;
        }
    }

    Expression? LowerBinary(BinaryExpressionSyntax binary)
    {
        if (binary.IsKind(SyntaxKind.LogicalAndExpression) || binary.IsKind(SyntaxKind.LogicalOrExpression))
        {
            // Short-circuit: the right side runs only when the left does not decide (it may index an array).
            var isAnd = binary.IsKind(SyntaxKind.LogicalAndExpression);
            var result = _builder.Locals.Temporary(ValueType.Bool);
            _builder.Emit(new Assignment(result, new CopyExpression(Lower(binary.Left)), binary.Left.ToString()));
            var second = _builder.Nested(() => _builder.Emit(new Assignment(result, new CopyExpression(Lower(binary.Right)), binary.Right.ToString())));
            _builder.Emit(isAnd ? new IfStatement(new Variable(result), second, Block.Empty) : new IfStatement(new Variable(result), Block.Empty, second));
            return new CopyExpression(new Variable(result));
        }

        if (_context.OperationOf(binary) is IBinaryOperation { OperatorMethod: { } operatorMethod } && operatorMethod.ContainingAssembly?.Name == LoweringContext.TorchSharpAssembly)
            return TensorCalls.LowerOperator(binary, operatorMethod, new[] { binary.Left, binary.Right }, binary.OperatorToken.Text);

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
            _builder.Diagnostics.Unsupported(binary, $"the operator {binary.OperatorToken.Text}");
            return null;
        }

        var left = Lower(binary.Left);
        var right = Lower(binary.Right);
        return new BinaryExpression(op.Value, left, right);
    }

    Expression? LowerCast(CastExpressionSyntax cast)
    {
        var target = IRTypes.Of(_context.NaturalTypeOf(cast));
        if (target is null)
        {
            _builder.Diagnostics.Unsupported(cast, "a cast to a type other than double, float, int, long or bool");
            return null;
        }

        var source = IRTypes.Of(_context.NaturalTypeOf(cast.Expression));
        if (target is ValueType.Int or ValueType.Long or ValueType.Bool && source is ValueType.Double or ValueType.Float && !_builder.WithoutDerivative)
        {
            var converted = cast.Expression is ParenthesizedExpressionSyntax parenthesized ? parenthesized.Expression : cast.Expression;
            _builder.Diagnostics.Report(DiagnosticDescriptors.IntegerConversion, cast.GetLocation(), LoweringDiagnostics.Shorten(converted.ToString()), target.Value.CSharpName());
        }

        return new ConvertExpression(target.Value, Lower(cast.Expression));
    }

    Expression? LowerConditional(ConditionalExpressionSyntax conditional)
    {
        // Lowered to a branch so that only the chosen side runs, as in C#.
        if (_context.ConstantCondition(conditional.Condition) is { } taken) return LowerToExpression(taken ? conditional.WhenTrue : conditional.WhenFalse)!;
        var type = IRTypes.Of(_context.NaturalTypeOf(conditional)) ?? ValueType.Double;
        var result = _builder.Locals.Temporary(type);
        var condition = Lower(conditional.Condition);
        var whenTrue = _builder.Nested(() => Assign(result, conditional.WhenTrue, conditional.WhenTrue));
        var whenFalse = _builder.Nested(() => Assign(result, conditional.WhenFalse, conditional.WhenFalse));
        _builder.Emit(new IfStatement(condition, whenTrue, whenFalse));
        return new CopyExpression(new Variable(result));
    }

    /// <summary>The tensor whose TorchSharp property <paramref name="member"/> reads (<c>x</c> in <c>x.shape</c>); null for anything else.</summary>
    ExpressionSyntax? TensorOf(MemberAccessExpressionSyntax member)
        => _context.SymbolOf(member) is IPropertySymbol { ContainingAssembly.Name: LoweringContext.TorchSharpAssembly, IsStatic: false }
           && _context.NaturalTypeOf(member.Expression) is INamedTypeSymbol receiver && IRTypes.IsTensor(receiver)
            ? member.Expression
            : null;

    Expression? LowerElementAccess(ElementAccessExpressionSyntax element)
    {
        if (element.Expression is MemberAccessExpressionSyntax { Name.Identifier.Text: "shape" } shape && TensorOf(shape) is { } shaped
            && element.ArgumentList.Arguments.Count == 1)
        {
            // x.shape[d]: one size, data to the derivative.
            return TensorFactCalls.Of("Size", Lower(shaped), Lower(element.ArgumentList.Arguments[0].Expression));
        }

        if (IRTypes.Of(_context.NaturalTypeOf(element.Expression)) == ValueType.Tensor)
            return TensorCalls.LowerIndexer(element);

        var symbol = _context.SymbolOf(element.Expression);
        if (element.ArgumentList.Arguments.Count != 1 || symbol is null || ArrayName(symbol) is not { } array)
        {
            _builder.Diagnostics.Unsupported(element, "indexing anything but a one-dimensional double or float array parameter or local");
            return null;
        }

        return new ElementExpression(array, Lower(element.ArgumentList.Arguments[0].Expression));
    }

    string? ArrayName(ISymbol symbol) => symbol switch
    {
        IParameterSymbol parameter when IRTypes.Of(parameter.Type) is { } type && type.IsArray() => parameter.Name,
        ILocalSymbol local when IRTypes.Of(local.Type) is { } type && type.IsArray() => _builder.Locals.NameOf(local, type),
        _ => null,
    };
}
