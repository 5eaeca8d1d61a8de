using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;
using Leibniz.Generators.Rules.Tensor;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Transforms;

/// <summary>
/// A tensor call's pullback, derived from its row's tangent rule: linearize, then transpose ("You Only Linearize Once",
/// Radul et al. 2023). The tangent rule runs once with a symbolic tangent for each argument that wants an adjoint; what
/// it writes splits into primal code (partials such as <c>cos a</c>, which the reverse sweep computes from kept values)
/// and linear code (everything reading a tangent), which is walked backwards through the transposition rules.
/// </summary>
internal sealed class TensorPullbackDerivation
{
    const string SumToShapeOf = "global::Leibniz.Generated.Broadcasting.SumToShapeOf";

    /// <summary>Calls whose result has the broadcast shape of their tensor operands, elementwise.</summary>
    static readonly HashSet<string> ElementwiseRows = new()
    {
        "Tensor.op_Addition", "Tensor.add", "Tensor.op_Subtraction", "Tensor.sub", "Tensor.op_Multiply", "Tensor.mul",
        "Tensor.op_Division", "Tensor.div", "Tensor.op_UnaryNegation", "Tensor.neg",
        "Tensor.gt", "Tensor.ge", "Tensor.lt", "Tensor.le", "Tensor.eq", "Tensor.ne", "Tensor.sign", "Tensor.logical_not",
        "Tensor.op_GreaterThan", "Tensor.op_GreaterThanOrEqual", "Tensor.op_LessThan", "Tensor.op_LessThanOrEqual",
        "Tensor.where", "torch.where(Tensor, Tensor, Tensor)", "Tensor.masked_fill",
    };

    /// <summary>The shape of a reduction over every element (no dimensions), as a base of signatures.</summary>
    const string WholeReduction = "⟨no dimensions⟩";

    readonly TensorCall _call;
    readonly string _output;
    readonly Func<Operand, ValueType> _typeOf;
    readonly Func<ValueType, string> _newLocal;
    readonly string _source;
    readonly Dictionary<string, ValueType> _types = new();
    readonly Dictionary<string, ImmutableSortedSet<string>> _signatures = new();
    readonly Dictionary<string, string> _sameBase = new();
    readonly HashSet<string> _primal = new();
    readonly HashSet<string> _linear = new();
    readonly List<Assignment> _recorded = new();
    readonly Dictionary<string, int> _placeholders = new();
    readonly List<Statement> _statements = new();
    int _recordedCount;

    TensorPullbackDerivation(TensorCall call, string output, Func<Operand, ValueType> typeOf, Func<ValueType, string> newLocal, string source)
    {
        _call = call;
        _output = output;
        _typeOf = typeOf;
        _newLocal = newLocal;
        _source = source;
        _primal.Add(output);
        foreach (var argument in call.Arguments.OfType<Variable>()) _primal.Add(argument.Name);
    }

    /// <summary>The statements computing the contributions, and each wanted argument's contribution (absent where it is zero).</summary>
    internal sealed record Result(IReadOnlyList<Statement> Statements, IReadOnlyDictionary<int, Operand> Contributions);

    /// <summary>
    /// Derives the contributions to the adjoints of arguments <paramref name="wanted"/> of <paramref name="call"/>, whose
    /// value is <paramref name="output"/>, from the cotangent <paramref name="seed"/>.
    /// </summary>
    /// <exception cref="TransposeException">The tangent rule wrote something without a transposition rule.</exception>
    public static Result Derive(TensorCall call, TensorRule rule, TensorTangentRule tangent, string output, IReadOnlyCollection<int> wanted,
        Operand seed, Func<Operand, ValueType> typeOf, Func<ValueType, string> newLocal, string source)
    {
        var derivation = new TensorPullbackDerivation(call, output, typeOf, newLocal, source);
        var recorder = new Recorder(derivation, rule, wanted);
        var result = tangent(recorder);
        // The tangent of the output has the output's shape.
        recorder.HasOutputShape(result);
        var contributions = derivation.Transpose(result, seed);
        return new Result(derivation._statements, contributions.Where(c => wanted.Contains(c.Key)).ToDictionary(c => c.Key, c => c.Value));
    }

