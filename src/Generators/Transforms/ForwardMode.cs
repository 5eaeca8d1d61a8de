using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;
using Leibniz.Generators.Rules;
using Leibniz.Generators.Rules.Scalar;
using Leibniz.Generators.Rules.Tensor;

namespace Leibniz.Generators.Transforms;

/// <summary>
/// Forward mode over structured IR, IR → IR. The result is an ordinary function — the Jacobian–vector product —
/// that takes the primal parameters and one tangent per differentiable parameter, runs the primal statements in
/// their order and, beside each active one, statements computing its tangent ẏ = Σᵢ (∂y/∂aᵢ)·ȧᵢ from the rule
/// tables; it returns the result's tangent. Control flow is copied: branches and loops are the primal's, with
/// tangent code inside, so anything reverse mode follows, forward mode follows too. Every tangent statement is a
/// plain assignment over ops the tables know, so reverse mode can differentiate the tangent function again.
/// </summary>
internal sealed class ForwardMode
{
    /// <summary>The suffix of the generated Jacobian–vector product (the tangent alone) of a function.</summary>
    public const string JacobianVectorProductSuffix = DerivativeMethodNames.JacobianVectorProductSuffix;

    /// <summary>The suffix reverse mode gives a pullback; the tangent of a call runs the callee's JVP, whose pullback has it.</summary>
    public const string PullbackSuffix = DerivativeMethodNames.PullbackSuffix;

    const string TangentPrefix = "d";
    const string TangentSource = "tangent of ";
    const string Torch = "global::TorchSharp.torch";

    readonly FunctionSpec _function;
    readonly ActivityAnalysis _activity;
    readonly Dictionary<string, ValueType> _types = new();
    readonly HashSet<string> _names = new();
    readonly Dictionary<string, string> _tangents = new();
    readonly List<LocalSpec> _locals = new();
    readonly HashSet<string> _pending = new();
    readonly List<CalledModelDirections> _called = new();
    List<Statement> _block = new();
    string _source = "";
    string? _previousSource;
    int _temporaries;

    ForwardMode(FunctionSpec function)
    {
        _function = function;
        foreach (var parameter in function.Parameters)
        {
            _types[parameter.Name] = parameter.Type;
            _names.Add(parameter.Name);
        }

        foreach (var local in function.Locals)
        {
            _types[local.Name] = local.Type;
            _names.Add(local.Name);
        }

        var assignments = new List<Assignment>();
        ActivityAnalysis.Collect(function.Body, assignments);
        _activity = new ActivityAnalysis(function, assignments);
    }

    /// <summary>
    /// The forward-mode derivative of <paramref name="function"/>; with <paramref name="withReverse"/>, also reverse
    /// mode applied to it, which gives Hessian–vector products. A <c>[Model]</c> method's parameter fields are inputs
    /// like any other, with tangents of their own; its JVP is a plain function of them all.
    /// </summary>
    /// <exception cref="ForwardModeException">Something in the function has no tangent (the front end reports it first as LZ0109).</exception>
    public static TangentFunctionSpec Differentiate(FunctionSpec function, bool withReverse)
    {
        var forward = new ForwardMode(function);
        var (jvp, tangents, value) = forward.Run();
        jvp = SelfComparisons.Rewrite(WithoutDeadAssignments(jvp, value));
        if (forward._called.Count > 0)
        {
            // A model calling models: its tangent runs each called model's ForwardTangent, whose parameters are not
            // inputs of this function, so reverse mode over the tangent cannot reach them here; the emitter's
            // Hessian–vector product differentiates the generated tangent as a whole instead.
            if (function.Parameters.Count(p => !p.IsField) != 1 || function.Parameters.First(p => !p.IsField).Type != ValueType.Tensor || function.ReturnType != ValueType.Tensor)
                throw new ForwardModeException("a model calling other models has forward mode for a Forward of one tensor to a tensor only");
            return new TangentFunctionSpec(function, jvp, value, tangents, null)
            {
                CalledModels = forward._called.ToEquatableArray(),
                ComposedHessianVectorProduct = withReverse,
            };
        }

        var reverse = withReverse ? ReverseMode.Differentiate(jvp) : null;
        return new TangentFunctionSpec(function, jvp, value, tangents, reverse)
        {
            OverWrt = withReverse && function.Parameters.Any(p => p.HasAdjoint && !p.IsWrt) ? OverWrtOnly(function) : null,
        };
    }

