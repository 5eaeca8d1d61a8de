using System;
using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Rules.Tensor;

/// <summary>Writes the tangent ẏ of a tensor call as IR through <paramref name="builder"/> and returns it, shaped like the output.</summary>
internal delegate Operand TensorTangentRule(ITangentBuilder builder);

/// <summary>
/// The tangent rules the rows of <see cref="TensorRules"/> carry, and the combinators they are written with: each
/// row's Jacobian–vector product ẏ = Σᵢ (∂y/∂aᵢ)·ȧᵢ as IR, from calls of rows of that same table, so that forward mode
/// runs it, reverse mode transposes it, and H·v differentiates it again. A rule short enough to read in its row is
/// written there (<c>torch.erf</c>'s); longer ones live here, named.
/// </summary>
internal static class TensorTangentRules
{
    internal const string Torch = "global::TorchSharp.torch";

    // ---- calls of table rows ----

    /// <summary>The call of row <paramref name="key"/> written the way the front end writes it.</summary>
    internal static TensorCall CallOf(string key, Operand[] arguments, string[]? parameterNames = null)
    {
        var open = key.IndexOf('(');
        var name = open < 0 ? key : key.Substring(0, open);
        var member = name.Substring(name.LastIndexOf('.') + 1);
        CallForm form;
        string target;
        if (name.StartsWith("Tensor.op_", StringComparison.Ordinal))
        {
            form = CallForm.Operator;
            target = member switch
            {
                "op_Addition" => "+",
                "op_Subtraction" => "-",
                "op_Multiply" => "*",
                "op_Division" => "/",
                "op_UnaryNegation" => "-",
                _ => throw new ArgumentException($"no operator for {key}", nameof(key)),
            };
        }
        else if (name.StartsWith("Tensor.", StringComparison.Ordinal))
        {
            form = CallForm.Instance;
            target = member;
        }
        else
        {
            form = CallForm.Static;
            target = Torch + "." + (name.StartsWith("torch.", StringComparison.Ordinal) ? name.Substring("torch.".Length) : name);
        }

        var names = parameterNames ?? arguments.Select(_ => "").ToArray();
        return new TensorCall(name, key, form, target, arguments.ToEquatableArray(), names.ToEquatableArray());
    }

    internal static Variable Call(this ITangentBuilder b, string key, params Operand[] arguments) => b.Emit(CallOf(key, arguments));

    internal static Operand Number(double value) => new Literal(value, ValueType.Double);

    internal static Variable Add(this ITangentBuilder b, Operand x, Operand y) => b.Call("Tensor.op_Addition", x, y);

    internal static Variable Sub(this ITangentBuilder b, Operand x, Operand y) => b.Call("Tensor.op_Subtraction", x, y);

    internal static Variable Mul(this ITangentBuilder b, Operand x, Operand y) => b.Call("Tensor.op_Multiply", x, y);

    internal static Variable Div(this ITangentBuilder b, Operand x, Operand y) => b.Call("Tensor.op_Division", x, y);

    internal static Variable Neg(this ITangentBuilder b, Operand x) => b.Call("Tensor.op_UnaryNegation", x);

    /// <summary>x·s, or x itself for a scale the call left at (or set to) one.</summary>
    internal static Operand Scale(this ITangentBuilder b, Operand x, Operand scale) => scale is Literal { Value: 1 } ? x : b.Mul(x, scale);

    /// <summary>Σ_d over dimension <paramref name="dimension"/>, keepdim spelled out: <c>t.sum(0)</c> would bind to <c>sum(ScalarType?)</c>.</summary>
    internal static Variable SumOver(this ITangentBuilder b, Operand x, Operand dimension, Operand keepdim)
        => b.Call("Tensor.sum(long, bool, ScalarType?)", x, dimension, keepdim);

    /// <summary>A term known to have the output's shape, so that reverse mode sends the cotangent to it unsummed.</summary>
    internal static Variable Full(this ITangentBuilder b, Variable term)
    {
        b.HasOutputShape(term);
        return term;
    }

    /// <summary>
    /// A term as wide as the output. A broadcast operand's tangent has the operand's shape, which is the output's
    /// only where another term broadcasts it; alone it is expanded (a number is spread over the output).
    /// </summary>
    internal static Operand Spread(this ITangentBuilder b, Operand term)
        => b.IsTensor(term) ? b.Call("Tensor.expand_as", term, b.Output) : b.Mul(b.EmitConstant(Torch + ".ones_like", b.Output), term);

