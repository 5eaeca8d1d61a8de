using Leibniz.Tests.Differentiation;
using TorchSharp;
using static Leibniz.Tests.Differentiation.TensorForwardModeChecks;
using static TorchSharp.torch;

namespace Leibniz.Tests.Models;

/// <summary>
/// A <c>[Model]</c>'s generated tangent and Hessian–vector product over its input and parameter fields, and the
/// Gauss–Newton product of the model with a loss, Jᵀ·H_ℓ·J·v over the parameters, against TorchSharp's tape.
/// </summary>
public sealed class CurvatureModelTests
{
    public CurvatureModelTests() => manual_seed(37);

    [Fact]
    public void A_models_tangent_over_input_and_parameters_matches_the_tape()
    {
        using var model = new CurvatureMlp(3, 5, 2);
        var x = Leaf(4, 3);
        var weights = model.Weights();
        var dx = randn_like(x);
        var dw = weights.Select(w => randn_like(w)).ToArray();

        var value = model.ForwardTangent(x, dx, dw[0], dw[1], dw[2], dw[3], out var tangent);
        Assert.True(value.allclose(CurvatureMlp.Reference(x, weights), rtol: 1e-14, atol: 0));

        // J·v on the tape: the derivative of a vector–Jacobian product in its seed.
        var leaves = new[] { x }.Concat(weights).Select(t => t.clone().requires_grad_()).ToArray();
        var output = CurvatureMlp.Reference(leaves[0], leaves.Skip(1).ToArray());
        var u = zeros_like(output).requires_grad_();
        var vjp = torch.autograd.grad(new[] { output }, leaves, new[] { u }, create_graph: true);
        var inner = vjp.Zip(new[] { dx }.Concat(dw), (g, v) => (g * v).sum()).Aggregate((a, b) => a + b);
        AssertTensorClose(torch.autograd.grad(new[] { inner }, new[] { u })[0], tangent, tangent, 1e-10, "J·v");
    }

    [Fact]
    public void A_models_Hessian_vector_product_is_the_tapes_double_backward_of_its_summed_output()
    {
        using var model = new CurvatureMlp(3, 4, 2);
        var x = Leaf(5, 3);
        var weights = model.Weights();
        var v = new[] { randn_like(x) }.Concat(weights.Select(w => randn_like(w))).ToArray();

        model.ForwardHessianVectorProduct(x, v[0], v[1], v[2], v[3], v[4],
            out var gx, out var g1, out var g2, out var g3, out var g4, out var hx, out var h1, out var h2, out var h3, out var h4);

        var leaves = new[] { x }.Concat(weights).Select(t => t.clone().requires_grad_()).ToArray();
        var gradients = torch.autograd.grad(new[] { CurvatureMlp.Reference(leaves[0], leaves.Skip(1).ToArray()).sum() }, leaves, retain_graph: true, create_graph: true);
        var directional = gradients.Zip(v, (g, d) => (g * d).sum()).Aggregate((a, b) => a + b);
        var expected = Used(torch.autograd.grad(new[] { directional }, leaves, allow_unused: true));

        var generated = new[] { hx, h1, h2, h3, h4 };
        var generatedGradients = new[] { gx, g1, g2, g3, g4 };
        for (var i = 0; i < leaves.Length; i++)
        {
            AssertTensorClose(gradients[i], generatedGradients[i], leaves[i], 1e-12, $"gradient {i}");
            AssertTensorClose(expected[i], generated[i], leaves[i], 1e-10, $"(H·v)[{i}]");
        }
    }

    [Theory]
    [InlineData(6, 3, 4)]
    [InlineData(1, 2, 3)]
    public void A_Gauss_Newton_product_of_a_model_and_its_loss_composes_generated_products(long batch, long inputs, long classes)
    {
        using var model = new CurvatureMlp((int)inputs, 5, (int)classes);
        var x = Leaf(batch, inputs);
        using var target = randint(classes, new[] { batch }, dtype: ScalarType.Int64);
        var weights = model.Weights();
        var v = weights.Select(w => randn_like(w)).ToArray();

        // G·v = Jᵀ·H_ℓ·J·v over the parameters: the model's tangent, the loss's H·v, the model's pullback.
        var logits = model.ForwardTangent(x, zeros_like(x), v[0], v[1], v[2], v[3], out var jv);
        VectorFunctions.LossHessianVectorProduct(logits.detach(), target, jv, out _, out var hjv);
        var (_, gw1, gb1, gw2, gb2) = model.ForwardWithPullback(x, inputGradient: false).Pullback(hjv);

        var leaves = weights.Select(t => t.clone().requires_grad_()).ToArray();
        var output = CurvatureMlp.Reference(x, leaves);
        var u = zeros_like(output).requires_grad_();
        var vjp = torch.autograd.grad(new[] { output }, leaves, new[] { u }, retain_graph: true, create_graph: true);
        var tapeJv = torch.autograd.grad(new[] { vjp.Zip(v, (g, d) => (g * d).sum()).Aggregate((a, b) => a + b) }, new[] { u })[0];
        var z = output.detach().clone().requires_grad_();
        var lossGradient = torch.autograd.grad(new[] { VectorFunctions.Loss(z, target) }, new[] { z }, retain_graph: true, create_graph: true)[0];
        var tapeHjv = torch.autograd.grad(new[] { (lossGradient * tapeJv).sum() }, new[] { z })[0];
        var expected = torch.autograd.grad(new[] { output }, leaves, new[] { tapeHjv });

        var generated = new[] { gw1, gb1, gw2, gb2 };
        for (var i = 0; i < leaves.Length; i++) AssertTensorClose(expected[i], generated[i], leaves[i], 1e-10, $"(G·v)[{i}]");
        var curvature = generated.Zip(v, (g, d) => (g! * d).sum().ToDouble()).Sum();
        Assert.True(curvature >= -1e-12, $"vᵀG·v = {curvature} must be ≥ 0 for cross-entropy");
    }
}
