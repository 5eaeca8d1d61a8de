using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Tests.Models;

/// <summary>A model asking for forward mode and Hessian–vector products: its parameter fields get tangents of their own.</summary>
[Model]
public partial class CurvatureMlp
{
    [Parameter] Tensor w1, b1, w2, b2;

    public CurvatureMlp(int inputs, int hidden, int outputs)
    {
        w1 = randn(hidden, inputs, dtype: ScalarType.Float64) * 0.5;
        b1 = randn(hidden, dtype: ScalarType.Float64) * 0.1;
        w2 = randn(outputs, hidden, dtype: ScalarType.Float64) * 0.5;
        b2 = randn(outputs, dtype: ScalarType.Float64) * 0.1;
    }

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public Tensor Forward(Tensor x) => linear(linear(x, w1, b1).tanh(), w2, b2);

    /// <summary>The same computation on explicit weights, for TorchSharp's tape.</summary>
    public static Tensor Reference(Tensor x, Tensor[] w) => linear(linear(x, w[0], w[1]).tanh(), w[2], w[3]);

    /// <summary>The weights, detached, in declaration order.</summary>
    public Tensor[] Weights() => new[] { w1, b1, w2, b2 }.Select(w => w.detach().clone()).ToArray();
}