    /// <summary>
    /// The contributions a row's hand-written pullback (<see cref="TensorRule.Pullback"/>) writes for arguments
    /// <paramref name="wanted"/>, in place of the derived ones.
    /// </summary>
    public static Result Override(TensorCall call, TensorRule rule, TensorPullbackRule pullback, string output, IReadOnlyCollection<int> wanted,
        Operand seed, Func<Operand, ValueType> typeOf, Func<ValueType, string> newLocal, string source)
    {
        var derivation = new TensorPullbackDerivation(call, output, typeOf, newLocal, source);
        var builder = new Overrider(derivation, rule, seed);
        var contributions = wanted.ToDictionary(index => index, index => pullback(builder, index));
        return new Result(derivation._statements, contributions);
    }

    // ---- linearize: record what the tangent rule writes ----

    string Placeholder(int index)
    {
        var name = "⟨d" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "⟩";
        if (_placeholders.ContainsKey(name)) return name;
        _placeholders[name] = index;
        _linear.Add(name);
        _types[name] = _typeOf(_call.Arguments[index]);
        if (_call.Arguments[index] is Variable argument) Unite(name, new[] { argument.Name });
        return name;
    }

    Variable Record(Expression expression, ValueType type)
    {
        var name = "⟨t" + (_recordedCount++).ToString(System.Globalization.CultureInfo.InvariantCulture) + "⟩";
        _types[name] = type;
        _recorded.Add(new Assignment(name, expression, _source));
        if (ExpressionOperands.Names(expression).Any(_linear.Contains)) _linear.Add(name);
        else _primal.Add(name);
        return new Variable(name);
    }

    ValueType TypeOf(Operand operand) => operand is Variable v && _types.TryGetValue(v.Name, out var type) ? type : _typeOf(operand);

    bool IsTensor(Operand operand) => operand is Variable && TypeOf(operand) == ValueType.Tensor;

    // ---- shapes known to agree ----

    // A tensor's shape is known as the broadcast of a set of base shapes: an elementwise call's result has the broadcast
    // of its operands' shapes, and broadcasting is associative, commutative and idempotent, so two values with the same
    // set have the same shape. A value nothing is known about is its own base.

    ImmutableSortedSet<string> Signature(string name)
        => (_signatures.TryGetValue(name, out var signature) ? signature : ImmutableSortedSet.Create(StringComparer.Ordinal, name))
            .Select(Base).ToImmutableSortedSet(StringComparer.Ordinal);

    string Base(string name)
    {
        while (_sameBase.TryGetValue(name, out var other)) name = other;
        return name;
    }

    void Unite(string name, IEnumerable<string> operands)
        => _signatures[name] = Absorbed(operands.Aggregate(ImmutableSortedSet.Create<string>(StringComparer.Ordinal), (all, o) => all.Union(Signature(o))));

    // A reduction keeping its dimensions has the shape of its operand with some dimensions 1; two such reductions of
    // same-shaped operands over the same dimensions have one shape, whether they reduce a tangent or a primal value, so
    // the primal one (μ = mean x) witnesses the other's (mean ẋ). Broadcast with its operand's shape, it is that shape.
    readonly Dictionary<string, ImmutableSortedSet<string>> _keptFrom = new();

    /// <summary>The signature of a reduction of <paramref name="operand"/> that keeps its dimensions, described by the call.</summary>
    ImmutableSortedSet<string> KeptReduction(TensorCall call, string operand)
    {
        var source = Signature(operand);
        var described = "⟨" + TensorRules.Canonical(call.Rule) + " of " + string.Join("·", source) + " over "
            + string.Join(",", call.Arguments.Skip(1).Select(a => a is Variable v ? v.Name : a.ToString())) + "⟩";
        _keptFrom[described] = source;
        return ImmutableSortedSet.Create(StringComparer.Ordinal, described);
    }

    /// <summary>Drops the kept reductions whose operand's shape is already in the broadcast: they add nothing to it.</summary>
    ImmutableSortedSet<string> Absorbed(ImmutableSortedSet<string> signature)
        => signature.Where(s => !_keptFrom.TryGetValue(s, out var source) || !source.Select(Base).All(b => signature.Contains(b) && b != s)).ToImmutableSortedSet(StringComparer.Ordinal);

    static readonly HashSet<string> KeepingReductions = new()
    {
        "Tensor.mean(long[], bool, ScalarType?)", "torch.mean(Tensor, long[], bool, ScalarType?)",
        "Tensor.sum(long[], bool, ScalarType?)", "Tensor.sum(long, bool, ScalarType?)",
    };