    /// <summary>The sum of the terms present, each saying whether it already has the output's shape.</summary>
    internal static Operand Sum(this ITangentBuilder b, params (Operand? Term, bool Negate, bool Full)[] terms)
    {
        var present = terms.Where(t => t.Term is not null).ToList();
        if (present.Count == 0) throw new InvalidOperationException("a tangent rule ran with no varying argument");
        foreach (var term in present.Where(t => t.Full)) b.HasOutputShape(term.Term!);
        var full = present.Count > 1 || present.Any(t => t.Full);
        var (first, negateFirst, _) = present[0];
        Operand total;
        if (present.Count > 1 && negateFirst && !present[1].Negate)
        {
            // −a + b is written b − a.
            total = b.Sub(present[1].Term!, first!);
            present.RemoveAt(1);
        }
        else
        {
            total = negateFirst ? b.Neg(first!) : first!;
        }

        foreach (var (term, negate, _) in present.Skip(1))
            total = negate ? b.Sub(total, term!) : b.Add(total, term!);

        // Two operands' tangents broadcast against each other to the output's shape, as the operands did.
        var sum = full ? total : b.Spread(total);
        b.HasOutputShape(sum);
        return sum;
    }

    /// <summary>For calls linear in argument <paramref name="index"/> (the others are data): the same call on the tangent.</summary>
    internal static TensorTangentRule Linear(int index = 0)
        => b => b.Emit(b.Call with { Arguments = b.Call.Arguments.Select((a, i) => i == index ? b.Tangent(index)! : a).ToEquatableArray() });

    /// <summary>ẏ = ȧ·f′, for an elementwise function whose derivative <paramref name="derivative"/> writes from (a, y).</summary>
    internal static TensorTangentRule Elementwise(Func<ITangentBuilder, Operand, Operand, Operand> derivative)
        => b => b.Mul(b.Tangent(0)!, derivative(b, b.Argument(0), b.Output));

    /// <summary>ẏ = ȧ where a &gt; 0, and <paramref name="otherwise"/>(ȧ, a) elsewhere — the branch PyTorch's backward takes at 0.</summary>
    internal static TensorTangentRule ByPositive(Func<ITangentBuilder, Operand, Operand, Operand> otherwise)
        => b => b.Call("Tensor.where", b.Tangent(0)!, b.Call("Tensor.gt", b.Argument(0), Number(0)), otherwise(b, b.Tangent(0)!, b.Argument(0)));

    /// <summary>An argument's value, or <paramref name="fallback"/> where the caller kept the default.</summary>
    internal static Operand ValueOr(Operand operand, double fallback, ValueType type = ValueType.Double) => operand is OmittedArgument ? new Literal(fallback, type) : operand;

    // ---- the rules ----

    // With a number on the other side nothing broadcasts: the tangent already has the output's shape.
    internal static Operand Addition(ITangentBuilder b)
        => b.Sum((b.Tangent(0), false, !b.IsTensor(b.Argument(1))), (b.Tangent(1), false, !b.IsTensor(b.Argument(0))));

    internal static Operand Subtraction(ITangentBuilder b)
        => b.Sum((b.Tangent(0), false, !b.IsTensor(b.Argument(1))), (b.Tangent(1), true, !b.IsTensor(b.Argument(0))));

    internal static Operand Multiplication(ITangentBuilder b)
    {
        var (da, db) = (b.Tangent(0), b.Tangent(1));
        return b.Sum((da is null ? null : b.Mul(da, b.Argument(1)), false, true), (db is null ? null : b.Mul(b.Argument(0), db), false, true));
    }

    // d(a/b) = (ȧ − y·ḃ)/b, with y = a/b already computed.
    internal static Operand Division(ITangentBuilder b)
    {
        var (da, db) = (b.Tangent(0), b.Tangent(1));
        if (db is null) return b.Div(da!, b.Argument(1));
        var scaled = b.Mul(b.Output, db);
        return da is null ? b.Neg(b.Div(scaled, b.Argument(1))) : b.Div(b.Sub(da, scaled), b.Argument(1));
    }

    internal static TensorTangentRule Product(string key)
        => b =>
        {
            var (da, db) = (b.Tangent(0), b.Tangent(1));
            return b.Sum((da is null ? null : b.Call(key, da, b.Argument(1)), false, true), (db is null ? null : b.Call(key, b.Argument(0), db), false, true));
        };

    // y = x·Wᵀ + b: ẏ = ẋ·Wᵀ + x·Ẇᵀ + ḃ, the bias tangent folded into one of the products.
    internal static Operand Linear(ITangentBuilder b)
    {
        var (dx, dw, dbias) = (b.Tangent(0), b.Tangent(1), b.Call.Arguments.Count > 2 ? b.Tangent(2) : null);
        Operand? total = null;
        if (dx is not null)
            total = b.Full(b.Call("nn.functional.linear", dbias is null ? new[] { dx, b.Argument(1) } : new[] { dx, b.Argument(1), dbias }));
        if (dw is not null)
        {
            var product = b.Full(b.Call("nn.functional.linear", total is null && dbias is not null ? new[] { b.Argument(0), dw, dbias } : new[] { b.Argument(0), dw }));
            total = total is null ? product : b.Add(total, product);
        }

        return total ?? b.Spread(dbias!);
    }

