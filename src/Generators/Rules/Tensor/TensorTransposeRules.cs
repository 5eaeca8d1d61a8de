using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.IR.Functions;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Rules.Tensor;

/// <summary>
/// Writes, for a call linear in its operand <paramref name="index"/>, that operand's cotangent from the cotangent of the
/// call's result (<see cref="ITransposeBuilder.Cotangent"/>): the transpose of the linear map, as IR.
/// </summary>
internal delegate Operand TensorTransposeRule(ITransposeBuilder builder, int index);

/// <summary>What a transposition rule sees and may write while reverse mode transposes a tangent rule's linear code.</summary>
internal interface ITransposeBuilder
{
    /// <summary>The linear call being transposed.</summary>
    TensorCall Call { get; }

    /// <summary>The cotangent of the call's result.</summary>
    Operand Cotangent { get; }

    /// <summary>Operand <paramref name="index"/> of the call (receiver first): a tangent for the linear ones, else a primal value.</summary>
    Operand Argument(int index);

    /// <summary>A primal tensor shaped like <paramref name="operand"/>: the operand itself, or, for a tangent, the value it is the tangent of.</summary>
    Operand ShapeOf(Operand operand);

    /// <summary>Whether an operand is a tensor (not a number).</summary>
    bool IsTensor(Operand operand);

    /// <summary>Emits <c>t = call</c> into a fresh tensor of the reverse sweep.</summary>
    Variable Emit(TensorCall call);

    /// <summary>Emits a call of a runtime helper (<c>SumToShapeOf</c>, a matrix product's adjoint) into a fresh tensor.</summary>
    Variable EmitHelper(string csharp, params Operand[] arguments);

    /// <summary>
    /// The contribution summed back to operand <paramref name="index"/>'s shape where the call may have broadcast it; as it
    /// is where the operand is known to have the result's shape, or is a number (summed whole when accumulated).
    /// </summary>
    Operand Unbroadcast(Operand contribution, int index);
}

/// <summary>
/// The transposition rules: one per linear primitive a tangent rule writes with (JAX's <c>primitive_transposes</c>).
/// Reverse mode derives a row's pullback by running its tangent rule and transposing the linear calls it emitted, so a
/// row needs no reverse rule of its own; only these primitives do.
/// </summary>
internal static class TensorTransposeRules
{
    const string Broadcasting = "global::Leibniz.Generated.Broadcasting";
    const string MatrixProducts = "global::Leibniz.Generated.MatrixProducts";

    static Variable Call(this ITransposeBuilder b, string key, params Operand[] arguments) => b.Emit(TensorTangentRules.CallOf(key, arguments));

    static Operand Number(double value) => new Literal(value, ValueType.Double);

    static readonly Operand One = new Literal(1, ValueType.Int);
    static readonly Operand Two = new Literal(2, ValueType.Int);

    static readonly TensorTransposeRule Addition = (b, i) => b.Unbroadcast(b.Cotangent, i);

    static readonly TensorTransposeRule Subtraction = (b, i) => b.Unbroadcast(i == 0 ? b.Cotangent : b.Call("Tensor.op_UnaryNegation", b.Cotangent), i);

    static readonly TensorTransposeRule Negation = (b, _) => b.Call("Tensor.op_UnaryNegation", b.Cotangent);

    // a·b with one side a tangent and the other a primal value (or a number): the cotangent times the other side.
    static readonly TensorTransposeRule Multiplication = (b, i) => b.Unbroadcast(b.Call("Tensor.op_Multiply", b.Cotangent, b.Argument(1 - i)), i);

    // a/b is linear in a only.
    static readonly TensorTransposeRule Division = (b, i) => i == 0
        ? b.Unbroadcast(b.Call("Tensor.op_Division", b.Cotangent, b.Argument(1)), 0)
        : throw new TransposeException("a quotient is not linear in its divisor");