    /// <summary>Whether <paramref name="call"/> is a reduction told to keep its dimensions (keepdim: true right after them).</summary>
    static bool KeepsDimensions(TensorCall call)
    {
        if (!KeepingReductions.Contains(TensorRules.Canonical(call.Rule.Split('@')[0]))) return false;
        var dimensions = call.Packs.FirstOrDefault(p => p.Parameter == 1);
        var keepdim = dimensions is null ? 2 : dimensions.First + dimensions.Count;
        return keepdim < call.Arguments.Count && call.Arguments[keepdim] is Literal { Type: ValueType.Bool, Value: not 0 };
    }

    /// <summary>Records that <paramref name="name"/> has the shape of <paramref name="other"/>: two single bases become one.</summary>
    void Equate(string name, string other)
    {
        var (mine, theirs) = (Signature(name), Signature(other));
        if (mine.SetEquals(theirs)) return;
        if (mine.Count == 1 && theirs.Count == 1) _sameBase[mine[0]] = theirs[0];
        else _signatures[name] = theirs;
    }

    bool SameShape(Operand a, string b) => a is Variable v && Signature(v.Name).SetEquals(Signature(b));

    /// <summary>Records the shape of an elementwise call's result: the broadcast of its tensor operands' (the first's alone for a unary function).</summary>
    void NoteShape(string result, TensorCall call, TensorRule? row)
    {
        var tensors = call.Arguments.Where(IsTensor).Cast<Variable>().Select(v => v.Name).ToList();
        if (tensors.Count == 0) return;
        if (ElementwiseRows.Contains(call.Rule) || row?.Broadcasting == true) Unite(result, tensors);
        else if (row?.SameShapeAsFirst == true) Unite(result, tensors.Take(1));
        else if (KeepsDimensions(call) && call.Arguments[0] is Variable reduced && IsTensor(reduced))
            _signatures[result] = KeptReduction(call, reduced.Name);
        // Reductions over every element give a tensor of no dimensions: all such have one shape.
        else if (TensorRules.Canonical(call.Rule) is "Tensor.sum(ScalarType?)" or "Tensor.mean()")
            Unite(result, new[] { WholeReduction });
        // gather's result has the shape of its indices.
        else if (TensorRules.Canonical(call.Rule) is "Tensor.gather" or "torch.gather" && call.Arguments.Count > 2 && call.Arguments[2] is Variable indices)
            Unite(result, new[] { indices.Name });
    }

    /// <summary>A primal value shaped like <paramref name="operand"/>.</summary>
    Operand Witness(Operand operand)
    {
        if (operand is not Variable v) return operand;
        if (_placeholders.TryGetValue(v.Name, out var index)) return _call.Arguments[index];
        if (_primal.Contains(v.Name)) return Renamed(SeenThroughConstants(v));
        var signature = Signature(v.Name);
        var witness = _primal.Where(p => !_types.TryGetValue(p, out var type) || type == ValueType.Tensor).FirstOrDefault(p => Signature(p).SetEquals(signature));
        return witness is null
            ? throw new TransposeException($"no value of the forward computation is known to have the shape of the tangent {v.Name}")
            : Renamed(new Variable(witness));
    }

    /// <summary>For <c>zeros_like(x)</c> (a tangent that does not vary, standing in for x), x: a shape read from it need not make the zeros.</summary>
    Variable SeenThroughConstants(Variable value)
    {
        while (_recorded.FirstOrDefault(a => a.Target == value.Name) is { Value: OpaqueCall { Arguments.Count: 1 } constant }
               && (constant.CSharp.EndsWith(".zeros_like", StringComparison.Ordinal) || constant.CSharp.EndsWith(".ones_like", StringComparison.Ordinal))
               && constant.Arguments[0] is Variable like && IsTensor(like))
            value = like;
        return value;
    }

    // ---- emit into the reverse sweep ----

    readonly Dictionary<string, string> _renamed = new();

    /// <summary>A recorded primal temporary's local in the reverse sweep, computed there once, when first read.</summary>
    Operand Renamed(Operand operand)
    {
        if (operand is not Variable v || !v.Name.StartsWith("⟨", StringComparison.Ordinal)) return operand;
        if (_renamed.TryGetValue(v.Name, out var local)) return new Variable(local);
        if (_linear.Contains(v.Name)) throw new TransposeException($"the tangent {v.Name} was read as a primal value");
        var assignment = _recorded.FirstOrDefault(a => a.Target == v.Name)
            ?? throw new TransposeException($"the tangent {v.Name} was read as a primal value");
        var value = ExpressionOperands.With(assignment.Value, Renamed);
        local = _newLocal(_types[v.Name]);
        _renamed[v.Name] = local;
        _statements.Add(new Assignment(local, value, _source));
        return new Variable(local);
    }