    // y = β·c + α·A·B: ẏ = β·ċ + α·(Ȧ·B + A·Ḃ) (Tensor.addmm and torch.addmm take the same arguments in the same places).
    internal static Operand TorchAddmm(ITangentBuilder b)
    {
        var (dc, da, db) = (b.Tangent(0), b.Tangent(1), b.Tangent(2));
        var (beta, alpha) = (ValueOr(b.Argument(3), 1, ValueType.Float), ValueOr(b.Argument(4), 1, ValueType.Float));
        var one = new Literal(1, ValueType.Float);
        Operand? total = null;
        if (da is not null)
            total = b.Full(dc is null ? b.Mul(b.Full(b.Call("Tensor.mm", da, b.Argument(2))), alpha) : b.Call("torch.addmm", dc, da, b.Argument(2), beta, alpha));
        if (db is not null)
        {
            total = b.Full(total is null
                ? dc is null ? b.Mul(b.Full(b.Call("Tensor.mm", b.Argument(1), db)), alpha) : b.Call("torch.addmm", dc, b.Argument(1), db, beta, alpha)
                : b.Call("torch.addmm", total, b.Argument(1), db, one, alpha));
        }

        return total ?? b.Spread(b.Mul(dc!, beta));
    }

    // Φ(a) + a·φ(a), with Φ(a) = ½·erfc(−a/√2) and φ(a) = e^(−a²/2)/√(2π), as the reverse rule has it.
    internal static Operand GeluSlope(ITangentBuilder b, Operand a)
    {
        var cdf = b.Mul(b.Call("Tensor.erfc", b.Mul(a, Number(-0.7071067811865476))), Number(0.5));
        var density = b.Mul(b.Call("Tensor.exp", b.Mul(b.Call("Tensor.square", a), Number(-0.5))), Number(0.3989422804014327));
        return b.Add(cdf, b.Mul(a, density));
    }

    // σ(a)·(1 + a·(1 − σ(a))).
    internal static Operand SiluSlope(ITangentBuilder b, Operand a)
    {
        var s = b.Call("Tensor.sigmoid", a);
        return b.Mul(s, b.Add(b.Mul(a, b.Sub(Number(1), s)), Number(1)));
    }

    // y = s·(a > 0 ? a : α(e^(i·a) − 1)): ẏ = (a > 0 ? s : s·α·i·e^(i·a))·ȧ.
    internal static Operand ScaledElu(ITangentBuilder b)
    {
        var (da, a, alpha, scale, inputScale) = (b.Tangent(0)!, b.Argument(0), b.Argument(1), b.Argument(2), b.Argument(3));
        var negative = b.Mul(b.Mul(b.Mul(b.Mul(da, b.Call("Tensor.exp", b.Mul(a, inputScale))), alpha), scale), inputScale);
        return b.Call("Tensor.where", b.Mul(da, scale), b.Call("Tensor.gt", a, Number(0)), negative);
    }

    // softmax: ẏ = y·(ȧ − Σ_d ȧ·y).
    internal static Operand Softmax(ITangentBuilder b)
    {
        var da = b.Tangent(0)!;
        var mean = b.SumOver(b.Mul(da, b.Output), b.Argument(1), new Literal(1, ValueType.Bool));
        return b.Mul(b.Sub(da, mean), b.Output);
    }

    // log softmax: ẏ = ȧ − Σ_d ȧ·eʸ.
    internal static Operand LogSoftmax(ITangentBuilder b)
    {
        var da = b.Tangent(0)!;
        return b.Sub(da, b.SumOver(b.Mul(da, b.Call("Tensor.exp", b.Output)), b.Argument(1), new Literal(1, ValueType.Bool)));
    }

    // logsumexp: ẏ = Σ_d ȧ·softmax_d(a), keeping the dimension as the call did.
    internal static Operand LogSumExp(ITangentBuilder b)
    {
        var weights = b.Call("Tensor.softmax", b.Argument(0), b.Argument(1));
        var keepdim = b.Call.Arguments.Count > 2 && b.Argument(2) is not OmittedArgument ? b.Argument(2) : new Literal(0, ValueType.Bool);
        return b.SumOver(b.Mul(b.Tangent(0)!, weights), b.Argument(1), keepdim);
    }

    // Mean cross-entropy is nll_loss of log_softmax over class dimension 1, and nll_loss is linear:
    // ℓ̇ = nll_loss(ẋ − Σ_c ẋ·softmax(x), t), which keeps ignored targets and the mean over kept rows as the loss does.
    internal static Operand CrossEntropy(ITangentBuilder b)
    {
        var (dx, x) = (b.Tangent(0)!, b.Argument(0));
        var dimension = new Literal(1, ValueType.Int);
        var expected = b.SumOver(b.Mul(dx, b.Call("Tensor.softmax", x, dimension)), dimension, new Literal(1, ValueType.Bool));
        return b.Call("nn.functional.nll_loss", b.Sub(dx, expected), b.Argument(1));
    }

