using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;
using static Leibniz.Generators.Rules.Tensor.TensorTangentRules;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Rules.Tensor;

/// <summary>
/// The derivative table for TorchSharp tensor APIs: one row per canonical operation, its other spellings resolved to it
/// (<see cref="Aliases"/>). A row says which parameters carry a derivative and carries its tangent rule, written as IR
/// with <see cref="TensorTangentRules"/>' combinators; forward mode runs it and reverse mode transposes it through the
/// transposition rules of the linear primitives (<see cref="TensorTransposeRules"/>). Adding an operation is adding a
/// row here (docs/architecture.md walks through <c>torch.erf</c>).
/// </summary>
internal static class TensorRules
{
    /// <summary>
    /// A row whose pullback is derived from its tangent rule (<see cref="TensorTangentRules"/>); <paramref name="differentiable"/>
    /// says which parameters carry a derivative, and every parameter from <paramref name="defaultsFrom"/> on must keep its default.
    /// </summary>
    static TensorRule Derived(string key, string comment, bool[] differentiable, int? defaultsFrom = null, bool elementwise = false)
        => new(key, differentiable, comment) { DefaultsFrom = defaultsFrom, SameShapeAsFirst = elementwise };

    /// <summary>An elementwise function of one tensor, its pullback derived from its tangent rule.</summary>
    static TensorRule Unary(string key, string comment, int parameters = 1, int? defaultsFrom = 1)
        => Derived(key, comment, new[] { true }.Concat(Enumerable.Repeat(false, parameters - 1)).ToArray(), defaultsFrom, elementwise: true);

    /// <summary>A row differentiable in its first parameter only, the rest data (dimensions, flags, indices).</summary>
    static TensorRule First(string key, string comment, int parameters, int? defaultsFrom = null)
        => Derived(key, comment, new[] { true }.Concat(Enumerable.Repeat(false, parameters - 1)).ToArray(), defaultsFrom);

    const string SoftplusIdentity = "d softplus(a, β, t) = σ(β·a)·da, = da where β·a > t";
    const string SoftmaxIdentity = "y = softmax_d(a): ẏ = y·(ȧ − Σ_d ȧ·y)";
    const string LogSoftmaxIdentity = "y = log softmax_d(a): ẏ = ȧ − Σ_d ȧ·eʸ";
    const string SumOverIdentity = "d Σ over dimensions D: ȳ with D restored, broadcast back along them";
    const string MeanOverIdentity = "d mean over dimensions D: ȳ with D restored, broadcast back and divided by the count averaged";
    const string AmaxIdentity = "d amax_D a = ȧ averaged over the elements equal to the maximum of their slice";
    const string AminIdentity = "d amin_D a = ȧ averaged over the elements equal to the minimum of their slice";

    // cat along d: input k's adjoint is the slice of ȳ it filled, after the inputs before it; stack's is ȳ selected at k.
    static TensorRule Cat(string key) => new(key, new[] { false, false }, "y = cat_d(a₀, a₁, …): āₖ = ȳ narrowed along d to the part aₖ filled") { ListParameter = 0 };

    static TensorRule Stack(string key) => new(key, new[] { false, false }, "y = stack_d(a₀, a₁, …): āₖ = ȳ selected at k along d") { ListParameter = 0 };

    // Piecewise-constant results (masks, signs, indices): their derivative is exactly zero, so the row
    // lets them appear on a differentiable path (a where() condition, an argmax) without an adjoint.
    static TensorRule Flat(string key, string comment) => new(key, System.Array.Empty<bool>(), comment);

    /// <summary>The mask draw <c>dropout</c> is lowered into (the mask is data), then the product with it.</summary>
    public const string DropoutMaskDraw = "Leibniz.Generated.DropoutMask.Draw";
    public const string DropoutProduct = "dropout: input·mask";

    /// <summary>The indices of the window maxima <c>max_pool2d</c> is lowered into, then the values read at them.</summary>
    public const string MaxPool2dIndices = "Leibniz.Generated.MaxPool2dSelection.Indices";
    public const string MaxPool2dGather = "Leibniz.Generated.MaxPool2dSelection.Gather";

    /// <summary>The tangent of amax/amin over a list of dimensions (written by TensorTangentRules; a row so that H·v can reverse it).</summary>
    public const string TiesTangent = "Leibniz.Generated.Reductions.TiesTangent(Tensor, Tensor, Tensor, long[])";