    Variable Emit(Expression expression, ValueType type)
    {
        var local = _newLocal(type);
        _statements.Add(new Assignment(local, ExpressionOperands.With(expression, Renamed), _source));
        return new Variable(local);
    }

    // ---- transpose ----

    Dictionary<int, Operand> Transpose(Operand result, Operand seed)
    {
        var cotangents = new Dictionary<string, Operand>();
        if (result is Variable r && _linear.Contains(r.Name)) cotangents[r.Name] = seed;

        void Add(Operand target, Operand contribution)
        {
            var name = ((Variable)target).Name;
            cotangents[name] = cotangents.TryGetValue(name, out var existing)
                ? Emit(TensorTangentRules.CallOf("Tensor.op_Addition", new[] { existing, contribution }), ValueType.Tensor)
                : contribution;
        }

        bool IsLinear(Operand operand) => operand is Variable v && _linear.Contains(v.Name);

        for (var k = _recorded.Count - 1; k >= 0; k--)
        {
            var assignment = _recorded[k];
            if (!_linear.Contains(assignment.Target) || !cotangents.TryGetValue(assignment.Target, out var cotangent)) continue;
            switch (assignment.Value)
            {
                case TensorCall call:
                {
                    if (!TensorTransposeRules.TryGet(call.Rule, out var transpose))
                        throw new TransposeException($"{call.Rule} has no transposition rule");
                    var builder = new Transposer(this, call, cotangent, assignment.Target);
                    for (var i = 0; i < call.Arguments.Count; i++)
                        if (IsLinear(call.Arguments[i])) Add(call.Arguments[i], transpose(builder, i));
                    break;
                }

                case CopyExpression copy:
                    Add(copy.Value, cotangent);
                    break;
                case UnaryExpression { Operator: UnaryOperator.Negate } negation:
                    Add(negation.Operand, Emit(TensorTangentRules.CallOf("Tensor.op_UnaryNegation", new[] { cotangent }), ValueType.Tensor));
                    break;
                case BinaryExpression { Operator: BinaryOperator.Add or BinaryOperator.Subtract } sum:
                    if (IsLinear(sum.Left)) Add(sum.Left, cotangent);
                    if (IsLinear(sum.Right))
                        Add(sum.Right, sum.Operator == BinaryOperator.Add ? cotangent : Emit(TensorTangentRules.CallOf("Tensor.op_UnaryNegation", new[] { cotangent }), ValueType.Tensor));
                    break;
                case BinaryExpression { Operator: BinaryOperator.Multiply } product when IsLinear(product.Left) != IsLinear(product.Right):
                {
                    var (linear, other) = IsLinear(product.Left) ? (product.Left, product.Right) : (product.Right, product.Left);
                    Add(linear, Emit(TensorTangentRules.CallOf("Tensor.op_Multiply", new[] { cotangent, other }), ValueType.Tensor));
                    break;
                }

                case BinaryExpression { Operator: BinaryOperator.Divide } quotient when IsLinear(quotient.Left) && !IsLinear(quotient.Right):
                    Add(quotient.Left, Emit(TensorTangentRules.CallOf("Tensor.op_Division", new[] { cotangent, quotient.Right }), ValueType.Tensor));
                    break;
                default:
                    throw new TransposeException($"{assignment.Value.GetType().Name} is not a linear operation reverse mode can transpose");
            }
        }

        var contributions = new Dictionary<int, Operand>();
        foreach (var placeholder in _placeholders)
            if (cotangents.TryGetValue(placeholder.Key, out var contribution)) contributions[placeholder.Value] = contribution;
        return contributions;
    }

    /// <summary>The tangent rule's view: the primal call, symbolic tangents, and a recording of what it writes.</summary>
    sealed class Recorder : ITangentBuilder
    {
        readonly TensorPullbackDerivation _derivation;
        readonly TensorRule _rule;
        readonly IReadOnlyCollection<int> _wanted;