    // ℓ = mean (1 − t)·x + log(1 + e⁻ˣ): ℓ̇ = mean((σ(x) − t)·ẋ − x·ṫ).
    internal static Operand BinaryCrossEntropyWithLogits(ITangentBuilder b)
    {
        var (dx, dt, x, t) = (b.Tangent(0), b.Tangent(1), b.Argument(0), b.Argument(1));
        // Not Sum(…): the terms have the inputs' shape, not the (scalar) output's.
        var fromInput = dx is null ? null : b.Mul(b.Sub(b.Call("Tensor.sigmoid", x), t), dx);
        var fromTarget = dt is null ? null : b.Mul(x, dt);
        var pointwise = fromInput is null ? b.Neg(fromTarget!) : fromTarget is null ? fromInput : b.Sub(fromInput, fromTarget);
        return b.Call("Tensor.mean()", pointwise);
    }

    // ℓ = mean (x − t)²: ℓ̇ = 2·mean((x − t)·(ẋ − ṫ)).
    internal static Operand MeanSquaredError(ITangentBuilder b)
    {
        var (dx, dt) = (b.Tangent(0), b.Tangent(1));
        var difference = dt is null ? dx! : dx is null ? b.Neg(dt) : b.Sub(dx, dt);
        return b.Mul(b.Call("Tensor.mean()", b.Mul(b.Sub(b.Argument(0), b.Argument(1)), difference)), Number(2));
    }

    // y = c ? a : b: ẏ = c ? ȧ : ḃ, a branch that does not vary contributing zeros.
    internal static TensorTangentRule Select(string key, int condition, int whenTrue, int whenFalse, bool receiverFirst)
        => b =>
        {
            Operand Branch(int index) => b.Tangent(index) ?? b.EmitConstant(Torch + ".zeros_like", b.Output);
            var (c, t, f) = (b.Argument(condition), Branch(whenTrue), Branch(whenFalse));
            return b.Call(key, receiverFirst ? new[] { t, c, f } : new[] { c, t, f });
        };


    // mish a = a·tanh(s), s = softplus a: slope tanh(s) + a·σ(a)·(1 − tanh² s), since ds/da = σ(a).
    internal static Operand MishSlope(ITangentBuilder b, Operand a)
    {
        var t = b.Call("Tensor.tanh", b.Call("Tensor.softplus", a, Number(1), Number(20)));
        var rest = b.Mul(b.Mul(a, b.Call("Tensor.sigmoid", a)), b.Sub(Number(1), b.Call("Tensor.square", t)));
        return b.Add(t, rest);
    }

    // atan2(a, b): ẏ = (b·ȧ − a·ḃ)/(a² + b²).
    internal static Operand Atan2(ITangentBuilder b)
    {
        var (da, db, x, y) = (b.Tangent(0), b.Tangent(1), b.Argument(0), b.Argument(1));
        var numerator = b.Sum((da is null ? null : b.Mul(da, y), false, true), (db is null ? null : b.Mul(x, db), true, true));
        return b.Div(numerator, b.Add(b.Call("Tensor.square", x), b.Call("Tensor.square", y)));
    }

    // hypot(a, b) = √(a² + b²): ẏ = (a·ȧ + b·ḃ)/y.
    internal static Operand Hypot(ITangentBuilder b)
    {
        var (da, db) = (b.Tangent(0), b.Tangent(1));
        var numerator = b.Sum((da is null ? null : b.Mul(b.Argument(0), da), false, true), (db is null ? null : b.Mul(b.Argument(1), db), false, true));
        return b.Div(numerator, b.Output);
    }

    // masked_fill(a, m, v) = a·¬m + v·m, linear in (a, v) together: the same call on the tangents, zeros standing for a
    // tangent that does not vary.
    internal static Operand MaskedFill(ITangentBuilder b)
    {
        var filled = b.Tangent(0) ?? b.EmitConstant(Torch + ".zeros_like", b.Output);
        return b.Call("Tensor.masked_fill", filled, b.Argument(1), b.Tangent(2) ?? Number(0));
    }

    const string Moments = "global::Leibniz.Generated.Moments";

