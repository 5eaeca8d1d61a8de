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
