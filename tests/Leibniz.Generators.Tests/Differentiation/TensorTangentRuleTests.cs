using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;
using Leibniz.Generators.Rules.Tensor;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Tests.Differentiation;

/// <summary>
/// The forward-mode column of the tensor table: every row with a derivative has a tangent rule, and every tangent
/// rule, for every set of varying arguments, writes only calls of rows of the table — what reverse mode needs to
/// differentiate the tangent again. (Whether the tangents are right is for the run-time tests against TorchSharp.)
/// </summary>
public sealed class TensorTangentRuleTests
{
    public static TheoryData<string> RowsWithADerivative()
    {
        var data = new TheoryData<string>();
        foreach (var rule in TensorRules.All.Where(r => r.HasAnyDerivative && r.ListParameter is null && TensorTangentRules.TryGet(r.Key, out _))) data.Add(rule.Key);
        return data;
    }

    /// <summary>
    /// Rows that have no tangent rule yet. In a method that asks for forward mode, a call of one of them is LZ0109 (or,
    /// with its sizes written element by element, the same call on the tangent when the row is linear in its first
    /// argument) and the method keeps its reverse mode. The list may only shrink.
    /// </summary>
    [Fact]
    public void Every_row_with_a_derivative_has_a_tangent()
    {
        var missing = TensorRules.All.Where(r => r.HasAnyDerivative && !TensorTangentRules.TryGet(r.Key, out _)).Select(r => r.Key).ToList();
        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(RowsWithADerivative))]
    public void Every_row_with_a_derivative_has_a_tangent_written_in_rows_of_the_table(string key)
    {
        Assert.True(TensorRules.TryGet(key, out var rule));
        Assert.True(TensorTangentRules.TryGet(key, out var tangent), $"{key} has a reverse rule but no tangent rule; add one to TensorTangentRules");

        var varying = Enumerable.Range(0, rule.Differentiable.Length).Where(rule.HasDerivative).ToList();
        for (var subset = 1; subset < 1 << varying.Count; subset++)
        {
            var active = varying.Where((_, bit) => (subset & (1 << bit)) != 0).ToHashSet();
            var builder = new RecordingBuilder(key, rule.Differentiable.Length, active);
            var result = tangent(builder);

            Assert.NotEmpty(builder.Emitted);
            Assert.True(result is Variable, $"{key}: the tangent is {result}");
            foreach (var call in builder.Emitted.OfType<TensorCall>())
                Assert.True(TensorRules.TryGet(call.Rule, out _), $"{key}'s tangent calls {call.Rule}, which is not a row of the table");
        }
    }

    [Fact]
    public void Rows_without_a_derivative_need_no_tangent()
    {
        foreach (var rule in TensorRules.All.Where(r => !r.HasAnyDerivative))
            Assert.True(TensorTangentRules.Covers(rule), rule.Key);
        Assert.True(TensorTangentRules.Keys.All(key => TensorRules.TryGetRow(key, out _)), "a tangent rule for a key the table does not have");
    }

    /// <summary>Rows whose tangent needs a list of sizes written out element by element, and that list's parameter.</summary>
    static readonly Dictionary<string, int> WrittenOutLists = new() { ["nn.functional.layer_norm"] = 1 };

    /// <summary>A call of <c>key</c> on tensors a0, a1, … whose tangents are da_i for the <paramref name="active"/> ones.</summary>
    sealed class RecordingBuilder : ITangentBuilder
    {
        readonly HashSet<int> _active;
        int _count;

        public RecordingBuilder(string key, int arity, HashSet<int> active)
        {
            _active = active;
            var arguments = Enumerable.Range(0, arity).Select(i => (Operand)new Variable("a" + i)).ToArray();
            Call = TensorTangentRules.CallOf(key, arguments);
            // A row whose tangent reads a list written out (layer_norm's normalized_shape): one element, as a pack.
            if (WrittenOutLists.TryGetValue(key, out var parameter))
                Call = Call with { Packs = new[] { new PackedArgument(parameter, parameter, "long", false, new[] { "{0}" }.ToEquatableArray()) }.ToEquatableArray() };
        }

        public List<Expression> Emitted { get; } = new();

        public TensorCall Call { get; }

        public Operand Output { get; } = new Variable("y");

        public Operand Argument(int index) => index < Call.Arguments.Count ? Call.Arguments[index] : new OmittedArgument();

        public Operand? Tangent(int index) => _active.Contains(index) ? new Variable("da" + index) : null;

        public bool IsTensor(Operand operand) => operand is Variable;

        public void HasOutputShape(Operand term)
        {
        }

        public Variable Emit(TensorCall call) => Record(call);

        public Variable EmitNumber(Expression expression, ValueType type) => Record(expression);

        public Variable EmitConstant(string csharp, params Operand[] arguments) => Record(new OpaqueCall(csharp, arguments.ToEquatableArray()));

        Variable Record(Expression expression)
        {
            Emitted.Add(expression);
            return new Variable("t" + _count++);
        }
    }
}