        public Recorder(TensorPullbackDerivation derivation, TensorRule rule, IReadOnlyCollection<int> wanted)
        {
            _derivation = derivation;
            _rule = rule;
            _wanted = wanted;
            derivation.NoteShape(derivation._output, derivation._call, rule);
        }

        public TensorCall Call => _derivation._call;

        public Operand Output => new Variable(_derivation._output);

        public Operand Argument(int index) => index < Call.Arguments.Count ? Call.Arguments[index] : new OmittedArgument();

        public Operand? Tangent(int index) => _wanted.Contains(index) && index < Call.Arguments.Count ? new Variable(_derivation.Placeholder(index)) : null;

        public bool IsTensor(Operand operand) => _derivation.IsTensor(operand);

        public void HasOutputShape(Operand term)
        {
            if (term is Variable v && _derivation.IsTensor(term)) _derivation.Equate(v.Name, _derivation._output);
        }

        public Variable Emit(TensorCall call)
        {
            var row = TensorRules.TryGet(call.Rule, out var found) ? found : null;
            var result = _derivation.Record(call, ValueType.Tensor);
            _derivation.NoteShape(result.Name, call, row);
            return result;
        }

        public Variable EmitNumber(Expression expression, ValueType type) => _derivation.Record(expression, type);

        public Variable EmitConstant(string csharp, params Operand[] arguments)
        {
            var result = _derivation.Record(new OpaqueCall(csharp, arguments.ToEquatableArray()), ValueType.Tensor);
            // zeros_like(x), ones_like(x): shaped like x.
            if (arguments.Length == 1 && arguments[0] is Variable like && _derivation.IsTensor(like)) _derivation.Unite(result.Name, new[] { like.Name });
            return result;
        }
    }

    /// <summary>A hand-written pullback's view of the call: its primal arguments and output, and the output's cotangent.</summary>
    sealed class Overrider : IPullbackBuilder
    {
        readonly TensorPullbackDerivation _derivation;
        readonly TensorRule _rule;

        public Overrider(TensorPullbackDerivation derivation, TensorRule rule, Operand cotangent)
        {
            _derivation = derivation;
            _rule = rule;
            Cotangent = cotangent;
        }

        public TensorCall Call => _derivation._call;

        public Operand Cotangent { get; }

        public Operand Output => new Variable(_derivation._output);

        public Operand Argument(int index) => index < Call.Arguments.Count ? Call.Arguments[index] : new OmittedArgument();

        public Operand ShapeOf(Operand operand) => operand;

        public bool IsTensor(Operand operand) => _derivation.IsTensor(operand);

        public Variable Emit(TensorCall call) => _derivation.Emit(call, ValueType.Tensor);

        public Variable EmitHelper(string csharp, params Operand[] arguments) => _derivation.Emit(new OpaqueCall(csharp, arguments.ToEquatableArray()), ValueType.Tensor);

        public Operand Unbroadcast(Operand contribution, int index)
        {
            var operand = Argument(index);
            if (!_derivation.IsTensor(operand) || index == 0 && _rule.SameShapeAsFirst) return contribution;
            return EmitHelper(SumToShapeOf, contribution, operand);
        }
    }

    /// <summary>A transposition rule's view of one linear call.</summary>
    sealed class Transposer : ITransposeBuilder
    {
        readonly TensorPullbackDerivation _derivation;
        readonly string _result;

        public Transposer(TensorPullbackDerivation derivation, TensorCall call, Operand cotangent, string result)
        {
            _derivation = derivation;
            _result = result;
            Call = call;
            Cotangent = cotangent;
        }

        public TensorCall Call { get; }

        public Operand Cotangent { get; }

        public Operand Argument(int index) => index < Call.Arguments.Count ? Call.Arguments[index] : new OmittedArgument();

        public Operand ShapeOf(Operand operand) => _derivation.Witness(operand);

        public bool IsTensor(Operand operand) => _derivation.IsTensor(operand);

        public Variable Emit(TensorCall call) => _derivation.Emit(call, ValueType.Tensor);

        public Variable EmitHelper(string csharp, params Operand[] arguments) => _derivation.Emit(new OpaqueCall(csharp, arguments.ToEquatableArray()), ValueType.Tensor);

        public Operand Unbroadcast(Operand contribution, int index)
        {
            var operand = Argument(index);
            if (!_derivation.IsTensor(operand) || _derivation.SameShape(operand, _result)) return contribution;
            return EmitHelper(SumToShapeOf, contribution, ShapeOf(operand));
        }
    }
}