    // var a = Σ (a − μ)²/(n − u), with u = 1 when unbiased: v̇ = 2·Σ (a − μ)·ȧ/(n − u), since Σ (a − μ) = 0 kills μ̇.
    // Over dimension d (keepdim as the call has it) when dimension is given, else over every element.
    internal static Operand VarianceTangent(ITangentBuilder b, Operand? dimension, Operand unbiased, Operand keepdim)
    {
        var (a, da) = (b.Argument(0), b.Tangent(0)!);
        var count = dimension is null
            ? b.EmitNumber(new OpaqueCall(Moments + ".Count", new[] { a }.ToEquatableArray()), ValueType.Double)
            : b.EmitNumber(new OpaqueCall(Moments + ".Count", new[] { a, dimension }.ToEquatableArray()), ValueType.Double);
        var correction = unbiased switch
        {
            OmittedArgument => Number(1),
            Literal { Value: var u } => Number(u != 0 ? 1 : 0),
            _ => b.EmitNumber(new ConditionalExpression(unbiased, Number(1), Number(0)), ValueType.Double),
        };
        var scale = b.EmitNumber(new BinaryExpression(BinaryOperator.Divide, Number(2),
            b.EmitNumber(new BinaryExpression(BinaryOperator.Subtract, count, correction), ValueType.Double)), ValueType.Double);
        var total = dimension is null ? b.Call("Tensor.sum(ScalarType?)", a) : b.SumOver(a, dimension, new Literal(1, ValueType.Bool));
        var centred = b.Sub(a, b.Div(total, count));
        var product = b.Mul(centred, da);
        var summed = dimension is null ? b.Call("Tensor.sum(ScalarType?)", product) : b.SumOver(product, dimension, keepdim is OmittedArgument ? new Literal(0, ValueType.Bool) : keepdim);
        b.HasOutputShape(summed);
        return b.Mul(summed, scale);
    }

    internal static Operand VarianceOverAll(ITangentBuilder b) => VarianceTangent(b, null, b.Argument(1), new Literal(0, ValueType.Bool));

    internal static Operand VarianceOverDimension(ITangentBuilder b) => VarianceTangent(b, b.Argument(1), b.Argument(2), b.Argument(3));

    // std = √var: ṡ = v̇/(2s).
    internal static Operand StandardDeviation(ITangentBuilder b, Func<ITangentBuilder, Operand> variance)
        => b.Div(variance(b), b.Mul(b.Output, Number(2)));

    // ‖a‖_p = (Σ |a|ᵖ)^(1/p): ẏ = Σ sign(a)·|a|^(p−1)·ȧ / y^(p−1); for p = 2, Σ a·ȧ / y.
    internal static Operand Norm(ITangentBuilder b)
    {
        var (a, da) = (b.Argument(0), b.Tangent(0)!);
        var p = b.Call.Arguments.Count > 1 && b.Argument(1) is not OmittedArgument ? b.Argument(1) : Number(2);
        Operand Total(Operand x)
        {
            var total = b.Call("Tensor.sum(ScalarType?)", x);
            b.HasOutputShape(total);
            return total;
        }

        if (p is Literal { Value: 2 })
            return b.Div(Total(b.Mul(a, da)), b.Output);
        var lowered = p is Literal { Value: var value } ? Number(value - 1) : (Operand)b.EmitNumber(new BinaryExpression(BinaryOperator.Subtract, p, Number(1)), ValueType.Double);
        var weight = b.Mul(b.Call("Tensor.sign", a), b.Call("Tensor.pow", b.Call("Tensor.abs", a), lowered));
        return b.Div(Total(b.Mul(weight, da)), b.Call("Tensor.pow", b.Output, lowered));
    }

    internal static readonly TensorTangentRule Exp = Elementwise((b, _, y) => y);
    internal static readonly TensorTangentRule Log = b => b.Div(b.Tangent(0)!, b.Argument(0));
    internal static readonly TensorTangentRule Sqrt = b => b.Mul(b.Div(b.Tangent(0)!, b.Output), Number(0.5));
    internal static readonly TensorTangentRule Rsqrt = b => b.Mul(b.Mul(b.Tangent(0)!, b.Call("Tensor.pow", b.Output, new Literal(3, ValueType.Int))), Number(-0.5));
    internal static readonly TensorTangentRule Abs = Elementwise((b, a, _) => b.Call("Tensor.sign", a));
    internal static readonly TensorTangentRule Sin = Elementwise((b, a, _) => b.Call("Tensor.cos", a));
    internal static readonly TensorTangentRule Cos = b => b.Neg(b.Mul(b.Tangent(0)!, b.Call("Tensor.sin", b.Argument(0))));
    internal static readonly TensorTangentRule Tanh = Elementwise((b, _, y) => b.Sub(Number(1), b.Call("Tensor.square", y)));
    internal static readonly TensorTangentRule Sigmoid = Elementwise((b, _, y) => b.Mul(y, b.Sub(Number(1), y)));
    internal static readonly TensorTangentRule Square = b => b.Mul(b.Mul(b.Tangent(0)!, b.Argument(0)), Number(2));
    internal static readonly TensorTangentRule Relu = Elementwise((b, _, y) => b.Call("Tensor.gt", y, Number(0)));
    // softplus(a, β, t) = log(1 + e^(β·a))/β is a itself where β·a > t, so the slope there is exactly 1, and σ(β·a) elsewhere.
    internal static Operand Softplus(ITangentBuilder b)
    {
        var (da, a, beta) = (b.Tangent(0)!, b.Argument(0), ValueOr(b.Argument(1), 1));
        var scaled = b.Scale(a, beta);
        return b.Call("Tensor.where", da, b.Call("Tensor.gt", scaled, ValueOr(b.Argument(2), 20)), b.Mul(da, b.Call("Tensor.sigmoid", scaled)));
    }
    internal static readonly TensorTangentRule Clamped = Elementwise((b, a, y) => b.Call("Tensor.eq", y, a));

