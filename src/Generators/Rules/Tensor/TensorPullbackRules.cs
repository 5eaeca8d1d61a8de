using Leibniz.Generators.IR.Functions;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Rules.Tensor;

/// <summary>
/// A row's hand-written pullback: the contribution to operand <paramref name="index"/>'s adjoint, written as IR from the
/// cotangent of the call's output (<see cref="ITransposeBuilder.Cotangent"/>) and its primal arguments and output.
/// </summary>
internal delegate Operand TensorPullbackRule(IPullbackBuilder builder, int index);

/// <summary>What a hand-written pullback sees: a transposition rule's view of a call whose arguments are primal values, and its output.</summary>
internal interface IPullbackBuilder : ITransposeBuilder
{
    /// <summary>The call's output, as the forward sweep computed it.</summary>
    Operand Output { get; }
}

/// <summary>
/// The hand-written pullbacks that override a row's derived one because they do less work. Each must agree with the
/// transposed tangent rule, which the operation tests check with the dot-product identity.
/// </summary>
internal static class TensorPullbackRules
{
    static Variable Call(this ITransposeBuilder b, string key, params Operand[] arguments) => b.Emit(TensorTangentRules.CallOf(key, arguments));

    static Variable SumKeepingDimension(this ITransposeBuilder b, Operand x, Operand dimension)
        => b.Call("Tensor.sum(long, bool, ScalarType?)", x, dimension, new Literal(1, ValueType.Bool));

    /// <summary>y = softmax_d(a): ā = y·(ȳ − Σ_d ȳ·y), reading the output as PyTorch's backward does.</summary>
    public static readonly TensorPullbackRule Softmax = (b, _) =>
    {
        var weighted = b.SumKeepingDimension(b.Call("Tensor.op_Multiply", b.Cotangent, b.Output), b.Argument(1));
        return b.Call("Tensor.op_Multiply", b.Call("Tensor.op_Subtraction", b.Cotangent, weighted), b.Output);
    };

    /// <summary>y = log softmax_d(a): ā = ȳ − eʸ·Σ_d ȳ.</summary>
    public static readonly TensorPullbackRule LogSoftmax = (b, _) =>
    {
        var total = b.SumKeepingDimension(b.Cotangent, b.Argument(1));
        return b.Call("Tensor.op_Subtraction", b.Cotangent, b.Call("Tensor.op_Multiply", b.Call("Tensor.exp", b.Output), total));
    };

    /// <summary>y = tanh a: ā = ȳ − (ȳ·y)·y, two kernels (a product and an <c>addcmul</c>) where ȳ·(1 − y²) takes three.</summary>
    public static readonly TensorPullbackRule Tanh = (b, _) =>
        b.Call("Tensor.addcmul", b.Cotangent, b.Call("Tensor.op_Multiply", b.Cotangent, b.Output), b.Output, new Literal(-1, ValueType.Double));

    /// <summary>y = σ(a): ā = p − p·y with p = ȳ·y, two kernels where ȳ·y·(1 − y) takes three.</summary>
    public static readonly TensorPullbackRule Sigmoid = (b, _) =>
    {
        var scaled = b.Call("Tensor.op_Multiply", b.Cotangent, b.Output);
        return b.Call("Tensor.addcmul", scaled, scaled, b.Output, new Literal(-1, ValueType.Double));
    };

    /// <summary>Mean cross-entropy over class dimension 1: x̄ = (softmax(x) − onehot(t))·[t ≠ −100]·ȳ / #kept, in one helper.</summary>
    public static readonly TensorPullbackRule CrossEntropy = (b, i) => i == 0
        ? b.EmitHelper("global::Leibniz.Generated.LossAdjoints.CrossEntropy", b.Cotangent, b.Argument(0), b.Argument(1))
        : throw new TransposeException("cross-entropy has no derivative in its targets");
}
