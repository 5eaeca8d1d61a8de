using static Leibniz.Fuzzing.Tests.Operations.OperationSample;

namespace Leibniz.Fuzzing.Tests.Operations;

/// <summary>
/// The sample inputs of the rows whose pullback is derived from the tangent rule, and of every alias. Shapes are
/// non-square so a rule acting along the wrong dimension fails; two-operand samples broadcast. Domains are kept away
/// from the edges by the expression itself (<c>a.abs() + 0.5</c> under a logarithm).
/// </summary>
internal static class OperationSamples
{
    public static readonly OperationSample[] All =
    {
        new("Arithmetic", new[] { "Tensor.op_Addition", "Tensor.op_Subtraction", "Tensor.op_Multiply", "Tensor.op_Division", "Tensor.op_UnaryNegation" },
            new[] { T("a", 3, 4), T("b", 4) }, "a * b + a / (b.square() + 1) - (-a) * 0.5 + (b - a) * a + 2.0 * a / 3.0 - 1.5 / (a.square() + 1)"),
        new("ArithmeticMethods", new[] { "Tensor.add", "Tensor.sub", "Tensor.mul", "Tensor.div", "Tensor.neg" },
            new[] { T("a", 2, 3), T("b", 2, 1) }, "a.add(b).mul(a).sub(b.neg()).div(b.square() + 1) + a.mul(0.5)"),
        new("LeakyRelu", new[] { "Tensor.leaky_relu", "nn.functional.leaky_relu" }, new[] { T("a", 3, 4) }, "a.leaky_relu(0.2) * a + nn.functional.leaky_relu(a - 0.1)"),
        new("Elu", new[] { "nn.functional.elu", "Tensor.elu(double)" }, new[] { T("a", 3, 4) }, "nn.functional.elu(a, 1.3) + a.elu(0.7) * a"),
        new("Clamp", new[] { "Tensor.clamp(Scalar?, Scalar?)", "Tensor.clip(Scalar?, Scalar?)", "torch.clamp(Tensor, Scalar?, Scalar?)", "torch.clip(Tensor, Scalar?, Scalar?)",
                "Tensor.clamp_min", "torch.clamp_min", "Tensor.clamp_max", "torch.clamp_max" }, new[] { T("a", 4, 3) },
            "a.clamp(-0.5, 0.7) + a.clip(-1.0, 0.2) * a + torch.clamp(a, -0.3, 1.1) + torch.clip(a * 2, -1.0, 1.0) + a.clamp_min(0.1) + torch.clamp_min(a, -0.2) + a.clamp_max(0.3) + torch.clamp_max(a, 0.0)"),
        new("Where", new[] { "Tensor.where", "torch.where(Tensor, Tensor, Tensor)" }, new[] { T("a", 3, 4), T("b", 4) },
            "a.where(a.gt(0), b * 2) + torch.where(b.lt(0.1), a.square(), b)"),
        new("Sums", new[] { "Tensor.sum(ScalarType?)", "torch.sum(Tensor, ScalarType?)", "Tensor.sum(long, bool, ScalarType?)", "torch.sum(Tensor, long, bool, ScalarType?)" },
            new[] { T("a", 3, 4) }, "a * a.sum() * 0.1 + a.sum(1, keepdim: true) + torch.sum(a.square()) * 0.1 + torch.sum(a, 0L, false) * a + a.sum(-1).unsqueeze(1)"),
        new("Means", new[] { "Tensor.mean()", "torch.mean(Tensor)" }, new[] { T("a", 3, 4) }, "a * a.mean() + torch.mean(a.square())"),
        new("LogSumExp", new[] { "Tensor.logsumexp", "torch.logsumexp" }, new[] { T("a", 3, 4) }, "a.logsumexp(1).unsqueeze(1) * a + torch.logsumexp(a, 0, keepdim: true)"),
        new("Reshapes", new[] { "Tensor.reshape", "Tensor.view", "Tensor.flatten", "Tensor.view_as", "Tensor.squeeze", "torch.squeeze", "Tensor.unsqueeze" },
            new[] { T("a", 2, 3, 1), T("b", 6) }, "a.reshape(6) * b + a.view(3, 2).flatten() + (b * 2).view_as(a).squeeze(2).flatten() + torch.squeeze(a, 2).reshape(6) + b.unsqueeze(0).squeeze(0)"),
        new("Transposes", new[] { "Tensor.t", "Tensor.transpose" }, new[] { T("a", 2, 3), T("b", 3, 2) }, "a.t() * b + a.transpose(0, 1) * b.square()"),
        new("Slices", new[] { "Tensor.select(long, long)", "torch.select(Tensor, long, long)", "Tensor.narrow", "torch.narrow" }, new[] { T("a", 4, 5) },
            "a.select(0, 1) * a.select(1, 2).sum() + torch.select(a, 0, 3) + a.narrow(0, 1, 3).sum(dim: 0) + torch.narrow(a, 1, -2, 2).sum()"),
        new("IndexReads", new[] { "Tensor.index_select", "torch.index_select", "Tensor.gather", "torch.gather" }, new[] { T("a", 4, 3) },
            "a.index_select(0, a.argmax(0)).sum(dim: 0) + torch.index_select(a, 1, a.argmax(1)).sum(dim: 1).narrow(0, 0, 3) + a.gather(1, a.argmax(1, true)).sum() + torch.gather(a, 0, a.argmin(0, true)).squeeze(0)"),
        new("Clone", new[] { "Tensor.clone", "torch.clone" }, new[] { T("a", 3, 2) }, "a.clone() * a + torch.clone(a.square()) + a.detach() * a"),
        new("MatrixProducts", new[] { "Tensor.matmul", "torch.matmul", "Tensor.mm", "torch.mm", "torch.bmm" },
            new[] { T("a", 3, 4), T("b", 4, 2), T("c", 2, 3, 4), T("v", 4) },
            "a.matmul(b).sum(dim: 1).unsqueeze(1) * a + torch.matmul(c, v).sum(dim: 0).unsqueeze(1) + a.mm(b).mm(torch.mm(b.t(), a.t())).sum() + torch.bmm(c, c.transpose(1, 2)).sum(dim: 0).sum(dim: 1).unsqueeze(1) + a.matmul(v).unsqueeze(1)"),
        new("Power", new[] { "Tensor.pow" }, new[] { T("a", 3, 4) }, "(a.abs() + 0.5).pow(1.7) + a.pow(2) * 0.3 + a.square().pow(0.5)"),
        new("Exp", new[] { "Tensor.exp", "torch.exp" }, new[] { T("a", 3, 4) }, "a.exp() * 0.3 + torch.exp(a * 0.5)"),
        new("Log", new[] { "Tensor.log", "torch.log" }, new[] { T("a", 3, 4) }, "(a.abs() + 0.5).log() + torch.log(a.square() + 0.25)"),
        new("Sqrt", new[] { "Tensor.sqrt", "torch.sqrt" }, new[] { T("a", 4, 3) }, "(a.abs() + 0.5).sqrt() + torch.sqrt(a.square() + 1)"),
        new("Rsqrt", new[] { "Tensor.rsqrt", "torch.rsqrt" }, new[] { T("a", 4, 3) }, "(a.abs() + 0.5).rsqrt() + torch.rsqrt(a.square() + 1)"),
        new("Abs", new[] { "Tensor.abs", "torch.abs" }, new[] { T("a", 2, 5) }, "a.abs() * a + torch.abs(a - 0.1)"),
        new("Sin", new[] { "Tensor.sin", "torch.sin" }, new[] { T("a", 2, 5) }, "a.sin() * a + torch.sin(a * 2)"),
        new("Cos", new[] { "Tensor.cos", "torch.cos" }, new[] { T("a", 2, 5) }, "a.cos() * a + torch.cos(a * 2)"),
        new("Tanh", new[] { "Tensor.tanh", "torch.tanh", "nn.functional.tanh" }, new[] { T("a", 3, 2) }, "a.tanh() + torch.tanh(a * 2) + nn.functional.tanh(a * 0.5)"),
        new("Sigmoid", new[] { "Tensor.sigmoid", "torch.sigmoid", "nn.functional.sigmoid" }, new[] { T("a", 3, 2) },
            "a.sigmoid() + torch.sigmoid(a * 2) + nn.functional.sigmoid(a * 0.5)"),
        new("Square", new[] { "Tensor.square", "torch.square" }, new[] { T("a", 3, 2) }, "a.square() * 0.5 + torch.square(a - 1) * 0.2"),
        new("Relu", new[] { "Tensor.relu", "nn.functional.relu" }, new[] { T("a", 4, 5) }, "a.relu() * a + nn.functional.relu(a - 0.3) + nn.functional.relu(a * 2)"),
        new("Erf", new[] { "Tensor.erf", "torch.erf", "special.erf" }, new[] { T("a", 3, 4) }, "a.erf() + torch.erf(a * 2) + special.erf(a - 0.5)"),
        new("Erfc", new[] { "Tensor.erfc", "torch.erfc", "special.erfc" }, new[] { T("a", 3, 4) }, "a.erfc() + torch.erfc(a * 2) + special.erfc(a - 0.5)"),
        new("Log1p", new[] { "Tensor.log1p", "torch.log1p" }, new[] { T("a", 3, 4) }, "(a.abs() + 0.1).log1p() + torch.log1p(a.square())"),
        new("Expm1", new[] { "Tensor.expm1", "torch.expm1", "special.expm1" }, new[] { T("a", 3, 4) }, "a.expm1() + torch.expm1(a * 0.5) + special.expm1(a * 0.1)"),
        new("LogSigmoid", new[] { "Tensor.log_sigmoid", "nn.functional.logsigmoid" }, new[] { T("a", 3, 4) }, "a.log_sigmoid() + nn.functional.logsigmoid(a * 2)"),
        new("Silu", new[] { "nn.functional.silu" }, new[] { T("a", 3, 4) }, "nn.functional.silu(a) * a"),
        new("Mish", new[] { "nn.functional.mish" }, new[] { T("a", 3, 4) }, "nn.functional.mish(a) + nn.functional.mish(a * 3)"),
        new("Gelu", new[] { "Tensor.gelu()", "nn.functional.gelu(Tensor)" }, new[] { T("a", 3, 4) }, "a.gelu() + nn.functional.gelu(a * 2)"),
        new("Softplus", new[] { "Tensor.softplus", "nn.functional.softplus" }, new[] { T("a", 3, 4) },
            "a.softplus() + nn.functional.softplus(a * 3, 2.0, 1.5) + a.softplus(0.5)"),
        new("Atan2", new[] { "Tensor.atan2", "torch.atan2" }, new[] { T("a", 3, 4), T("b", 4) }, "a.atan2(b) + torch.atan2(b, a * 2)"),
        new("Hypot", new[] { "Tensor.hypot", "torch.hypot" }, new[] { T("a", 3, 1), T("b", 3, 4) }, "a.hypot(b) + torch.hypot(b, a * 2)"),
        new("MaskedFill", new[] { "Tensor.masked_fill" }, new[] { T("a", 3, 4), T("m", 4) }, "a.masked_fill(m.gt(0), 0.5) * a + (a * 2).masked_fill(a.lt(0.2), -1)"),
        new("Cumsum", new[] { "Tensor.cumsum", "torch.cumsum" }, new[] { T("a", 3, 4, 2) }, "a.cumsum(1) * a + torch.cumsum(a.square(), 0) + a.cumsum(-1)"),
    };
}