    // d aᵖ = p·aᵖ⁻¹·ȧ for a constant exponent.
    internal static Operand Power(ITangentBuilder b)
    {
        var p = b.Argument(1);
        var lowered = p is Literal { Value: var value } literal
            ? new Literal(value - 1, literal.Type)
            : (Operand)b.EmitNumber(new BinaryExpression(BinaryOperator.Subtract, p, Number(1)), ValueType.Double);
        return b.Mul(b.Mul(b.Tangent(0)!, b.Call("Tensor.pow", b.Argument(0), lowered)), p);
    }

    /// <summary>
    /// cat/stack: the same call on the list of the elements' tangents — zeros for an element that does not vary, so each
    /// still fills its part of the output.
    /// </summary>
    internal static Operand Joined(ITangentBuilder b)
    {
        var list = b.Call.Packs.Single(p => p.ElementType.EndsWith("Tensor", StringComparison.Ordinal));
        var arguments = b.Call.Arguments.Select((a, i) =>
            i < list.First || i >= list.First + list.Count ? a : b.Tangent(i) ?? b.EmitConstant(Torch + ".zeros_like", a));
        return b.Emit(b.Call with { Arguments = arguments.ToEquatableArray() });
    }

    /// <summary>The mean of <paramref name="x"/> over its last <paramref name="count"/> dimensions, keeping them (a packed list of dimensions).</summary>
    internal static Variable MeanOverLast(this ITangentBuilder b, Operand x, int count)
    {
        const string row = "Tensor.mean(long[], bool, ScalarType?)";
        var dimensions = Enumerable.Range(0, count).Select(k => (Operand)new Literal(k - count, ValueType.Int));
        var pack = new PackedArgument(1, 1, "long", false, Enumerable.Repeat("{0}", count).ToEquatableArray());
        var arguments = new[] { x }.Concat(dimensions).Append(new Literal(1, ValueType.Bool)).ToArray();
        return b.Emit(CallOf(row, arguments) with { Rule = PackedArgument.KeyOf(row, new[] { pack }), Packs = new[] { pack }.ToEquatableArray() });
    }

    /// <summary>
    /// layer_norm over the last k dimensions (k the length of normalized_shape, written out): with μ, σ² the mean and
    /// biased variance there, x̂ = (x − μ)/√(σ² + ε) has ẋ̂ = (ẋ − mean ẋ − x̂·mean(ẋ·x̂))/√(σ² + ε), and y = x̂·w + b has
    /// ẏ = ẋ̂·w + x̂·ẇ + ḃ. The statistics are recomputed from x, as PyTorch's backward recomputes none of them but keeps them.
    /// </summary>
    internal static Operand LayerNorm(ITangentBuilder b)
    {
        var shape = b.Call.Packs.FirstOrDefault(p => p.Parameter == 1)
            ?? throw new InvalidOperationException("layer_norm's normalized_shape must be written out (new long[] { … }) for its derivative");
        var after = shape.First + shape.Count;
        Operand Present(int offset) => after + offset < b.Call.Arguments.Count && b.Argument(after + offset) is not OmittedArgument ? b.Argument(after + offset) : new OmittedArgument();
        var (weight, bias, epsilon) = (Present(0), Present(1), ValueOr(Present(2), 1e-5));
        bool Given(Operand operand) => operand is not OmittedArgument && !(operand is CodeLiteral { CSharp: "null" });
        var (x, k) = (b.Argument(0), shape.Count);

        var centred = b.Sub(x, b.MeanOverLast(x, k));
        var scale = b.Call("Tensor.rsqrt", b.Add(b.MeanOverLast(b.Call("Tensor.square", centred), k), epsilon));
        var normalized = b.Mul(centred, scale);

        Operand? total = null;
        if (b.Tangent(0) is { } dx)
        {
            var spread = b.Mul(normalized, b.MeanOverLast(b.Mul(dx, normalized), k));
            var dNormalized = b.Mul(b.Sub(b.Sub(dx, b.MeanOverLast(dx, k)), spread), scale);
            total = Given(weight) ? b.Full(b.Mul(dNormalized, weight)) : dNormalized;
        }

        if (Given(weight) && b.Tangent(after) is { } dw)
        {
            var term = b.Full(b.Mul(normalized, dw));
            total = total is null ? term : b.Add(total, term);
        }

        if (Given(bias) && b.Tangent(after + 1) is { } dbias) total = total is null ? b.Spread(dbias) : b.Add(total, dbias);
        if (total is null) throw new InvalidOperationException("a tangent rule ran with no varying argument");
        b.HasOutputShape(total);
        return total;
    }

