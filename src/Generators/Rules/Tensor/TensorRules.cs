using System.Collections.Generic;
using System.Linq;

namespace Leibniz.Generators.Rules.Tensor;

/// <summary>
/// The derivative table for TorchSharp tensor APIs. Adding an op is adding a row. Templates keep to
/// what the backward needs (ReLU reads its output's sign, not its input; <c>linear</c> reads its input
/// and weight, not its output) and prefer fused calls where TorchSharp has them.
/// </summary>
internal static class TensorRules
{
    const string SumTo = "global::Leibniz.Broadcasting.SumToShape";

    // Parameters after the tensor (an in-place flag) must keep their defaults.
    static TensorRule Elementwise(string key, string vjp, string comment)
        => new(key, new[] { vjp }, new[] { false }, comment) { DefaultsFrom = 1 };

    static readonly TensorRule[] Table =
    {
        // Arithmetic (operators and their method forms); operands may broadcast.
        new("Tensor.op_Addition", new[] { "{g}", "{g}" }, new[] { true, true }, "d(a + b) = da + db"),
        new("Tensor.op_Subtraction", new[] { "{g}", "{g}.neg()" }, new[] { true, true }, "d(a − b) = da − db"),
        new("Tensor.op_Multiply", new[] { "{g}.mul({1})", "{g}.mul({0})" }, new[] { true, true }, "d(a·b) = b·da + a·db"),
        new("Tensor.op_Division", new[] { "{g}.div({1})", "{g}.mul({y}).div({1}).neg()" }, new[] { true, true }, "d(a/b) = da/b − (a/b)·db/b"),
        new("Tensor.op_UnaryNegation", new[] { "{g}.neg()" }, new[] { false }, "d(−a) = −da"),
        new("Tensor.add", new[] { "{g}", "{g}" }, new[] { true, true }, "d(a + b) = da + db"),
        new("Tensor.sub", new[] { "{g}", "{g}.neg()" }, new[] { true, true }, "d(a − b) = da − db"),
        new("Tensor.mul", new[] { "{g}.mul({1})", "{g}.mul({0})" }, new[] { true, true }, "d(a·b) = b·da + a·db"),
        new("Tensor.div", new[] { "{g}.div({1})", "{g}.mul({y}).div({1}).neg()" }, new[] { true, true }, "d(a/b) = da/b − (a/b)·db/b"),
        new("Tensor.neg", new[] { "{g}.neg()" }, new[] { false }, "d(−a) = −da"),

        // Linear algebra.
        new("Tensor.matmul", new[] { "{g}.matmul({1}.mT)", "{0}.mT.matmul({g})" }, new[] { true, true }, "d(A·B) = dA·Bᵀ… : Ā = Ḡ·Bᵀ, B̄ = Aᵀ·Ḡ"),
        new("torch.matmul", new[] { "{g}.matmul({1}.mT)", "{0}.mT.matmul({g})" }, new[] { true, true }, "Ā = Ḡ·Bᵀ, B̄ = Aᵀ·Ḡ"),
        new("Tensor.mm", new[] { "{g}.mm({1}.t())", "{0}.t().mm({g})" }, new[] { false, false }, "Ā = Ḡ·Bᵀ, B̄ = Aᵀ·Ḡ"),
        new("torch.mm", new[] { "{g}.mm({1}.t())", "{0}.t().mm({g})" }, new[] { false, false }, "Ā = Ḡ·Bᵀ, B̄ = Aᵀ·Ḡ"),
        new("torch.bmm", new[] { "{g}.bmm({1}.transpose(1, 2))", "{0}.transpose(1, 2).bmm({g})" }, new[] { false, false }, "per batch: Ā = Ḡ·Bᵀ, B̄ = Aᵀ·Ḡ"),
        new("nn.functional.linear", new[]
        {
            "{g}.matmul({1})",
            "{g}.reshape(-1, {g}.shape[^1]).t().mm({0}.reshape(-1, {0}.shape[^1]))",
            "{g}.reshape(-1, {g}.shape[^1]).sum(0L)",
        }, new[] { false, false, false }, "y = x·Wᵀ + b: x̄ = ȳ·W, W̄ = ȳᵀ·x, b̄ = Σ ȳ over the batch"),

        // Elementwise functions.
        Elementwise("Tensor.exp", "{g}.mul({y})", "d exp a = exp a · da"),
        Elementwise("torch.exp", "{g}.mul({y})", "d exp a = exp a · da"),
        Elementwise("Tensor.log", "{g}.div({0})", "d log a = da / a"),
        Elementwise("torch.log", "{g}.div({0})", "d log a = da / a"),
        Elementwise("Tensor.sqrt", "{g}.div({y}.mul(2))", "d √a = da / (2√a)"),
        Elementwise("torch.sqrt", "{g}.div({y}.mul(2))", "d √a = da / (2√a)"),
        Elementwise("Tensor.rsqrt", "{g}.mul({y}.pow(3)).mul(-0.5)", "d a^(−½) = −½·a^(−3/2)·da"),
        Elementwise("torch.rsqrt", "{g}.mul({y}.pow(3)).mul(-0.5)", "d a^(−½) = −½·a^(−3/2)·da"),
        Elementwise("Tensor.abs", "{g}.mul({0}.sign())", "d |a| = sign a · da"),
        Elementwise("torch.abs", "{g}.mul({0}.sign())", "d |a| = sign a · da"),
        Elementwise("Tensor.sin", "{g}.mul({0}.cos())", "d sin a = cos a · da"),
        Elementwise("torch.sin", "{g}.mul({0}.cos())", "d sin a = cos a · da"),
        Elementwise("Tensor.cos", "{g}.mul({0}.sin()).neg()", "d cos a = −sin a · da"),
        Elementwise("torch.cos", "{g}.mul({0}.sin()).neg()", "d cos a = −sin a · da"),
        Elementwise("Tensor.tanh", "{g}.mul(1 - {y}.square())", "d tanh a = (1 − tanh² a)·da"),
        Elementwise("torch.tanh", "{g}.mul(1 - {y}.square())", "d tanh a = (1 − tanh² a)·da"),
        Elementwise("nn.functional.tanh", "{g}.mul(1 - {y}.square())", "d tanh a = (1 − tanh² a)·da"),
        Elementwise("Tensor.sigmoid", "{g}.mul({y}).mul(1 - {y})", "d σ(a) = σ(1 − σ)·da"),
        Elementwise("torch.sigmoid", "{g}.mul({y}).mul(1 - {y})", "d σ(a) = σ(1 − σ)·da"),
        Elementwise("nn.functional.sigmoid", "{g}.mul({y}).mul(1 - {y})", "d σ(a) = σ(1 − σ)·da"),
        Elementwise("Tensor.square", "{g}.mul({0}).mul(2)", "d a² = 2a·da"),
        Elementwise("torch.square", "{g}.mul({0}).mul(2)", "d a² = 2a·da"),
        new("Tensor.pow", new[] { "{g}.mul({0}.pow({1} - 1)).mul({1})", null }, new[] { false, false }, "d aᵖ = p·aᵖ⁻¹·da (constant exponent)"),
        Elementwise("nn.functional.relu", "{g}.mul({y}.gt(0))", "d relu a = [a > 0]·da (the mask is the output's sign)"),
        Elementwise("Tensor.relu", "{g}.mul({y}.gt(0))", "d relu a = [a > 0]·da"),
        Elementwise("torch.relu", "{g}.mul({y}.gt(0))", "d relu a = [a > 0]·da"),
        Elementwise("nn.functional.softplus", "{g}.mul({0}.sigmoid())", "d softplus a = σ(a)·da"),
        Elementwise("nn.functional.silu", "{g}.mul({0}.sigmoid().mul(1 + {0}.mul(1 - {0}.sigmoid())))", "d (a·σ(a)) = σ(a)(1 + a(1 − σ(a)))·da"),

        // Reductions.
        new("Tensor.sum(ScalarType?)", new[] { "{g}.expand_as({0})", null }, new[] { false, false }, "d Σa: the adjoint of the sum, broadcast back over a"),
        new("Tensor.sum(long, bool, ScalarType?)", new[] { "({2} ? {g} : {g}.unsqueeze({1})).expand_as({0})", null, null, null }, new[] { false, false, false, false }, "d Σ over one dimension: broadcast back along it"),
        new("Tensor.mean()", new[] { "{g}.expand_as({0}).div({0}.numel())" }, new[] { false }, "d mean a: the adjoint over n, broadcast back over a"),

        // Shape.
        new("Tensor.reshape", new[] { "{g}.reshape({0}.shape)", null }, new[] { false, false }, "reshape back"),
        new("Tensor.view", new[] { "{g}.reshape({0}.shape)", null }, new[] { false, false }, "view back"),
        new("Tensor.flatten", new[] { "{g}.reshape({0}.shape)", null, null }, new[] { false, false, false }, "un-flatten"),
        new("Tensor.t", new[] { "{g}.t()" }, new[] { false }, "transpose back"),
        new("Tensor.transpose", new[] { "{g}.transpose({1}, {2})", null, null }, new[] { false, false, false }, "transpose back"),
        new("Tensor.unsqueeze", new[] { "{g}.squeeze({1})", null }, new[] { false, false }, "squeeze the added dimension"),

        // Losses.
        new("nn.functional.mse_loss", new[] { "{0}.sub({1}).mul({g}).mul(2.0 / {0}.numel())", "{0}.sub({1}).mul({g}).mul(-2.0 / {0}.numel())", null }, new[] { false, false, false }, "mean (x − t)²: x̄ = 2(x − t)/n") { DefaultsFrom = 2 },
    };

    static readonly Dictionary<string, TensorRule> ByKey = Table.ToDictionary(r => r.Key);

    public static bool TryGet(string key, out TensorRule rule) => ByKey.TryGetValue(key, out rule!);

    public static IEnumerable<TensorRule> All => Table;
}