    static readonly TensorRule[] Table =
    {
        Flat("Tensor.gt", "a > b is piecewise constant: no derivative"),
        Flat("Tensor.ge", "a ≥ b is piecewise constant: no derivative"),
        Flat("Tensor.lt", "a < b is piecewise constant: no derivative"),
        Flat("Tensor.le", "a ≤ b is piecewise constant: no derivative"),
        Flat("Tensor.eq", "a = b is piecewise constant: no derivative"),
        Flat("Tensor.ne", "a ≠ b is piecewise constant: no derivative"),
        // The comparison operators (x > 0 as a mask): the same, written as operators.
        Flat("Tensor.op_GreaterThan", "a > b is piecewise constant: no derivative"),
        Flat("Tensor.op_GreaterThanOrEqual", "a ≥ b is piecewise constant: no derivative"),
        Flat("Tensor.op_LessThan", "a < b is piecewise constant: no derivative"),
        Flat("Tensor.op_LessThanOrEqual", "a ≤ b is piecewise constant: no derivative"),
        Flat("Tensor.op_Equality", "a = b is piecewise constant: no derivative"),
        Flat("Tensor.op_Inequality", "a ≠ b is piecewise constant: no derivative"),
        Flat("Tensor.sign", "sign a is piecewise constant: no derivative"),
        Flat("Tensor.argmax", "an index is piecewise constant: no derivative"),
        Flat("Tensor.argmin", "an index is piecewise constant: no derivative"),
        // Masks: logical combinations and tests of values, piecewise constant like the comparisons.
        Flat("Tensor.logical_and", "a ∧ b is a mask: no derivative"),
        Flat("Tensor.logical_or", "a ∨ b is a mask: no derivative"),
        Flat("Tensor.logical_xor", "a ⊕ b is a mask: no derivative"),
        Flat("Tensor.logical_not", "¬a is a mask: no derivative"),
        Flat("Tensor.isnan", "isnan a is a mask: no derivative"),
        Flat("Tensor.isinf", "isinf a is a mask: no derivative"),
        Flat("Tensor.isposinf", "isposinf a is a mask: no derivative"),
        Flat("Tensor.isneginf", "isneginf a is a mask: no derivative"),
        Flat("Tensor.isfinite", "isfinite a is a mask: no derivative"),
        // The same masks combined with operators (mask & other, a | b, a ^ b).
        Flat("Tensor.op_BitwiseAnd", "a & b of masks is a mask: no derivative"),
        Flat("Tensor.op_BitwiseOr", "a | b of masks is a mask: no derivative"),
        Flat("Tensor.op_ExclusiveOr", "a ^ b of masks is a mask: no derivative"),

        // Creation: new tensors that depend on no differentiated value (sizes, fills and draws are data). The front end
        // creates them on the device, and the floating ones in the dtype, of the method's first tensor input unless the
        // call says otherwise (TensorCallLowering.OnInputsDevice).
        Flat("torch.zeros", "a constant: no derivative"),
        Flat("torch.ones", "a constant: no derivative"),
        Flat("torch.full", "a constant: no derivative"),
        Flat("torch.empty", "uninitialised memory, written before it is read: no derivative"),
        Flat("torch.eye", "a constant: no derivative"),
        Flat("torch.arange", "a constant: no derivative"),
        Flat("torch.linspace", "a constant: no derivative"),
        Flat("torch.rand", "a random draw is data: no derivative"),
        Flat("torch.randn", "a random draw is data: no derivative"),
        Flat("torch.randint", "a random draw is data: no derivative"),
        Flat("torch.zeros_like", "zeros_like(a) reads only a's shape: no derivative in a"),
        Flat("torch.ones_like", "ones_like(a) reads only a's shape: no derivative in a"),
        Flat("torch.empty_like", "empty_like(a) reads only a's shape: no derivative in a"),
        Flat("torch.rand_like", "rand_like(a) reads only a's shape: no derivative in a"),
        Flat("torch.randn_like", "randn_like(a) reads only a's shape: no derivative in a"),

        // Arithmetic (operators and their method forms); operands may broadcast.
        Derived("Tensor.op_Addition", "d(a + b) = da + db", new[] { true, true }) with { Broadcasting = true, Tangent = Addition },
        Derived("Tensor.op_Subtraction", "d(a − b) = da − db", new[] { true, true }) with { Broadcasting = true, Tangent = Subtraction },
        Derived("Tensor.op_Multiply", "d(a·b) = b·da + a·db", new[] { true, true }) with { Broadcasting = true, Tangent = Multiplication },
        Derived("Tensor.op_Division", "d(a/b) = da/b − (a/b)·db/b", new[] { true, true }) with { Broadcasting = true, Tangent = Division },
        Unary("Tensor.op_UnaryNegation", "d(−a) = −da", defaultsFrom: null) with { Tangent = Linear() },

        // Linear algebra.
        Derived("Tensor.matmul", "d(A·B) = dA·B + A·dB: Ā = Ḡ·Bᵀ, B̄ = Aᵀ·Ḡ (batch dimensions summed back)", new[] { true, true }) with { Tangent = Product("Tensor.matmul") },
        Derived("Tensor.mm", "d(A·B) = dA·B + A·dB: Ā = Ḡ·Bᵀ, B̄ = Aᵀ·Ḡ", new[] { true, true }) with { Tangent = Product("Tensor.mm") },
        Derived("torch.bmm", "per batch, d(A·B) = dA·B + A·dB: Ā = Ḡ·Bᵀ, B̄ = Aᵀ·Ḡ", new[] { true, true }) with { Tangent = Product("torch.bmm") },
        // The weight's and bias's adjoints fold into a descent step in place (LinearAdjoints.AddWeight: addmm_ on the weight).
        Derived("nn.functional.linear", "y = x·Wᵀ + b: x̄ = ȳ·W, W̄ = ȳᵀ·x, b̄ = Σ ȳ over the batch", new[] { true, true, true }) with { Tangent = Linear },
        Derived("Tensor.addmm", "y = β·c + α·A·B: c̄ = β·ȳ (summed to c's shape), Ā = α·ȳ·Bᵀ, B̄ = α·Aᵀ·ȳ", new[] { true, true, true, false, false }) with { Tangent = TorchAddmm },
        Derived("torch.addmm", "y = β·c + α·A·B: c̄ = β·ȳ (summed to c's shape), Ā = α·ȳ·Bᵀ, B̄ = α·Aᵀ·ȳ", new[] { true, true, true, false, false }) with { Tangent = TorchAddmm },

        // Elementwise functions.
        Derived("Tensor.pow", "d aᵖ = p·aᵖ⁻¹·da (constant exponent)", new[] { true, false }, elementwise: true) with { Tangent = Power },
        // softplus(a, β, t) = log(1 + e^(β·a))/β, and a itself where β·a > t: the derivative there is exactly 1, not σ(β·a).

        // GELU (exact): a·Φ(a), so d = Φ(a) + a·φ(a) with Φ(a) = ½·erfc(−a/√2), φ(a) = e^(−a²/2)/√(2π); erfc keeps Φ accurate for a ≪ 0.

        // Elementwise functions: the pullback is the transpose of the tangent ȧ·f′(a), derived from the tangent rule.
        Unary("Tensor.exp", "d exp a = exp a · da") with { Tangent = Exp },
        Unary("Tensor.log", "d log a = da / a") with { Tangent = Log },
        Unary("Tensor.sqrt", "d √a = da / (2√a)") with { Tangent = Sqrt },
        Unary("Tensor.rsqrt", "d a^(−½) = −½·a^(−3/2)·da") with { Tangent = Rsqrt },
        Unary("Tensor.abs", "d |a| = sign a · da") with { Tangent = Abs },
        Unary("Tensor.sin", "d sin a = cos a · da") with { Tangent = Sin },
        Unary("Tensor.cos", "d cos a = −sin a · da") with { Tangent = Cos },
        Unary("Tensor.tanh", "d tanh a = (1 − tanh² a)·da") with { Tangent = Tanh, Pullback = TensorPullbackRules.Tanh },
        Unary("Tensor.sigmoid", "d σ(a) = σ(1 − σ)·da") with { Tangent = Sigmoid, Pullback = TensorPullbackRules.Sigmoid },
        Unary("Tensor.square", "d a² = 2a·da") with { Tangent = Square },
        Unary("Tensor.relu", "d relu a = [a > 0]·da (the mask is the output's sign)") with { Tangent = Relu },
        Unary("Tensor.erf", "d erf a = (2/√π)·e^(−a²)·da")
            with { Tangent = Elementwise((b, a, _) => b.Mul(b.Call("Tensor.exp", b.Neg(b.Call("Tensor.square", a))), Number(1.1283791670955126))) },
        Unary("Tensor.erfc", "d erfc a = −(2/√π)·e^(−a²)·da")
            with { Tangent = Elementwise((b, a, _) => b.Mul(b.Call("Tensor.exp", b.Neg(b.Call("Tensor.square", a))), Number(-1.1283791670955126))) },
        // Trigonometric and hyperbolic functions, their inverses, and the other bases of exp and log.
        Unary("Tensor.tan", "d tan a = (1 + tan² a)·da") with { Tangent = Elementwise((b, _, y) => b.Add(b.Call("Tensor.square", y), Number(1))) },
        Unary("Tensor.sinh", "d sinh a = cosh a · da") with { Tangent = Elementwise((b, a, _) => b.Call("Tensor.cosh", a)) },
        Unary("Tensor.cosh", "d cosh a = sinh a · da") with { Tangent = Elementwise((b, a, _) => b.Call("Tensor.sinh", a)) },
        Unary("Tensor.asin", "d asin a = da / √(1 − a²)") with { Tangent = Elementwise((b, a, _) => b.Call("Tensor.rsqrt", b.Sub(Number(1), b.Call("Tensor.square", a)))) },
        Unary("Tensor.acos", "d acos a = −da / √(1 − a²)") with { Tangent = Elementwise((b, a, _) => b.Neg(b.Call("Tensor.rsqrt", b.Sub(Number(1), b.Call("Tensor.square", a))))) },
        Unary("Tensor.atan", "d atan a = da / (1 + a²)") with { Tangent = b => b.Div(b.Tangent(0)!, b.Add(b.Call("Tensor.square", b.Argument(0)), Number(1))) },
        Unary("Tensor.asinh", "d asinh a = da / √(a² + 1)") with { Tangent = Elementwise((b, a, _) => b.Call("Tensor.rsqrt", b.Add(b.Call("Tensor.square", a), Number(1)))) },
        Unary("Tensor.acosh", "d acosh a = da / √(a² − 1)") with { Tangent = Elementwise((b, a, _) => b.Call("Tensor.rsqrt", b.Sub(b.Call("Tensor.square", a), Number(1)))) },
        Unary("Tensor.atanh", "d atanh a = da / (1 − a²)") with { Tangent = b => b.Div(b.Tangent(0)!, b.Sub(Number(1), b.Call("Tensor.square", b.Argument(0)))) },
        Unary("Tensor.reciprocal", "d (1/a) = −da / a² = −y²·da") with { Tangent = Elementwise((b, _, y) => b.Neg(b.Call("Tensor.square", y))) },
        Unary("Tensor.log2", "d log₂ a = da / (a ln 2)") with { Tangent = b => b.Div(b.Tangent(0)!, b.Mul(b.Argument(0), Number(System.Math.Log(2)))) },
        Unary("Tensor.log10", "d log₁₀ a = da / (a ln 10)") with { Tangent = b => b.Div(b.Tangent(0)!, b.Mul(b.Argument(0), Number(System.Math.Log(10)))) },
        Unary("Tensor.exp2", "d 2ᵃ = 2ᵃ ln 2 · da") with { Tangent = Elementwise((b, _, y) => b.Mul(y, Number(System.Math.Log(2)))) },
        Unary("Tensor.log1p", "d log(1 + a) = da / (1 + a)") with { Tangent = b => b.Div(b.Tangent(0)!, b.Add(b.Argument(0), Number(1))) },
        Unary("Tensor.expm1", "d (eᵃ − 1) = eᵃ·da") with { Tangent = Elementwise((b, _, y) => b.Add(y, Number(1))) },
        Unary("Tensor.log_sigmoid", "d log σ(a) = σ(−a)·da") with { Tangent = Elementwise((b, a, _) => b.Call("Tensor.sigmoid", b.Neg(a))) },
        Unary("nn.functional.silu", "d (a·σ(a)) = σ(a)(1 + a(1 − σ(a)))·da", parameters: 2) with { Tangent = Elementwise((b, a, _) => SiluSlope(b, a)) },
        Unary("nn.functional.mish", "d (a·tanh(softplus a)) = (tanh(softplus a) + a·σ(a)·(1 − tanh²(softplus a)))·da", parameters: 2) with { Tangent = Elementwise((b, a, _) => MishSlope(b, a)) },
        // GELU (exact): a·Φ(a), so d = Φ(a) + a·φ(a) with Φ(a) = ½·erfc(−a/√2), φ(a) = e^(−a²/2)/√(2π); erfc keeps Φ accurate for a ≪ 0.
        Unary("Tensor.gelu()", "d gelu a = (Φ(a) + a·φ(a))·da") with { Tangent = Elementwise((b, a, _) => GeluSlope(b, a)) },
        // softplus(a, β, t) = log(1 + e^(β·a))/β, and a itself where β·a > t: the derivative there is exactly 1, not σ(β·a).
        Unary("Tensor.softplus", SoftplusIdentity, parameters: 3, defaultsFrom: null) with { Tangent = Softplus },
        // No row for hardtanh: TorchSharp 0.107's hardtanh returns its input unchanged, so PyTorch's derivative would not be
        // the derivative of what runs; clamp(a, lo, hi) is the working spelling.
        Derived("Tensor.atan2", "d atan2(a, b) = (b·da − a·db) / (a² + b²)", new[] { true, true }) with { Broadcasting = true, Tangent = Atan2 },
        Derived("Tensor.hypot", "d √(a² + b²) = (a·da + b·db) / √(a² + b²)", new[] { true, true }) with { Broadcasting = true, Tangent = Hypot },
        // masked_fill(a, m, v) = a·¬m + v·m: linear in a and v together; the mask is data.
        Derived("Tensor.masked_fill", "d masked_fill(a, m, v) = da where ¬m, dv where m", new[] { true, false, true }) with { Tangent = MaskedFill },
        // Variance and standard deviation over every element or one dimension; the tangent rule reads the input and, for std, the output.
        // TorchSharp 0.107's var over every element ignores unbiased: false (it returns the unbiased variance), so only the
        // default is differentiated; var over a dimension and std honour it.
        Derived("Tensor.var(bool)", "d var a = 2·Σ (a − μ)·da / (n − 1)", new[] { true, false }, defaultsFrom: 1) with { Tangent = VarianceOverAll },
        Derived("Tensor.var(long, bool, bool, ScalarType?)", "d var_d a = 2·Σ_d (a − μ)·da / (n − u)", new[] { true, false, false, false }, defaultsFrom: 4) with { Tangent = VarianceOverDimension },
        Derived("Tensor.std(bool)", "d std a = d var a / (2·std a)", new[] { true, false }) with { Tangent = b => StandardDeviation(b, VarianceOverAll) },
        Derived("Tensor.std(long, bool, bool, ScalarType?)", "d std_d a = d var_d a / (2·std_d a)", new[] { true, false, false, false }, defaultsFrom: 4) with { Tangent = b => StandardDeviation(b, VarianceOverDimension) },
        Derived("Tensor.norm(float)", "d ‖a‖_p = Σ sign(a)·|a|^(p−1)·da / ‖a‖_p^(p−1)", new[] { true, false }) with { Tangent = Norm },
        Derived("Tensor.clone", "d clone a = da", new[] { true }) with { Tangent = Linear() },
        Flat("Tensor.detach", "detach cuts the derivative: the copy is data"),
        // full_like reads only its operand's shape: the result is constant in it (a varying fill value is refused).
        Flat("Tensor.full_like", "full_like(a, v) reads only a's shape: no derivative in a"),
        // A change of element type is linear; its transpose changes the cotangent back. disposeAfter would free the operand
        // the backward reads, so it (and non_blocking) must keep their defaults.
        First("Tensor.to(ScalarType, bool, bool, bool)", "d a.to(T) = da.to(T): ā = ȳ in a's type", 4, defaultsFrom: 2) with { Tangent = Linear() },
        // tril/triu keep a triangle and zero the rest: linear, and its own transpose.
        First("Tensor.tril", "d tril_k a = tril_k da: ā = tril_k ȳ", 2, defaultsFrom: null) with { Tangent = Linear() },
        First("Tensor.triu", "d triu_k a = triu_k da: ā = triu_k ȳ", 2, defaultsFrom: null) with { Tangent = Linear() },
        Derived("Tensor.cumsum", "d cumsum_d a = cumsum_d da: ā = ȳ summed from the end along d", new[] { true, false, false }, defaultsFrom: 2) with { Tangent = Linear() },

        // Piecewise activations: the branch is chosen by a > 0, as PyTorch's backward does (a = 0 takes the left branch).
        Derived("Tensor.leaky_relu", "d leaky_relu(a, s) = (a > 0 ? 1 : s)·da", new[] { true, false }, elementwise: true) with { Tangent = ByPositive((b, da, _) => b.Mul(da, b.Argument(1))) },
        Derived("nn.functional.leaky_relu", "d leaky_relu(a, s) = (a > 0 ? 1 : s)·da", new[] { true, false, false }, defaultsFrom: 2, elementwise: true) with { Tangent = ByPositive((b, da, _) => b.Mul(da, ValueOr(b.Argument(1), 0.01))) },
        Derived("nn.functional.elu", "d elu(a, α) = (a > 0 ? 1 : α·eᵃ)·da", new[] { true, false }, defaultsFrom: 2, elementwise: true) with { Tangent = ByPositive((b, da, a) => b.Scale(b.Mul(da, b.Call("Tensor.exp", a)), ValueOr(b.Argument(1), 1))) },
        Derived("Tensor.elu(double)", "d elu(a, α) = (a > 0 ? 1 : α·eᵃ)·da", new[] { true, false }, elementwise: true) with { Tangent = ByPositive((b, da, a) => b.Scale(b.Mul(da, b.Call("Tensor.exp", a)), ValueOr(b.Argument(1), 1))) },
        Derived("Tensor.elu(Scalar, Scalar, Scalar)", "y = s·(a > 0 ? a : α(e^(i·a) − 1)): d = (a > 0 ? s : s·α·i·e^(i·a))·da", new[] { true, false, false, false }, elementwise: true) with { Tangent = ScaledElu },

        // Clamping passes the adjoint where the value went through unchanged: y = a exactly there, and only there (bounds included, as in PyTorch).
        Derived("Tensor.clamp(Scalar?, Scalar?)", "d clamp(a, lo, hi) = [lo ≤ a ≤ hi]·da = [y = a]·da", new[] { true, false, false }, elementwise: true) with { Tangent = Clamped },
        Derived("Tensor.clamp_min", "d max(a, lo) = [a ≥ lo]·da", new[] { true, false }, elementwise: true) with { Tangent = Elementwise((b, a, _) => b.Call("Tensor.ge", a, b.Argument(1))) },
        Derived("Tensor.clamp_max", "d min(a, hi) = [a ≤ hi]·da", new[] { true, false }, elementwise: true) with { Tangent = Elementwise((b, a, _) => b.Call("Tensor.le", a, b.Argument(1))) },

        // Selection: each branch gets the adjoint where it was chosen; the condition is data.
        Derived("torch.where(Tensor, Tensor, Tensor)", "y = c ? a : b: ā = c·ȳ, b̄ = ¬c·ȳ", new[] { false, true, true }) with { Tangent = Select("torch.where(Tensor, Tensor, Tensor)", condition: 0, whenTrue: 1, whenFalse: 2, receiverFirst: false) },
        Derived("Tensor.where", "y = c ? a : b: ā = c·ȳ, b̄ = ¬c·ȳ", new[] { true, false, true }) with { Tangent = Select("Tensor.where", condition: 1, whenTrue: 0, whenFalse: 2, receiverFirst: true) },

        // Softmax family over one dimension d. The pullbacks are written by hand to read the output, as PyTorch's backward
        // does: transposing the tangent would spread the sum back and add the two terms separately.
        Derived("Tensor.softmax", SoftmaxIdentity, new[] { true, false, false }, defaultsFrom: 2, elementwise: true) with { Pullback = TensorPullbackRules.Softmax, Tangent = Softmax },
        Derived("torch.softmax", SoftmaxIdentity, new[] { true, false, false }, defaultsFrom: 2, elementwise: true) with { Pullback = TensorPullbackRules.Softmax, Tangent = Softmax },
        Derived("special.softmax", SoftmaxIdentity, new[] { true, false, false }, defaultsFrom: 2, elementwise: true) with { Pullback = TensorPullbackRules.Softmax, Tangent = Softmax },
        Derived("nn.functional.softmax", SoftmaxIdentity, new[] { true, false, false }, defaultsFrom: 2, elementwise: true) with { Pullback = TensorPullbackRules.Softmax, Tangent = Softmax },
        Derived("Tensor.log_softmax", LogSoftmaxIdentity, new[] { true, false, false }, defaultsFrom: 2, elementwise: true) with { Pullback = TensorPullbackRules.LogSoftmax, Tangent = LogSoftmax },
        Derived("special.log_softmax", LogSoftmaxIdentity, new[] { true, false, false }, defaultsFrom: 2, elementwise: true) with { Pullback = TensorPullbackRules.LogSoftmax, Tangent = LogSoftmax },
        Derived("nn.functional.log_softmax", LogSoftmaxIdentity, new[] { true, false }, elementwise: true) with { Pullback = TensorPullbackRules.LogSoftmax, Tangent = LogSoftmax },

        // Reductions.
        Derived("Tensor.sum(ScalarType?)", "d Σa: the adjoint of the sum, broadcast back over a", new[] { true, false }, defaultsFrom: 1) with { Tangent = Linear() },
        Derived("Tensor.sum(long, bool, ScalarType?)", "d Σ over one dimension: broadcast back along it", new[] { true, false, false, false }, defaultsFrom: 3) with { Tangent = Linear() },
        First("Tensor.sum(long[], bool, ScalarType?)", SumOverIdentity, 4, defaultsFrom: 3) with { Tangent = Linear() },
        First("Tensor.sum(ReadOnlySpan<long>, bool, ScalarType?)", SumOverIdentity, 4, defaultsFrom: 3) with { Tangent = Linear() },
        First("torch.sum(Tensor, ReadOnlySpan<long>, bool, ScalarType?)", SumOverIdentity, 4, defaultsFrom: 3) with { Tangent = Linear() },
        First("Tensor.sum(long, long, bool, ScalarType?)", "d Σ over two dimensions: ȳ with them restored, broadcast back along them", 5, defaultsFrom: 4) with { Tangent = Linear() },
        First("Tensor.sum(long, long, long, bool, ScalarType?)", "d Σ over three dimensions: ȳ with them restored, broadcast back along them", 6, defaultsFrom: 5) with { Tangent = Linear() },
        Derived("Tensor.mean()", "d mean a: the adjoint over n, broadcast back over a", new[] { true }) with { Tangent = Linear() },
        First("Tensor.mean(long[], bool, ScalarType?)", MeanOverIdentity, 4, defaultsFrom: 3) with { Tangent = Linear() },
        First("torch.mean(Tensor, long[], bool, ScalarType?)", MeanOverIdentity, 4, defaultsFrom: 3) with { Tangent = Linear() },

        // Extrema.
        First("Tensor.amax(long[], bool, Tensor?)", AmaxIdentity, 4, defaultsFrom: 3) with { Tangent = AmongTies },
        First("Tensor.amax(long[])", AmaxIdentity, 2) with { Tangent = AmongTies },
        First("Tensor.amax(ReadOnlySpan<long>, bool, Tensor?)", AmaxIdentity, 4, defaultsFrom: 3) with { Tangent = AmongTies },
        First("torch.amax(Tensor, long[], bool, Tensor?)", AmaxIdentity, 4, defaultsFrom: 3) with { Tangent = AmongTies },
        First("torch.amax(Tensor, long[])", AmaxIdentity, 2) with { Tangent = AmongTies },
        First("torch.amax(Tensor, ReadOnlySpan<long>, bool, Tensor?)", AmaxIdentity, 4, defaultsFrom: 3) with { Tangent = AmongTies },
        First("Tensor.amin(long[], bool, Tensor?)", AminIdentity, 4, defaultsFrom: 3) with { Tangent = AmongTies },
        First("Tensor.amin(long[])", AminIdentity, 2) with { Tangent = AmongTies },
        First("Tensor.amin(ReadOnlySpan<long>, bool, Tensor?)", AminIdentity, 4, defaultsFrom: 3) with { Tangent = AmongTies },
        First("torch.amin(Tensor, long[], bool, Tensor?)", AminIdentity, 4, defaultsFrom: 3) with { Tangent = AmongTies },
        First("torch.amin(Tensor, ReadOnlySpan<long>, bool, Tensor?)", AminIdentity, 4, defaultsFrom: 3) with { Tangent = AmongTies },
        // PyTorch splits the adjoint of amax/amin, and of max()/min() over all elements, evenly among the elements equal to
        // the extremum; max(dim)/min(dim) instead send it to the one index they return.
        First("Tensor.max()", "d max a = ȧ averaged over the elements equal to the maximum", 1) with { Tangent = AmongAllTies },
        First("torch.max(Tensor)", "d max a = ȧ averaged over the elements equal to the maximum", 1) with { Tangent = AmongAllTies },
        First("Tensor.min()", "d min a = ȧ averaged over the elements equal to the minimum", 1) with { Tangent = AmongAllTies },
        First("torch.min(Tensor)", "d min a = ȧ averaged over the elements equal to the minimum", 1) with { Tangent = AmongAllTies },
        First("Tensor.max(long, bool).values", "(y, i) = max_d a: ẏ = ȧ read at the index i along d", 3) with { Tangent = AtIndexOf("Tensor.max(long, bool).indexes") },
        First("torch.max(Tensor, long, bool).values", "(y, i) = max_d a: ẏ = ȧ read at the index i along d", 3) with { Tangent = AtIndexOf("torch.max(Tensor, long, bool).indexes") },
        First("Tensor.min(long, bool).values", "(y, i) = min_d a: ẏ = ȧ read at the index i along d", 3) with { Tangent = AtIndexOf("Tensor.min(long, bool).indexes") },
        Flat("Tensor.max(long, bool).indexes", "an index is piecewise constant: no derivative"),
        Flat("torch.max(Tensor, long, bool).indexes", "an index is piecewise constant: no derivative"),
        Flat("Tensor.min(long, bool).indexes", "an index is piecewise constant: no derivative"),
        // ∂ logsumexp_d(a) / ∂a = softmax_d(a): recomputing it from a (one fused call) keeps a alone, not the output too.
        Derived("Tensor.logsumexp", "d log Σ_d eᵃ = softmax_d(a)·da", new[] { true, false, false }) with { Tangent = LogSumExp },

        // Shape.
        First("Tensor.permute(long[])", "y = a permuted by p: ā = ȳ permuted by p⁻¹", 2) with { Tangent = Linear() },
        First("torch.permute(Tensor, long[])", "y = a permuted by p: ā = ȳ permuted by p⁻¹", 2) with { Tangent = Linear() },
        Derived("Tensor.reshape", "reshape back", new[] { true, false }) with { Tangent = Linear() },
        Derived("Tensor.flatten", "un-flatten", new[] { true, false, false }) with { Tangent = Linear() },
        Derived("Tensor.view_as", "view back", new[] { true, false }) with { Tangent = Linear() },
        Derived("Tensor.t", "transpose back", new[] { true }) with { Tangent = Linear() },
        Derived("Tensor.transpose", "transpose back", new[] { true, false, false }) with { Tangent = Linear() },
        Derived("Tensor.unsqueeze", "squeeze the added dimension", new[] { true, false }) with { Tangent = Linear() },
        // squeeze(d) is a no-op when d has size ≠ 1, so the adjoint is reshaped back rather than unsqueezed at d.
        Derived("Tensor.squeeze", "un-squeeze: reshape back", new[] { true, false }) with { Tangent = Linear() },
        // expand is a broadcast; undoing a broadcast is the sum back to the operand's shape.
        First("Tensor.expand(long[])", "d expand(a) = Σ of ȳ over the expanded dimensions", 2) with { Tangent = Linear() },
        First("Tensor.expand_as", "d expand_as(a, b) = Σ of ȳ over the expanded dimensions", 2) with { Tangent = Linear() },

        // Normalization over the last dimensions (normalized_shape written out); the derivative recomputes the statistics.
        Derived("nn.functional.layer_norm", "y = (x − μ)/√(σ² + ε)·w + b over the last dimensions: ẏ = (ẋ − mean ẋ − x̂·mean(ẋ·x̂))/√(σ² + ε)·w + x̂·ẇ + ḃ",
            new[] { true, false, true, true, false }, elementwise: true) with { WrittenOut = 1, Tangent = LayerNorm },

        // Contractions, linear in each operand: an operand's adjoint contracts ȳ with the others (Contractions.EinsumOperand).
        // einsum's equation is the constant the call wrote; an operand repeating a subscript (a diagonal) is refused at the call.
        new("torch.einsum", new[] { false, false }, "y = einsum(e, a₀, a₁, …): āₖ = einsum(e with aₖ's subscripts as output, the others and ȳ)") { ListParameter = 1, Tangent = Multilinear },
        // tensordot(a, b, long dims) is not a row: TorchSharp 0.107 throws IndexOutOfRangeException for it; dims1/dims2 work.
        Derived("torch.tensordot(Tensor, Tensor, long[], long[])", "y = a ⋅ b over dims1 of a and dims2 of b: ā, b̄ contract ȳ with the other", new[] { true, true, false, false }) with { Tangent = Multilinear },

        // Joining: each input's adjoint is its part of the output's.
        Cat("torch.cat(Tensor[], long)") with { Tangent = Joined },
        Cat("torch.cat(IList<Tensor>, long)") with { Tangent = Joined },
        Cat("torch.cat(ReadOnlySpan<Tensor>, long)") with { Tangent = Joined },
        Cat("torch.concat(Tensor[], long)") with { Tangent = Joined },
        Cat("torch.concat(IList<Tensor>, long)") with { Tangent = Joined },
        Cat("torch.concat(ReadOnlySpan<Tensor>, long)") with { Tangent = Joined },
        Cat("torch.concatenate(Tensor[], long)") with { Tangent = Joined },
        Cat("torch.concatenate(IList<Tensor>, long)") with { Tangent = Joined },
        Cat("torch.concatenate(ReadOnlySpan<Tensor>, long)") with { Tangent = Joined },
        Stack("torch.stack(IEnumerable<Tensor>, long)") with { Tangent = Joined },

        // Indexing: the adjoint goes back to the positions read, summed where a position was read more than once.
        Derived("Tensor.select(long, long)", "ā = 0 with ȳ written at the selected index along d", new[] { true, false, false }) with { Tangent = Linear() },
        First("Tensor.slice(long, long, long, long)", "ā = 0 with ȳ written into the slice [start, finish) by step along d", 5) with { Tangent = Linear() },
        // Basic indexing (integers, ranges, slices, ellipsis, new axes) reads each position at most once, so writing ȳ back
        // through the same indices is the adjoint; tensor (advanced) indices are refused by the front end.
        First("Tensor.index(TensorIndex[])", "ā = 0 with ȳ written back through the same indices", 2) with { Tangent = Linear() },
        Derived("Tensor.narrow", "ā = 0 with ȳ written into the narrowed slice", new[] { true, false, false, false }) with { Tangent = Linear() },
        Derived("Tensor.index_select", "ā = 0 with ȳ added at the selected indices along d", new[] { true, false, false }) with { Tangent = Linear() },
        Derived("Tensor.gather", "ā = 0 with ȳ scattered-added back along d", new[] { true, false, false }) with { Tangent = Linear() },
        Derived("torch.gather", "ā = 0 with ȳ scattered-added back along d", new[] { true, false, false, false }) with { Tangent = Linear() },

        // Layers. dropout and max_pool2d need a value their forward computes but does not return (the mask, the position of
        // each window's maximum); the lowering splits them in two so that value is a variable the reverse sweep reads.
        // The mask m = b/(1 − p) holds the Bernoulli draw b fixed, so it varies with p alone (a double p may be differentiated).
        Derived(DropoutMaskDraw, "m = b/(1 − p) for the draw b: ṁ = m·ṗ/(1 − p) in training, 0 otherwise", new[] { false, true, false }) with { Tangent = DropoutMask },
        Derived(DropoutProduct, "y = x·m with the mask m kept from the forward: ẏ = ẋ·m + x·ṁ", new[] { true, true }) with { Tangent = TensorTangentRules.DropoutProduct },
        Flat(MaxPool2dIndices, "the positions of the window maxima are piecewise constant: no derivative"),
        First(MaxPool2dGather, "y = x at each window's maximum: x̄ = ȳ added back at those positions, summed where windows overlap", 2) with { Tangent = Linear() },
        // conv2d(input, weight, bias, strides, padding, dilation, groups); the adjoints repeat the call's arguments.
        Derived("nn.functional.conv2d", "y = x ⋆ W + b: x̄ = ȳ ⋆ᵀ W (transposed convolution), W̄ = x ⋆ ȳ per group, b̄ = Σ ȳ over batch, height and width", new[] { true, true, true, false, false, false, false }) with { Tangent = Convolution },

        // Losses.
        // Mean cross-entropy over class dimension 1 with int64 targets; targets equal to ignore_index (−100) count neither in the sum nor in n.
        // Mean cross-entropy over class dimension 1 with int64 targets; targets equal to ignore_index (−100) count neither in the sum nor in n.
        // Its pullback is written by hand: softmax minus the one-hot target in one pass, where the derived one would
        // transpose nll_loss and the softmax's sum separately.
        First("nn.functional.cross_entropy", "ℓ = mean over kept n of −log softmax(x)[n, tₙ]: x̄ = (softmax(x) − onehot(t))·[t ≠ −100]·ȳ / #kept", 2, defaultsFrom: 2)
            with { Pullback = TensorPullbackRules.CrossEntropy, Tangent = CrossEntropy },
        Derived("nn.functional.binary_cross_entropy_with_logits", "ℓ = mean (1 − t)·x + log(1 + e⁻ˣ): x̄ = (σ(x) − t)·ȳ/n, t̄ = −x·ȳ/n", new[] { true, true }, defaultsFrom: 2) with { Tangent = BinaryCrossEntropyWithLogits },
        Derived("nn.functional.mse_loss", "mean (x − t)²: x̄ = 2(x − t)·ȳ/n, t̄ = −x̄", new[] { true, true, false }, defaultsFrom: 2) with { Tangent = MeanSquaredError },

        // Rows the tangent rules are written with (TensorTangentRules), so that a tangent can be differentiated again.
        // erfc: the Gaussian CDF in GELU's slope. nll_loss: linear in its input, the tangent of cross-entropy.
        Derived(TiesTangent, "ẏ = mean of ȧ over the ties of each slice: linear in ȧ, whose adjoint shares ȳ among the same ties", new[] { false, false, true, false }) with { Tangent = b => b.Emit(b.Call with { Arguments = b.Call.Arguments.Select((a, i) => i == 2 ? b.Tangent(2)! : a).ToEquatableArray() }) },
        First("nn.functional.nll_loss", "ℓ = −mean over kept n of x[n, tₙ]: x̄ = −onehot(t)·[t ≠ −100]·ȳ / #kept", 2, defaultsFrom: 2) with { Tangent = Linear() },
    };