    /// <summary>
    /// The JVP without assignments to locals nothing reads (a <c>const</c> local of the source, one it never reads) and
    /// without their declarations; the tangent method returns the primal result <paramref name="value"/> too. A model's
    /// JVP is left whole.
    /// </summary>
    static FunctionSpec WithoutDeadAssignments(FunctionSpec jvp, string value)
    {
        if (jvp.IsModelMethod) return jvp;
        var body = DeadAssignments.Remove(new[] { jvp.Body }, jvp.Locals.Select(l => l.Name), new[] { value })[0];
        return UnusedLocals.Prune(jvp with { Body = body }, value);
    }

    /// <summary>The method, private to the generated file, whose pullback a Hessian–vector product over the <c>Wrt</c> inputs runs.</summary>
    public static string HessianSweepName(string function) => function + "HessianSweep";

    static TangentFunctionSpec OverWrtOnly(FunctionSpec function)
    {
        var restricted = function with { Parameters = function.Parameters.Select(p => p.IsWrt ? p : p with { HasAdjoint = false }).ToEquatableArray() };
        var (jvp, tangents, value) = new ForwardMode(restricted).Run();
        jvp = SelfComparisons.Rewrite(WithoutDeadAssignments(jvp, value));
        jvp = jvp with { Name = HessianSweepName(function.Name), Accessibility = "private" };
        return new TangentFunctionSpec(restricted, jvp, value, tangents, ReverseMode.Differentiate(jvp));
    }

    /// <summary>The JVP method of a function: <c>FJacobianVectorProduct</c>.</summary>
    public static string JacobianVectorProductName(string function) => function + JacobianVectorProductSuffix;

    (FunctionSpec Jvp, EquatableArray<TangentParameter> Tangents, string Value) Run()
    {
        var parameters = new List<ParameterSpec>(_function.Parameters);
        var tangents = new List<TangentParameter>();
        foreach (var parameter in _function.Parameters.Where(p => p.HasAdjoint))
        {
            var tangent = Unique(TangentPrefix + parameter.Name);
            _tangents[parameter.Name] = tangent;
            _types[tangent] = parameter.Type;
            parameters.Add(new ParameterSpec(tangent, parameter.Type, parameter.IsWrt, HasAdjoint: true));
            tangents.Add(new TangentParameter(parameter.Name, parameter.Type, tangent, parameter.IsWrt));
        }

        var value = ((Variable)_function.Body.Statements.OfType<ReturnStatement>().Single().Value).Name;
        var body = Transform(_function.Body);
        var jvp = new FunctionSpec(
            JacobianVectorProductName(_function.Name),
            IsModelMethod: false,
            _function.Accessibility,
            _function.ReturnType,
            parameters.ToEquatableArray(),
            _function.Locals.Concat(_locals).ToEquatableArray(),
            body);
        return (jvp, tangents.ToEquatableArray(), value);
    }

    // ---- statements ----