    /// <summary>
    /// A call linear in each of its differentiable operands separately (einsum, tensordot): ẏ = Σₖ the call with operand k
    /// replaced by its tangent.
    /// </summary>
    internal static Operand Multilinear(ITangentBuilder b)
    {
        Operand? total = null;
        for (var k = 0; k < b.Call.Arguments.Count; k++)
        {
            if (b.Tangent(k) is not { } tangent) continue;
            var term = b.Full(b.Emit(b.Call with { Arguments = b.Call.Arguments.Select((a, i) => i == k ? tangent : a).ToEquatableArray() }));
            total = total is null ? term : b.Add(total, term);
        }

        return total ?? throw new InvalidOperationException("a tangent rule ran with no varying argument");
    }

    // y = x ⋆ W + b is linear in each of x, W and b: ẏ = ẋ ⋆ W + x ⋆ Ẇ + ḃ, the bias tangent carried by one of the
    // convolutions (by a convolution of zeros when only the bias varies).
    internal static Operand Convolution(ITangentBuilder b)
    {
        var (dx, dw, dbias) = (b.Tangent(0), b.Tangent(1), b.Tangent(2));
        var noBias = new OmittedArgument(new CodeLiteral("null"));
        Variable Convolve(Operand input, Operand weight, Operand bias)
            => b.Full(b.Emit(b.Call with { Arguments = new[] { input, weight, bias }.Concat(b.Call.Arguments.Skip(3)).ToEquatableArray() }));

        Operand? total = null;
        if (dx is not null) total = Convolve(dx, b.Argument(1), dbias ?? noBias);
        if (dw is not null)
        {
            var product = Convolve(b.Argument(0), dw, total is null && dbias is not null ? dbias : noBias);
            total = total is null ? product : b.Add(total, product);
        }

        return total ?? Convolve(b.EmitConstant(Torch + ".zeros_like", b.Argument(0)), b.Argument(1), dbias!);
    }

    // y = x·m with the mask m kept from the forward: ẏ = ẋ·m + x·ṁ, each term the same product.
    internal static Operand DropoutProduct(ITangentBuilder b)
    {
        var (dx, dm) = (b.Tangent(0), b.Tangent(1));
        Operand? total = dx is null ? null : b.Full(b.Emit(b.Call with { Arguments = new[] { dx, b.Argument(1) }.ToEquatableArray() }));
        if (dm is null) return total!;
        var second = b.Full(b.Emit(b.Call with { Arguments = new[] { b.Argument(0), dm }.ToEquatableArray() }));
        return total is null ? second : b.Add(total, second);
    }

    // m = d/(1 − p) for the draw d held fixed: ṁ = m·ṗ/(1 − p) in training, and m = 1 (ṁ = 0) otherwise.
    internal static Operand DropoutMask(ITangentBuilder b)
    {
        var (p, training) = (b.Argument(1), b.Argument(2));
        if (training is OmittedArgument omitted) training = omitted.Default ?? new Literal(1, ValueType.Bool);
        // 1 − p, made 1 at p = 1, where the mask is all zeros and does not vary: ṁ = 0·ṗ, not 0·ṗ/0.
        var dropsAll = b.EmitNumber(new ConditionalExpression(b.EmitNumber(new BinaryExpression(BinaryOperator.GreaterOrEqual, p, Number(1)), ValueType.Bool),
            Number(1), Number(0)), ValueType.Double);
        var keep = b.EmitNumber(new BinaryExpression(BinaryOperator.Add, b.EmitNumber(new BinaryExpression(BinaryOperator.Subtract, Number(1), p), ValueType.Double), dropsAll),
            ValueType.Double);
        var rate = b.EmitNumber(new BinaryExpression(BinaryOperator.Divide, b.Tangent(1)!, keep), ValueType.Double);
        Operand scale = training switch
        {
            Literal { Value: 0 } => Number(0),
            Literal => rate,
            // rate·[training], not training ? rate : 0: reverse mode treats a conditional's value as a constant, and H·v needs ∂rate/∂p.
            _ => b.EmitNumber(new BinaryExpression(BinaryOperator.Multiply, rate, b.EmitNumber(new ConditionalExpression(training, Number(1), Number(0)), ValueType.Double)), ValueType.Double),
        };
        return b.Mul(b.Output, scale);
    }