    /// <summary>
    /// Other spellings of a canonical row, taking the same operands in the same places (receiver first): the front end
    /// resolves them to the row, so each operation has one rule.
    /// </summary>
    static readonly Dictionary<string, string> Aliases = new()
    {
        ["torch.matmul"] = "Tensor.matmul",
        ["torch.mm"] = "Tensor.mm",
        ["Tensor.add"] = "Tensor.op_Addition",
        ["Tensor.sub"] = "Tensor.op_Subtraction",
        ["Tensor.mul"] = "Tensor.op_Multiply",
        ["Tensor.div"] = "Tensor.op_Division",
        ["Tensor.neg"] = "Tensor.op_UnaryNegation",
        ["Tensor.clip(Scalar?, Scalar?)"] = "Tensor.clamp(Scalar?, Scalar?)",
        ["torch.clamp(Tensor, Scalar?, Scalar?)"] = "Tensor.clamp(Scalar?, Scalar?)",
        ["torch.clip(Tensor, Scalar?, Scalar?)"] = "Tensor.clamp(Scalar?, Scalar?)",
        ["torch.clamp_min"] = "Tensor.clamp_min",
        ["torch.clamp_max"] = "Tensor.clamp_max",
        ["torch.sum(Tensor, ScalarType?)"] = "Tensor.sum(ScalarType?)",
        ["torch.sum(Tensor, long, bool, ScalarType?)"] = "Tensor.sum(long, bool, ScalarType?)",
        ["torch.mean(Tensor)"] = "Tensor.mean()",
        ["torch.logsumexp"] = "Tensor.logsumexp",
        ["Tensor.view"] = "Tensor.reshape",
        ["torch.squeeze"] = "Tensor.squeeze",
        ["torch.select(Tensor, long, long)"] = "Tensor.select(long, long)",
        ["torch.narrow"] = "Tensor.narrow",
        ["torch.index_select"] = "Tensor.index_select",
        ["torch.exp"] = "Tensor.exp",
        ["torch.log"] = "Tensor.log",
        ["torch.sqrt"] = "Tensor.sqrt",
        ["torch.rsqrt"] = "Tensor.rsqrt",
        ["torch.abs"] = "Tensor.abs",
        ["torch.sin"] = "Tensor.sin",
        ["torch.cos"] = "Tensor.cos",
        ["torch.tanh"] = "Tensor.tanh",
        ["nn.functional.tanh"] = "Tensor.tanh",
        ["torch.sigmoid"] = "Tensor.sigmoid",
        ["nn.functional.sigmoid"] = "Tensor.sigmoid",
        ["torch.square"] = "Tensor.square",
        ["nn.functional.relu"] = "Tensor.relu",
        ["torch.erf"] = "Tensor.erf",
        ["special.erf"] = "Tensor.erf",
        ["torch.erfc"] = "Tensor.erfc",
        ["special.erfc"] = "Tensor.erfc",
        ["torch.log1p"] = "Tensor.log1p",
        ["torch.expm1"] = "Tensor.expm1",
        ["special.expm1"] = "Tensor.expm1",
        ["nn.functional.logsigmoid"] = "Tensor.log_sigmoid",
        ["nn.functional.gelu(Tensor)"] = "Tensor.gelu()",
        ["nn.functional.softplus"] = "Tensor.softplus",
        ["torch.atan2"] = "Tensor.atan2",
        ["torch.hypot"] = "Tensor.hypot",
        ["torch.cumsum"] = "Tensor.cumsum",
        ["torch.clone"] = "Tensor.clone",
        ["torch.var(Tensor, bool)"] = "Tensor.var(bool)",
        ["torch.var(Tensor, long, bool, bool, ScalarType?)"] = "Tensor.var(long, bool, bool, ScalarType?)",
        ["torch.std(Tensor, bool)"] = "Tensor.std(bool)",
        ["torch.std(Tensor, long, bool, bool, ScalarType?)"] = "Tensor.std(long, bool, bool, ScalarType?)",
        ["torch.norm(Tensor, float)"] = "Tensor.norm(float)",
        ["torch.norm(Tensor)"] = "Tensor.norm(float)",
        ["Tensor.tensordot(Tensor, long[], long[])"] = "torch.tensordot(Tensor, Tensor, long[], long[])",
        ["torch.tril"] = "Tensor.tril",
        ["Tensor.to_type(ScalarType, bool, bool, bool)"] = "Tensor.to(ScalarType, bool, bool, bool)",
        ["Tensor.type(ScalarType)"] = "Tensor.to(ScalarType, bool, bool, bool)",
        ["torch.triu"] = "Tensor.triu",
        ["torch.full_like"] = "Tensor.full_like",
        ["torch.tan"] = "Tensor.tan",
        ["torch.sinh"] = "Tensor.sinh",
        ["torch.cosh"] = "Tensor.cosh",
        ["torch.asin"] = "Tensor.asin",
        ["torch.arcsin"] = "Tensor.asin",
        ["Tensor.arcsin"] = "Tensor.asin",
        ["torch.acos"] = "Tensor.acos",
        ["torch.arccos"] = "Tensor.acos",
        ["Tensor.arccos"] = "Tensor.acos",
        // arctan also names atan2 (arctan(other)): only the one-argument overloads are atan.
        ["torch.atan"] = "Tensor.atan",
        ["torch.arctan(Tensor)"] = "Tensor.atan",
        ["Tensor.arctan()"] = "Tensor.atan",
        ["torch.asinh"] = "Tensor.asinh",
        ["torch.acosh"] = "Tensor.acosh",
        ["torch.atanh"] = "Tensor.atanh",
        ["torch.reciprocal"] = "Tensor.reciprocal",
        ["torch.log2"] = "Tensor.log2",
        ["torch.log10"] = "Tensor.log10",
        ["torch.exp2"] = "Tensor.exp2",
        ["special.exp2"] = "Tensor.exp2",
        ["torch.logical_and"] = "Tensor.logical_and",
        ["torch.logical_or"] = "Tensor.logical_or",
        ["torch.logical_xor"] = "Tensor.logical_xor",
        ["torch.logical_not"] = "Tensor.logical_not",
        ["torch.isnan"] = "Tensor.isnan",
        ["torch.isinf"] = "Tensor.isinf",
        ["torch.isposinf"] = "Tensor.isposinf",
        ["torch.isneginf"] = "Tensor.isneginf",
        ["torch.isfinite"] = "Tensor.isfinite",
        ["Tensor.empty_like"] = "torch.empty_like",
        ["Tensor.rand_like"] = "torch.rand_like",
        ["Tensor.randn_like"] = "torch.randn_like",
    };

