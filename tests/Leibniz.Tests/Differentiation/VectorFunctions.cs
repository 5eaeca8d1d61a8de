using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

/// <summary>Tensor-valued functions and a loss, for Jacobian–vector and vector–Jacobian products, full Jacobians and Hessians, and Gauss–Newton products.</summary>
public static partial class VectorFunctions
{
    /// <summary>A layer, (batch, in) → (batch, out).</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Layer(Tensor x, Tensor w, Tensor b) => nn.functional.linear(x, w, b).tanh();

    /// <summary>(n) → (n, n): more outputs than inputs, so its Jacobian is built by columns.</summary>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static Tensor Products(Tensor a) => (a.unsqueeze(1) * a.unsqueeze(0)).sin();

    /// <summary>Mean cross-entropy over logits: the loss of the Gauss–Newton product with <see cref="Layer"/>.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Loss(Tensor logits, [NoDerivative] Tensor target) => nn.functional.cross_entropy(logits, target);

    /// <summary>A scalar function of one matrix, for its full Hessian.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Energy(Tensor x) => (x.softmax(1) * x).sum() + (x.square().sum(0, keepdim: false) + 1.0).sqrt().sum();
}