    Block Transform(Block block)
    {
        var outer = _block;
        _block = new List<Statement>();
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case Assignment assignment:
                    TransformAssignment(assignment);
                    break;
                case IfStatement branch:
                    _block.Add(new IfStatement(branch.Condition, Transform(branch.Then), Transform(branch.Else)));
                    break;
                case LoopStatement loop:
                    _block.Add(new LoopStatement(Transform(loop.Header), loop.Condition, Transform(loop.Body), Transform(loop.Step), loop.Source));
                    break;
                case ReturnStatement ret:
                    _block.Add(new ReturnStatement(new Variable(ResultTangent(((Variable)ret.Value).Name))));
                    break;
                default:
                    _block.Add(statement);
                    break;
            }
        }

        var result = new Block(_block.ToEquatableArray());
        _block = outer;
        return result;
    }

    /// <summary>The result's tangent; zero when the result does not vary with the inputs.</summary>
    string ResultTangent(string result)
    {
        if (_activity.IsActive(result)) return TangentOf(result);
        _source = TangentSource + "return";
        var tangent = TangentOf(result);
        _block.Add(new Assignment(tangent, Zero(new Variable(result), _types[result]), _source));
        return tangent;
    }

    void TransformAssignment(Assignment assignment)
    {
        var target = assignment.Target;
        if (!_activity.IsActive(target))
        {
            _block.Add(assignment);
            return;
        }

        var type = _types[target];
        var tangent = TangentOf(target);
        // A copy out of the temporary computed just before repeats that statement's comment.
        if (!(assignment.Value is CopyExpression && assignment.Source == _previousSource))
            _block.Add(new CommentStatement(TangentSource + assignment.Source));
        _previousSource = assignment.Source;
        _source = TangentSource + assignment.Source;
        _pending.Clear();

        if (assignment.Value is ModelCall model)
        {
            // y = m.Forward(h): ẏ = ∂y/∂h·ḣ + ∂y/∂θₘ·θ̇ₘ, the called model's own tangent over its input and its parameters,
            // whose directions are the part of the caller's direction under the field m.
            var directions = _called.FirstOrDefault(c => c.Field == model.Field)?.Directions;
            if (directions is null)
            {
                directions = Unique(TangentPrefix + model.Field);
                _called.Add(new CalledModelDirections(model.Field, directions));
            }

            var input = TangentOrNull(model.Input) ?? ZeroLike(model.Input);
            _block.Add(new Assignment(tangent, new ModelJacobianVectorProduct(model.Field, model.Input, input, new Variable(directions)), _source));
            _block.Add(assignment);
            return;
        }

        if (assignment.Value is DifferentiableCall call)
        {
            // The callee's JVP reads only the arguments and their tangents, so it may run first; TangentCallFusion
            // then makes the pair one call of the callee's Tangent.
            _block.Add(new Assignment(tangent, TangentCall(call), _source));
            _block.Add(assignment);
            return;
        }

        // The tangent may read the new value (d exp a = exp a·da); where the statement overwrites one of its own
        // operands, the value goes to a temporary first, so the tangent still sees the operands as they were.
        var aliased = Reads(assignment.Value).Contains(target);
        Operand output;
        if (aliased)
        {
            var value = Temporary(type);
            _block.Add(new Assignment(value, assignment.Value, assignment.Source));
            output = new Variable(value);
        }
        else
        {
            _block.Add(assignment);
            output = new Variable(target);
        }

        Finish(TangentOf(assignment.Value, output, type), tangent, type, output);
        if (aliased) _block.Add(new Assignment(target, new CopyExpression(output), assignment.Source));
    }

    /// <summary><c>tangent = value</c>: the statement that computed <paramref name="value"/> writes the tangent directly when it can.</summary>
    void Finish(Operand? value, string tangent, ValueType type, Operand output)
    {
        if (value is null)
        {
            _block.Add(new Assignment(tangent, Zero(output, type), _source));
            return;
        }

        // dx = dx: the statement left the tangent as it was (x += c with c inactive).
        if (value is Variable same && same.Name == tangent) return;

        if (value is Variable v && _pending.Contains(v.Name) && _block.Count > 0 && _block[_block.Count - 1] is Assignment last && last.Target == v.Name)
        {
            _block[_block.Count - 1] = last with { Target = tangent };
            _locals.RemoveAll(l => l.Name == v.Name);
            return;
        }

        _block.Add(new Assignment(tangent, new CopyExpression(value), _source));
    }

    Expression Zero(Operand like, ValueType type) => type switch
    {
        ValueType.Tensor => new OpaqueCall(Torch + ".zeros_like", new[] { like }.ToEquatableArray()),
        ValueType.DoubleArray or ValueType.FloatArray => new OpaqueCall("global::Leibniz.Generated.Tangents.Zeros", new[] { like }.ToEquatableArray()),
        _ => new CopyExpression(new Literal(0, type)),
    };

    // ---- expressions ----

    /// <summary>The tangent of <paramref name="expression"/>, whose value is in <paramref name="output"/>; null when it is zero.</summary>
    Operand? TangentOf(Expression expression, Operand output, ValueType type)
    {
        switch (expression)
        {
            case CopyExpression e:
                return TangentOrNull(e.Value);
            case ConvertExpression e:
                return TangentOrNull(e.Value) is { } converted ? Let(new ConvertExpression(e.Target, converted), type) : null;
            case UnaryExpression { Operator: UnaryOperator.Negate } e:
                return TangentOrNull(e.Operand) is { } negated ? Let(new UnaryExpression(UnaryOperator.Negate, negated), type) : null;
            case BinaryExpression e:
                return BinaryTangent(e, output, type);
            case PrimitiveCall e:
                return PrimitiveTangent(e, output, type);
            case ElementExpression e:
                return _activity.IsActive(e.Array) ? Let(new ElementExpression(TangentOf(e.Array), e.Index), type) : null;
            case ConditionalExpression e:
            {
                var (whenTrue, whenFalse) = (TangentOrNull(e.WhenTrue), TangentOrNull(e.WhenFalse));
                if (whenTrue is null && whenFalse is null) return null;
                return Let(new ConditionalExpression(e.Condition, whenTrue ?? new Literal(0, type), whenFalse ?? new Literal(0, type)), type);
            }

            case TensorCall e:
                return TensorTangent(e, output);
            default:
                // Opaque calls, comparisons, lengths: no derivative flows through them.
                return null;
        }
    }

    Operand? BinaryTangent(BinaryExpression e, Operand output, ValueType type)
    {
        var (a, b) = (e.Left, e.Right);
        var (da, db) = (TangentOrNull(a), TangentOrNull(b));
        switch (e.Operator)
        {
            case BinaryOperator.Add:
                return Sum(type, (da, false), (db, false));
            case BinaryOperator.Subtract:
                return Sum(type, (da, false), (db, true));
            case BinaryOperator.Multiply when da is not null && a.Equals(b):
            {
                // d(a·a) = a·da + a·da, formed once: the same value as da·a + a·da, bit for bit, with one product
                // fewer, and in a Hessian–vector product one adjoint fewer to carry back.
                var product = Let(new BinaryExpression(BinaryOperator.Multiply, a, da), type);
                return Let(new BinaryExpression(BinaryOperator.Add, product, product), type);
            }

            case BinaryOperator.Multiply:
                // d(a·b) = da·b + a·db
                return Sum(type,
                    (da is null ? null : Let(new BinaryExpression(BinaryOperator.Multiply, da, b), type), false),
                    (db is null ? null : Let(new BinaryExpression(BinaryOperator.Multiply, a, db), type), false));
            case BinaryOperator.Divide:
            {
                // d(a/b) = (da − y·db)/b, with y = a/b already computed.
                if (db is null) return da is null ? null : Let(new BinaryExpression(BinaryOperator.Divide, da, b), type);
                var scaled = Let(new BinaryExpression(BinaryOperator.Multiply, output, db), type);
                if (da is null) return Let(new UnaryExpression(UnaryOperator.Negate, Let(new BinaryExpression(BinaryOperator.Divide, scaled, b), type)), type);
                return Let(new BinaryExpression(BinaryOperator.Divide, Let(new BinaryExpression(BinaryOperator.Subtract, da, scaled), type), b), type);
            }

            case BinaryOperator.Remainder:
            {
                // a % b = a − trunc(a/b)·b, and trunc is flat almost everywhere: d = da − trunc(a/b)·db.
                if (db is null) return da;
                var quotient = Let(new BinaryExpression(BinaryOperator.Divide, a, b), type);
                var truncated = Let(new OpaqueCall("global::System." + MathClassOf(type) + ".Truncate", new Operand[] { quotient }.ToEquatableArray()), type);
                return Sum(type, (da, false), (Let(new BinaryExpression(BinaryOperator.Multiply, truncated, db), type), true));
            }

            default:
                return null;
        }
    }

    /// <summary>dy = Σᵢ ∂f/∂aᵢ·daᵢ over the arguments that vary, each partial lowered from the scalar rule table.</summary>
    Operand? PrimitiveTangent(PrimitiveCall call, Operand output, ValueType type)
    {
        var dot = call.Function.IndexOf('.');
        var mathClass = call.Function.Substring(0, dot);
        var name = call.Function.Substring(dot + 1);
        if (!ScalarRules.TryGet(name, call.Arguments.Count, out var rule))
            throw new ForwardModeException($"{call.Function} has no rule in the scalar table");

        var terms = new List<(Operand?, bool)>();
        for (var i = 0; i < call.Arguments.Count; i++)
        {
            if (rule.Partials[i] is not { } partial || TangentOrNull(call.Arguments[i]) is not { } da) continue;
            var slope = Lower(partial, call, name, output, mathClass, type);
            terms.Add(slope is Literal { Value: 1 } ? (da, false) : (Let(new BinaryExpression(BinaryOperator.Multiply, slope, da), type), false));
        }

        return Sum(type, terms.ToArray());
    }

    /// <summary>
    /// A partial derivative from the rule table as IR. A call of the primitive itself on its own arguments is its
    /// output, already computed (d exp a = exp a, d √a = 1/(2√a)).
    /// </summary>
    Operand Lower(DerivativeExpression expression, PrimitiveCall call, string function, Operand output, string mathClass, ValueType type)
    {
        Operand Inner(DerivativeExpression inner) => Lower(inner, call, function, output, mathClass, type);

        switch (expression)
        {
            case Argument a:
                return call.Arguments[a.Index];
            case Number n:
                return new Literal(n.Value, type);
            case MathCall c when c.Function == function && c.Arguments.Length == call.Arguments.Count
                                 && c.Arguments.Select((x, i) => x is Argument { Index: var index } && index == i).All(same => same):
                return output;
            case MathCall c:
            {
                var arguments = c.Arguments.Select(Inner).ToEquatableArray();
                // Functions the table lacks (Truncate, in a remainder's partial) are flat where they are used.
                return ScalarRules.TryGet(c.Function, c.Arguments.Length, out _)
                    ? Let(new PrimitiveCall(mathClass + "." + c.Function, arguments), type)
                    : Let(new OpaqueCall("global::System." + mathClass + "." + c.Function, arguments), type);
            }

            case Operation o:
                return Let(new BinaryExpression(Arithmetic(o.Operator), Inner(o.Left), Inner(o.Right)), type);
            case Negation n:
                return Let(new UnaryExpression(UnaryOperator.Negate, Inner(n.Operand)), type);
            case Piecewise p:
            {
                var condition = Let(new BinaryExpression(Comparison(p.Operator), Inner(p.Left), Inner(p.Right)), ValueType.Bool);
                if (IsConstant(p.WhenTrue) && IsConstant(p.WhenFalse))
                    return Let(new ConditionalExpression(condition, Inner(p.WhenTrue), Inner(p.WhenFalse)), type);

                // A branch that depends on the arguments runs only where it is chosen, and reverse mode follows it.
                var result = Temporary(type);
                var whenTrue = Capture(() => _block.Add(new Assignment(result, new CopyExpression(Inner(p.WhenTrue)), _source)));
                var whenFalse = Capture(() => _block.Add(new Assignment(result, new CopyExpression(Inner(p.WhenFalse)), _source)));
                _block.Add(new IfStatement(condition, whenTrue, whenFalse));
                return new Variable(result);
            }

            default:
                throw new ForwardModeException($"the partial {expression.GetType().Name} has no IR form");
        }
    }

    static bool IsConstant(DerivativeExpression expression) => expression switch
    {
        Number => true,
        Piecewise p => IsConstant(p.WhenTrue) && IsConstant(p.WhenFalse),
        _ => false,
    };

    static BinaryOperator Arithmetic(string op) => op switch
    {
        "+" => BinaryOperator.Add,
        "-" => BinaryOperator.Subtract,
        "*" => BinaryOperator.Multiply,
        "/" => BinaryOperator.Divide,
        _ => throw new ForwardModeException($"the operator {op} has no IR form"),
    };

    static BinaryOperator Comparison(string op) => op switch
    {
        "<" => BinaryOperator.Less,
        "<=" => BinaryOperator.LessOrEqual,
        ">" => BinaryOperator.Greater,
        ">=" => BinaryOperator.GreaterOrEqual,
        "==" => BinaryOperator.Equal,
        _ => throw new ForwardModeException($"the comparison {op} has no IR form"),
    };

    Block Capture(System.Action emit)
    {
        var outer = _block;
        _block = new List<Statement>();
        emit();
        var captured = new Block(_block.ToEquatableArray());
        _block = outer;
        return captured;
    }

    /// <summary>t₁ ± t₂ ± … over the terms present (a negated term is subtracted); null when none is.</summary>
    Operand? Sum(ValueType type, params (Operand? Term, bool Negate)[] terms)
    {
        var present = terms.Where(t => t.Term is not null).ToList();
        if (present.Count == 0) return null;
        var (first, negateFirst) = present[0];
        Operand total;
        if (negateFirst && present.Count > 1 && !present[1].Negate)
        {
            total = Let(new BinaryExpression(BinaryOperator.Subtract, present[1].Term!, first!), type);
            present.RemoveAt(1);
        }
        else
        {
            total = negateFirst ? Let(new UnaryExpression(UnaryOperator.Negate, first!), type) : first!;
        }

        foreach (var (term, negate) in present.Skip(1))
            total = Let(new BinaryExpression(negate ? BinaryOperator.Subtract : BinaryOperator.Add, total, term!), type);
        return total;
    }

    Operand? TensorTangent(TensorCall call, Operand output)
    {
        // A call inside NoDerivative(...) has no row, and no tangent.
        if (!TensorRules.TryGet(call.Rule, out var rule)) return null;
        if (!TensorTangentRules.TryGet(call.Rule, out var tangentRule))
        {
            // A shape or reduction op written with its sizes element by element (x.reshape(6, 2), x.sum(new long[] { 0, 2 }))
            // is linear in the tensor it acts on and reads the sizes as data: its tangent is the same call on the tangent.
            if (TensorTangentRules.IsLinearInFirst(call.Rule) && Enumerable.Range(1, call.Arguments.Count - 1).All(i => TangentOrNull(call.Arguments[i]) is null))
                return TangentOrNull(call.Arguments[0]) is { } first
                    ? Let(call with { Arguments = new[] { first }.Concat(call.Arguments.Skip(1)).ToEquatableArray() }, ValueType.Tensor)
                    : null;
            throw new ForwardModeException($"the tensor rule {call.Rule} has no tangent rule");
        }
        return tangentRule(new CallTangent(this, call, output, rule));
    }

    /// <summary>
    /// The tangent of a call of another <c>[Differentiable]</c> method: its generated JVP, on the arguments and
    /// their tangents (zero where an argument does not vary), differentiated again through the JVP's pullback.
    /// </summary>
    DifferentiableCall TangentCall(DifferentiableCall call)
    {
        var generated = call.ContainingType + "." + call.Method + PullbackSuffix;
        if (call.Pullback != generated && call.Tangent is null)
            throw new ForwardModeException($"{call.Method} has a hand-written pullback ({call.Pullback}) and no tangent");

        var arguments = new List<Operand>(call.Arguments);
        var hasAdjoint = new List<bool>(call.ArgumentHasAdjoint);
        for (var i = 0; i < call.Arguments.Count; i++)
        {
            if (!call.ArgumentHasAdjoint[i]) continue;
            var argument = call.Arguments[i];
            arguments.Add(TangentOrNull(argument) ?? ZeroLike(argument));
            hasAdjoint.Add(true);
        }

        if (call.Tangent is { } tangent)
        {
            // The user's [Tangent] takes the same arguments as a generated JVP; reverse mode over it (for H·v) runs its generated pullback.
            var dot = tangent.LastIndexOf('.');
            return new DifferentiableCall(tangent.Substring(0, dot), tangent.Substring(dot + 1), tangent + PullbackSuffix, arguments.ToEquatableArray(), hasAdjoint.ToEquatableArray());
        }

        var jvp = JacobianVectorProductName(call.Method);
        return new DifferentiableCall(call.ContainingType, jvp, call.ContainingType + "." + jvp + PullbackSuffix, arguments.ToEquatableArray(), hasAdjoint.ToEquatableArray());
    }

    Operand ZeroLike(Operand argument)
    {
        var type = argument switch
        {
            Variable v => _types[v.Name],
            Literal l => l.Type,
            _ => ValueType.Double,
        };
        return type is ValueType.Tensor or ValueType.DoubleArray or ValueType.FloatArray
            ? Let(Zero(argument, type), type)
            : new Literal(0, type);
    }

    // ---- names and emission ----

    Operand? TangentOrNull(Operand operand) => operand is Variable v && _activity.IsActive(v.Name) ? new Variable(TangentOf(v.Name)) : null;

    string TangentOf(string variable)
    {
        if (_tangents.TryGetValue(variable, out var tangent)) return tangent;
        tangent = Unique(TangentPrefix + variable);
        _tangents[variable] = tangent;
        _types[tangent] = _types[variable];
        _locals.Add(new LocalSpec(tangent, _types[variable]));
        return tangent;
    }

    /// <summary>Emits <c>t = expression</c> into a fresh temporary of <paramref name="type"/>.</summary>
    Variable Let(Expression expression, ValueType type)
    {
        var temporary = Temporary(type);
        _block.Add(new Assignment(temporary, expression, _source));
        return new Variable(temporary);
    }

    string Temporary(ValueType type)
    {
        var name = Unique("_p" + (_temporaries++).ToString(CultureInfo.InvariantCulture));
        _types[name] = type;
        _locals.Add(new LocalSpec(name, type));
        _pending.Add(name);
        return name;
    }

    string Unique(string preferred)
    {
        var name = preferred;
        for (var i = 1; !_names.Add(name); i++) name = preferred + "_" + i.ToString(CultureInfo.InvariantCulture);
        return name;
    }

    static string MathClassOf(ValueType type) => type == ValueType.Float ? "MathF" : "Math";

    static IEnumerable<string> Reads(Expression expression) => ExpressionOperands.Names(expression);

    /// <summary>A tensor call as a tangent rule sees it.</summary>
    sealed class CallTangent : ITangentBuilder
    {
        readonly ForwardMode _forward;
        readonly TensorRule _rule;

        public CallTangent(ForwardMode forward, TensorCall call, Operand output, TensorRule rule)
        {
            _forward = forward;
            _rule = rule;
            Call = call;
            Output = output;
        }

        public TensorCall Call { get; }

        public Operand Output { get; }

        public Operand Argument(int index) => index < Call.Arguments.Count ? Call.Arguments[index] : new OmittedArgument();

        public Operand? Tangent(int index)
            => !_rule.HasDerivative(index) || index >= Call.Arguments.Count ? null : _forward.TangentOrNull(Call.Arguments[index]);

        public bool IsTensor(Operand operand) => operand is Variable v && _forward._types[v.Name] == ValueType.Tensor;

        public void HasOutputShape(Operand term)
        {
        }

        public Variable Emit(TensorCall call)
        {
            if (!TensorRules.TryGet(call.Rule, out _))
                throw new ForwardModeException($"a tangent rule calls {call.Rule}, which is not a row of the tensor table");
            return _forward.Let(call, ValueType.Tensor);
        }

        public Variable EmitNumber(Expression expression, ValueType type) => _forward.Let(expression, type);

        public Variable EmitConstant(string csharp, params Operand[] arguments)
            => _forward.Let(new OpaqueCall(csharp, arguments.ToEquatableArray()), ValueType.Tensor);
    }
}

/// <summary>Forward mode met something without a tangent; the front end reports it to the user as LZ0109.</summary>
internal sealed class ForwardModeException : System.Exception
{
    public ForwardModeException(string message) : base(message)
    {
    }
}