    static readonly Dictionary<string, TensorRule> ByKey = Table.ToDictionary(r => r.Key);

    /// <summary>The canonical row key of <paramref name="key"/>, itself when it is not an alias.</summary>
    public static string Canonical(string key) => Aliases.TryGetValue(key, out var canonical) ? canonical : key;

    /// <summary>The aliases of the table, each with its canonical row.</summary>
    public static IReadOnlyDictionary<string, string> AliasTable => Aliases;

    /// <summary>
    /// The rule a call's <c>Rule</c> names: a row, laid over the call's packed arguments when the key carries their layout
    /// (<see cref="IR.Functions.PackedArgument.Layout"/>). A row taking a list of tensors has no rule without one.
    /// </summary>
    public static bool TryGet(string key, out TensorRule rule)
    {
        rule = null!;
        if (key.IndexOf('@') < 0) return ByKey.TryGetValue(Canonical(key), out rule!) && rule.ListParameter is null;

        var (row, packs) = IR.Functions.PackedArgument.ParseKey(key);
        if (!ByKey.TryGetValue(Canonical(row), out var found) || TensorRuleLayout.Lay(found, packs) is not { } laid) return false;
        rule = laid;
        return true;
    }

    /// <summary>The row of the table for an API, as written: what the front end looks up before it lowers the arguments.</summary>
    public static bool TryGetRow(string key, out TensorRule rule) => ByKey.TryGetValue(Canonical(key), out rule!);

    public static IEnumerable<TensorRule> All => Table;
}