    /// <summary>Where-selection with the condition at <paramref name="condition"/>: each branch keeps the cotangent where it was chosen.</summary>
    static TensorTransposeRule Selection(int condition, int whenTrue)
        => (b, i) =>
        {
            if (i == condition) throw new TransposeException("a selection is not linear in its condition");
            var mask = i == whenTrue ? b.Call("Tensor.logical_not", b.Argument(condition)) : (Operand)b.Argument(condition);
            return b.Unbroadcast(b.Call("Tensor.masked_fill", b.Cotangent, mask, Number(0)), i);
        };

    // Spreading a tensor over a shape is a broadcast: its transpose sums back.
    static readonly TensorTransposeRule Spreading = (b, i) => i == 0
        ? b.EmitHelper(Broadcasting + ".SumToShapeOf", b.Cotangent, b.ShapeOf(b.Argument(0)))
        : throw new TransposeException("expand_as is not linear in the shape it copies");

    // Σ over everything: the cotangent, a number, spread back over the operand.
    static readonly TensorTransposeRule TotalSum = (b, _) => b.Call("Tensor.expand_as", b.Cotangent, b.ShapeOf(b.Argument(0)));

    // Σ over dimension d: put d back where keepdim dropped it (read from the ranks), then spread back along it.
    static readonly TensorTransposeRule DimensionSum = (b, _) =>
    {
        var kept = b.EmitHelper("global::Leibniz.Generated.Reductions.KeepDimension", b.Cotangent, b.ShapeOf(b.Argument(0)), b.Argument(1));
        return b.Call("Tensor.expand_as", kept, b.ShapeOf(b.Argument(0)));
    };

    // mean over everything: the cotangent over n, spread back.
    static readonly TensorTransposeRule TotalMean = (b, _) =>
        b.EmitHelper("global::Leibniz.Generated.Reductions.SpreadMean", b.Cotangent, b.ShapeOf(b.Argument(0)));

    // Batch dimensions broadcast, so each product's adjoint is summed back to its operand's shape.
    static readonly TensorTransposeRule MatrixProduct = (b, i) => b.Unbroadcast(i == 0
        ? b.EmitHelper(MatrixProducts + ".LeftAdjoint", b.Cotangent, b.ShapeOf(b.Argument(0)), b.Argument(1))
        : b.EmitHelper(MatrixProducts + ".RightAdjoint", b.Cotangent, b.Argument(0), b.ShapeOf(b.Argument(1))), i);

    // masked_fill(a, m, v) with a tangent a is a·¬m (v is a constant): the cotangent with the filled places zeroed.
    static readonly TensorTransposeRule MaskedFill = (b, i) => i == 0
        ? b.Call("Tensor.masked_fill", b.Cotangent, b.Argument(1), Number(0))
        : throw new TransposeException("masked_fill is linear only in the tensor it fills");

    // y = cumsum_d a: yₖ = Σ_{j≤k} aⱼ, so āⱼ = Σ_{k≥j} ȳₖ, the cumulative sum taken from the other end.
    static readonly TensorTransposeRule CumulativeSum = (b, _) =>
        b.EmitHelper("global::Leibniz.Generated.Reductions.ReverseCumulativeSum", b.Cotangent, b.Argument(1));

    const string Transposes = "global::Leibniz.Generated.Transposes";

    /// <summary>For calls linear in their first operand whose transpose is a runtime helper of (cotangent, operand's shape, the call's other operands).</summary>
    static TensorTransposeRule ThroughHelper(string helper)
        => (b, i) => i == 0
            ? b.EmitHelper(Transposes + "." + helper, new[] { b.Cotangent, b.ShapeOf(b.Argument(0)) }.Concat(Enumerable.Range(1, b.Call.Arguments.Count - 1).Select(b.Argument)).ToArray())
            : throw new TransposeException($"{b.Call.Rule} is linear only in its first operand");

    static readonly TensorTransposeRule Gathering = (b, i) => i == 0
        ? b.EmitHelper(Transposes + ".Gather", b.Cotangent, b.ShapeOf(b.Argument(0)), b.Argument(1), b.Argument(2))
        : throw new TransposeException("gather is linear only in the tensor it reads");