    // max over all elements shares its derivative evenly among the ties, as the reverse rule does: ẏ = Σ ȧ·[a = y] / #[a = y].
    internal static Operand AmongAllTies(ITangentBuilder b)
    {
        var ties = b.Call("Tensor.eq", b.Argument(0), b.Output);
        Variable Total(Operand x) => b.Emit(CallOf("Tensor.sum(ScalarType?)", new[] { x, new OmittedArgument() }, new[] { "", "type" }));
        return b.Div(Total(b.Mul(b.Tangent(0)!, ties)), Total(ties));
    }

    /// <summary>
    /// (y, i) = max_d a: ẏ = ȧ read at the index i along d (kept as a dimension of size one for the gather, then squeezed
    /// unless the call keeps it) — <paramref name="indexes"/> names the row of i.
    /// </summary>
    internal static TensorTangentRule AtIndexOf(string indexes)
        => b =>
        {
            var (dimension, keepdim) = (b.Argument(1), b.Argument(2));
            var index = b.Emit(b.Call with { Rule = indexes, Member = "indexes", Arguments = new[] { b.Argument(0), dimension, new Literal(1, ValueType.Bool) }.ToEquatableArray() });
            var read = b.Call("Tensor.gather", b.Tangent(0)!, dimension, index);
            return keepdim switch
            {
                Literal { Value: not 0 } => read,
                Literal or OmittedArgument => b.Call("Tensor.squeeze", read, dimension),
                _ => b.Call("Tensor.view_as", read, b.Output),
            };
        };

    /// <summary>
    /// amax/amin over dimensions D: ẏ = the mean of ȧ over the elements of each slice equal to its extremum — the tangent
    /// of the reverse rule's even share among ties — passing on the call's list of dimensions as it was written.
    /// </summary>
    internal static Operand AmongTies(ITangentBuilder b)
    {
        const string target = "global::Leibniz.Generated.Reductions.TiesTangent";
        var leading = new[] { b.Argument(0), b.Output, b.Tangent(0)! };
        if (b.Call.Packs.FirstOrDefault(p => p.Parameter == 1) is not { } dims)
        {
            var plain = leading.Append(b.Argument(1)).ToArray();
            return b.Emit(new TensorCall(TensorRules.TiesTangent, TensorRules.TiesTangent, CallForm.Static, target, plain.ToEquatableArray(), plain.Select(_ => "").ToEquatableArray()));
        }

        var arguments = leading.Concat(b.Call.Arguments.Skip(dims.First).Take(dims.Count)).ToArray();
        var laid = dims with { Parameter = 3, First = 3, Params = false };
        return b.Emit(new TensorCall(TensorRules.TiesTangent, PackedArgument.KeyOf(TensorRules.TiesTangent, new[] { laid }), CallForm.Static, target,
            arguments.ToEquatableArray(), arguments.Select(_ => "").ToEquatableArray()) { Packs = new[] { laid }.ToEquatableArray() });
    }


    /// <summary>
    /// The tangent rule of table row <paramref name="key"/>, if it has one; a key carrying the layout of packed arguments
    /// (<c>row@…</c>) finds its row's rule, which reads the call's operands as laid out.
    /// </summary>
    public static bool TryGet(string key, out TensorTangentRule rule)
    {
        rule = null!;
        if (!TensorRules.TryGetRow(key.Split('@')[0], out var row) || row.Tangent is null) return false;
        rule = row.Tangent;
        return true;
    }

    internal static readonly string[] LinearInFirstRows =
    {
        "Tensor.reshape", "Tensor.view", "Tensor.expand", "Tensor.permute", "torch.permute", "Tensor.flatten",
        "Tensor.sum(", "Tensor.mean(", "torch.sum(", "torch.mean(", "Tensor.index", "Tensor.slice", "Tensor.select", "Tensor.narrow",
    };

    /// <summary>
    /// Whether a row (any argument layout) is linear in its first argument with the others data — shapes, dimension lists,
    /// indices — so that its tangent is the same call applied to the first argument's tangent.
    /// </summary>
    public static bool IsLinearInFirst(string key)
    {
        var row = key.Split('@')[0];
        return LinearInFirstRows.Any(prefix => row == prefix || row.StartsWith(prefix, System.StringComparison.Ordinal) && (prefix.EndsWith("(") || row[prefix.Length] == '('));
    }

    /// <summary>Whether forward mode can follow a call of row <paramref name="rule"/>: it carries no derivative, or it has a tangent rule.</summary>
    public static bool Covers(TensorRule rule) => !rule.HasAnyDerivative || TryGet(rule.Key, out _);

    /// <summary>The rows that have a tangent rule.</summary>
    public static IEnumerable<string> Keys => TensorRules.All.Where(r => r.Tangent is not null).Select(r => r.Key);
}
