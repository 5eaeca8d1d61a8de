using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
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
    const string LinearAdjoints = "global::Leibniz.Generated.LinearAdjoints";
    const string Conv2dAdjoints = "global::Leibniz.Generated.Conv2dAdjoints";
    const string Contractions = "global::Leibniz.Generated.Contractions";

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

    // ---- helpers called with some of the call's own parameters ----

    /// <summary>The operands parameter <paramref name="parameter"/> of <paramref name="call"/> spans: one, or a pack's.</summary>
    static (int First, int Count, PackedArgument? Pack) OperandsOf(TensorCall call, int parameter)
    {
        if (call.Packs.FirstOrDefault(p => p.Parameter == parameter) is { } pack) return (pack.First, pack.Count, pack);
        var first = parameter + call.Packs.Where(p => p.Parameter < parameter).Sum(p => p.Count - 1);
        return (first, 1, null);
    }

    /// <summary>An operand as a helper's argument: a default the call left is spelled out; one that cannot be has no helper form.</summary>
    static Operand Spelled(Operand operand) => operand switch
    {
        OmittedArgument { Default: { } value } => value,
        OmittedArgument => throw new TransposeException("an argument left to a default the derivative cannot spell"),
        _ => operand,
    };

    /// <summary>
    /// <c>helper(leading…, the call's parameters…)</c>: a runtime helper called with leading operands and then some of the
    /// call's own parameters, a packed one (a list of dimensions, tensor indices) passed on as the array it was.
    /// </summary>
    static Variable HelperCall(this ITransposeBuilder b, string helper, Operand[] leading, params int[] parameters)
    {
        var arguments = new List<Operand>(leading);
        var packs = new List<PackedArgument>();
        for (var k = 0; k < parameters.Length; k++)
        {
            var (first, count, pack) = OperandsOf(b.Call, parameters[k]);
            if (pack is not null) packs.Add(pack with { Parameter = leading.Length + k, First = arguments.Count, Params = false });
            for (var i = first; i < first + count; i++) arguments.Add(Spelled(b.Argument(i)));
        }

        var call = new TensorCall(helper, helper, CallForm.Static, helper, arguments.ToEquatableArray(), arguments.Select(_ => "").ToEquatableArray())
        {
            Packs = packs.ToEquatableArray(),
        };
        return b.Emit(call);
    }

    /// <summary><paramref name="x"/>·s, or <paramref name="x"/> itself where the scale is left at (or set to) one.</summary>
    static Operand Scaled(this ITransposeBuilder b, Operand x, Operand scale)
        => Spelled(scale is OmittedArgument { Default: null } ? One : scale) is Literal { Value: 1 } ? x : b.Call("Tensor.op_Multiply", x, Spelled(scale));

    // ---- rules for rows whose tangent is the call itself on a tangent ----

    // y = x·Wᵀ + b: x̄ = ȳ·W, W̄ = ȳᵀ·x and b̄ = Σ ȳ over the batch (LinearAdjoints, which a descent step fuses in place).
    static readonly TensorTransposeRule LinearLayer = (b, i) => i switch
    {
        0 => b.Call("Tensor.matmul", b.Cotangent, b.Argument(1)),
        1 => b.EmitHelper(LinearAdjoints + ".Weight", b.Cotangent, b.Argument(0)),
        _ => b.EmitHelper(LinearAdjoints + ".Bias", b.Cotangent),
    };

    // y = β·c + α·A·B: c̄ = β·ȳ (summed back to c's shape), Ā = α·ȳ·Bᵀ, B̄ = α·Aᵀ·ȳ.
    static readonly TensorTransposeRule ScaledProduct = (b, i) => i switch
    {
        0 => b.Unbroadcast(b.Scaled(b.Cotangent, b.Argument(3)), 0),
        1 => b.Scaled(b.Call("Tensor.mm", b.Cotangent, b.Call("Tensor.t", b.Argument(2))), b.Argument(4)),
        2 => b.Scaled(b.Call("Tensor.mm", b.Call("Tensor.t", b.Argument(1)), b.Cotangent), b.Argument(4)),
        _ => throw new TransposeException("addmm is not linear in its scales"),
    };

    static readonly TensorTransposeRule Permutation = (b, _) => b.HelperCall(Transposes + ".Permute", new[] { b.Cotangent }, 1);

    /// <summary>Σ or mean over the dimensions given by <paramref name="dimensions"/>: the cotangent spread back over them.</summary>
    static TensorTransposeRule SpreadOver(string helper, params int[] dimensions)
        => (b, _) => b.HelperCall(Transposes + "." + helper, new[] { b.Cotangent, b.ShapeOf(b.Argument(0)) }, dimensions);

    // expand is a broadcast; undoing a broadcast is the sum back to the operand's shape.
    static readonly TensorTransposeRule Expansion = (b, _) => b.EmitHelper(Broadcasting + ".SumToShapeOf", b.Cotangent, b.ShapeOf(b.Argument(0)));

    // cat along d: part k's cotangent is the slice of ȳ it filled; stack: ȳ selected at k.
    static TensorTransposeRule Joining(bool stack)
        => (b, i) =>
        {
            var list = b.Call.Packs.Single(p => p.ElementType.EndsWith("Tensor", System.StringComparison.Ordinal));
            var after = list.First + list.Count;
            var dimension = after < b.Call.Arguments.Count ? Spelled(b.Argument(after)) : new CodeLiteral("0L");
            var part = new Literal(i - list.First, ValueType.Int);
            if (stack) return b.Call("Tensor.select(long, long)", b.Cotangent, dimension, part);
            var parts = Enumerable.Range(list.First, list.Count).Select(k => b.ShapeOf(b.Argument(k)));
            return b.EmitHelper(Transposes + ".CatPart", new[] { b.Cotangent, dimension, part }.Concat(parts).ToArray());
        };

    // y = x ⋆ W + b: x̄ = ȳ ⋆ᵀ W (a transposed convolution), W̄ = x ⋆ ȳ per group, b̄ = Σ ȳ over batch, height and width.
    static readonly TensorTransposeRule Convolution = (b, i) => i switch
    {
        0 => b.HelperCall(Conv2dAdjoints + ".Input", new[] { b.Cotangent, b.ShapeOf(b.Argument(0)), b.Argument(1) }, 3, 4, 5, 6),
        1 => b.HelperCall(Conv2dAdjoints + ".Weight", new[] { b.Cotangent, b.Argument(0), b.ShapeOf(b.Argument(1)) }, 3, 4, 5, 6),
        _ => b.EmitHelper(Conv2dAdjoints + ".Bias", b.Cotangent),
    };

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
        ["Tensor.to(ScalarType, bool, bool, bool)"] = (b, _) => b.EmitHelper(Transposes + ".ToTypeOf", b.Cotangent, b.ShapeOf(b.Argument(0))),
        // Keeping a triangle is a projection: its own transpose.
        ["Tensor.tril"] = (b, _) => b.Emit(b.Call with { Arguments = new[] { b.Cotangent }.Concat(b.Call.Arguments.Skip(1)).ToEquatableArray() }),
        ["Tensor.triu"] = (b, _) => b.Emit(b.Call with { Arguments = new[] { b.Cotangent }.Concat(b.Call.Arguments.Skip(1)).ToEquatableArray() }),
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
        ["nn.functional.linear"] = LinearLayer,
        ["Tensor.addmm"] = ScaledProduct,
        ["torch.addmm"] = ScaledProduct,
        ["Tensor.permute(long[])"] = Permutation,
        ["torch.permute(Tensor, long[])"] = Permutation,
        ["Tensor.sum(long[], bool, ScalarType?)"] = SpreadOver("SpreadSum", 1),
        ["Tensor.sum(ReadOnlySpan<long>, bool, ScalarType?)"] = SpreadOver("SpreadSum", 1),
        ["torch.sum(Tensor, ReadOnlySpan<long>, bool, ScalarType?)"] = SpreadOver("SpreadSum", 1),
        ["Tensor.sum(long, long, bool, ScalarType?)"] = SpreadOver("SpreadSum", 1, 2),
        ["Tensor.sum(long, long, long, bool, ScalarType?)"] = SpreadOver("SpreadSum", 1, 2, 3),
        ["Tensor.mean(long[], bool, ScalarType?)"] = SpreadOver("SpreadMean", 1),
        ["torch.mean(Tensor, long[], bool, ScalarType?)"] = SpreadOver("SpreadMean", 1),
        ["Tensor.expand(long[])"] = Expansion,
        ["Tensor.slice(long, long, long, long)"] = (b, _) => b.HelperCall(Transposes + ".Slice", new[] { b.Cotangent, b.ShapeOf(b.Argument(0)) }, 1, 2, 3, 4),
        ["Tensor.index(TensorIndex[])"] = (b, _) => b.HelperCall(Transposes + ".Index", new[] { b.Cotangent, b.ShapeOf(b.Argument(0)) }, 1),
        ["torch.cat(Tensor[], long)"] = Joining(stack: false),
        ["torch.cat(IList<Tensor>, long)"] = Joining(stack: false),
        ["torch.cat(ReadOnlySpan<Tensor>, long)"] = Joining(stack: false),
        ["torch.concat(Tensor[], long)"] = Joining(stack: false),
        ["torch.concat(IList<Tensor>, long)"] = Joining(stack: false),
        ["torch.concat(ReadOnlySpan<Tensor>, long)"] = Joining(stack: false),
        ["torch.concatenate(Tensor[], long)"] = Joining(stack: false),
        ["torch.concatenate(IList<Tensor>, long)"] = Joining(stack: false),
        ["torch.concatenate(ReadOnlySpan<Tensor>, long)"] = Joining(stack: false),
        ["torch.stack(IEnumerable<Tensor>, long)"] = Joining(stack: true),
        // The tangent of amax/amin is linear in the input's tangent (operand 2); its transpose shares ȳ among the ties.
        [TensorRules.TiesTangent] = (b, i) => i == 2
            ? b.HelperCall("global::Leibniz.Generated.Reductions.ShareAmongTies", new[] { b.Argument(0), b.Argument(1), b.Cotangent }, 3)
            : throw new TransposeException("the ties' tangent is linear only in the input's tangent"),
        ["nn.functional.nll_loss"] = (b, i) => i == 0
            ? b.EmitHelper(Transposes + ".NllLoss", b.Cotangent, b.ShapeOf(b.Argument(0)), b.Argument(1))
            : throw new TransposeException("nll_loss is linear only in its input"),
        // The dropout product x·m is linear in each factor.
        [TensorRules.DropoutProduct] = (b, i) => b.Call("Tensor.op_Multiply", b.Cotangent, b.Argument(1 - i)),
        [TensorRules.MaxPool2dGather] = (b, i) => i == 0
            ? b.EmitHelper("global::Leibniz.Generated.MaxPool2dSelection.Scatter", b.Cotangent, b.ShapeOf(b.Argument(0)), b.Argument(1))
            : throw new TransposeException("max_pool2d's selection is linear only in its input"),
        ["nn.functional.conv2d"] = Convolution,
        ["torch.einsum"] = (b, i) =>
        {
            var list = b.Call.Packs.Single(p => p.Parameter == 1);
            var operands = Enumerable.Range(list.First, list.Count).Select(k => b.ShapeOf(b.Argument(k)));
            return b.EmitHelper(Contractions + ".EinsumOperand",
                new[] { b.Argument(0), new Literal(i - list.First, ValueType.Int), b.Cotangent, b.ShapeOf(b.Argument(i)) }.Concat(operands).ToArray());
        },
        ["torch.tensordot(Tensor, Tensor, long[], long[])"] = (b, i) => b.HelperCall(Contractions + ".TensorDotOperand",
            new[] { new Literal(i, ValueType.Int), b.Cotangent, b.ShapeOf(b.Argument(i)), b.ShapeOf(b.Argument(0)), b.ShapeOf(b.Argument(1)) }, 2, 3),
    };

    /// <summary>The transposition rule of a linear row, if it has one.</summary>
    public static bool TryGet(string key, out TensorTransposeRule rule) => Table.TryGetValue(key.Split('@')[0], out rule!);

    /// <summary>The rows with a transposition rule.</summary>
    public static IEnumerable<string> Keys => Table.Keys;
}

/// <summary>A tangent rule wrote something reverse mode cannot transpose: a defect in the table, which the operation tests catch.</summary>
internal sealed class TransposeException : System.Exception
{
    public TransposeException(string message) : base(message)
    {
    }
}