    static readonly TensorTransposeRule Reshape = (b, _) => b.EmitHelper(Transposes + ".Reshape", b.Cotangent, b.ShapeOf(b.Argument(0)));

    static readonly Dictionary<string, TensorTransposeRule> Table = new()
    {
        ["Tensor.reshape"] = Reshape,
        ["Tensor.flatten"] = Reshape,
        ["Tensor.view_as"] = (b, i) => i == 0 ? Reshape(b, i) : throw new TransposeException("view_as is not linear in the shape it copies"),
        ["Tensor.squeeze"] = Reshape,
        // Transposing twice, or swapping the same two dimensions again, undoes it.
        ["Tensor.t"] = (b, _) => b.Call("Tensor.t", b.Cotangent),
        ["Tensor.transpose"] = (b, _) => b.Call("Tensor.transpose", b.Cotangent, b.Argument(1), b.Argument(2)),
        ["Tensor.unsqueeze"] = (b, _) => b.Call("Tensor.squeeze", b.Cotangent, b.Argument(1)),
        ["Tensor.clone"] = (b, _) => b.Cotangent,
        ["Tensor.narrow"] = ThroughHelper("Narrow"),
        ["Tensor.select(long, long)"] = ThroughHelper("Select"),
        ["Tensor.index_select"] = ThroughHelper("IndexSelect"),
        ["Tensor.gather"] = Gathering,
        ["torch.gather"] = Gathering,
        ["Tensor.op_Addition"] = Addition,
        ["Tensor.add"] = Addition,
        ["Tensor.op_Subtraction"] = Subtraction,
        ["Tensor.sub"] = Subtraction,
        ["Tensor.op_UnaryNegation"] = Negation,
        ["Tensor.neg"] = Negation,
        ["Tensor.op_Multiply"] = Multiplication,
        ["Tensor.mul"] = Multiplication,
        ["Tensor.op_Division"] = Division,
        ["Tensor.div"] = Division,
        ["Tensor.where"] = Selection(condition: 1, whenTrue: 0),
        ["torch.where(Tensor, Tensor, Tensor)"] = Selection(condition: 0, whenTrue: 1),
        ["Tensor.expand_as"] = Spreading,
        ["Tensor.sum(ScalarType?)"] = TotalSum,
        ["Tensor.sum(long, bool, ScalarType?)"] = DimensionSum,
        ["Tensor.mean()"] = TotalMean,
        ["Tensor.matmul"] = MatrixProduct,
        // Ā = Ḡ·Bᵀ and B̄ = Aᵀ·Ḡ, per batch for bmm.
        ["Tensor.mm"] = (b, i) => i == 0 ? b.Call("Tensor.mm", b.Cotangent, b.Call("Tensor.t", b.Argument(1))) : b.Call("Tensor.mm", b.Call("Tensor.t", b.Argument(0)), b.Cotangent),
        ["torch.bmm"] = (b, i) => i == 0
            ? b.Call("torch.bmm", b.Cotangent, b.Call("Tensor.transpose", b.Argument(1), One, Two))
            : b.Call("torch.bmm", b.Call("Tensor.transpose", b.Argument(0), One, Two), b.Cotangent),
        ["Tensor.masked_fill"] = MaskedFill,
        ["Tensor.cumsum"] = CumulativeSum,
    };

    /// <summary>The transposition rule of a linear row, if it has one.</summary>
    public static bool TryGet(string key, out TensorTransposeRule rule) => Table.TryGetValue(key.Split('@')[0], out rule!);

    /// <summary>The rows with a transposition rule.</summary>
    public static IEnumerable<string> Keys => Table.Keys;
}

/// <summary>A tangent rule wrote something reverse mode cannot transpose; the row then keeps its hand-written pullback.</summary>
internal sealed class TransposeException : System.Exception
{
    public TransposeException(string message) : base(message)
    {
    }
}
