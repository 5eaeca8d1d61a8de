using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Benchmarks.SecondOrder;

/// <summary>H·v of the MLP loss over its weights, by the generated code and by TorchSharp's tape differentiated twice.</summary>
public static class MlpProducts
{
    /// <summary>The generated <c>MlpLossHessianVectorProduct</c>: reverse mode over the generated tangent.</summary>
    public static Tensor[] Generated(Tensor x, Tensor[] w, Tensor target, Tensor[] v)
    {
        SecondOrderObjectives.MlpLossHessianVectorProduct(x, w[0], w[1], w[2], w[3], target, v[0], v[1], v[2], v[3],
            out _, out _, out _, out _, out var h1, out var h2, out var h3, out var h4);
        return new[] { h1!, h2!, h3!, h4! };
    }

    /// <summary>What a TorchSharp user writes: the gradient with <c>create_graph</c>, then the gradient of ⟨∇f, v⟩.</summary>
    public static Tensor[] DoubleBackward(Tensor x, Tensor[] w, Tensor target, Tensor[] v)
    {
        var leaves = w.Select(t => t.detach().requires_grad_()).ToArray();
        var h = nn.functional.linear(x, leaves[0], leaves[1]).tanh();
        var loss = nn.functional.mse_loss(nn.functional.linear(h, leaves[2], leaves[3]), target);
        var gradients = torch.autograd.grad(new[] { loss }, leaves, retain_graph: true, create_graph: true);
        var directional = gradients.Zip(v, (g, d) => (g * d).sum()).Aggregate((a, b) => a + b);
        return torch.autograd.grad(new[] { directional }, leaves).ToArray();
    }

    /// <summary>TorchSharp's gradient of the same loss, for the ratio H·v / gradient under the tape.</summary>
    public static Tensor[] AutogradGradient(Tensor x, Tensor[] w, Tensor target)
    {
        var leaves = w.Select(t => t.detach().requires_grad_()).ToArray();
        var h = nn.functional.linear(x, leaves[0], leaves[1]).tanh();
        var loss = nn.functional.mse_loss(nn.functional.linear(h, leaves[2], leaves[3]), target);
        return torch.autograd.grad(new[] { loss }, leaves).ToArray();
    }
}
