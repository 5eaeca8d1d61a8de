using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Tests.Models;

/// <summary>
/// Autograd may run a generated backward more than once (<c>retain_graph</c>) or ask for a differentiable one
/// (<c>create_graph</c>, double backward): both must give what the tape gives on the same computation.
/// </summary>
public sealed class RepeatedBackwardTests
{
    public RepeatedBackwardTests() => manual_seed(41);

    [Fact]
    public void A_retained_graph_runs_the_generated_backward_twice_and_accumulates()
    {
        using var model = new GeneratedMlp(3, 5, 2);
        using var x = randn(4, 3, dtype: ScalarType.Float64);
        using var target = randn(4, 2, dtype: ScalarType.Float64);

        model.zero_grad();
        mse_loss(model.Reference(x), target).backward();
        var once = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());

        model.zero_grad();
        var loss = mse_loss(model.call(x), target);
        loss.backward(retain_graph: true);
        loss.backward();

        foreach (var (name, parameter) in model.named_parameters())
            Assert.True((2 * once[name]).allclose(parameter.grad!, rtol: 1e-10, atol: 1e-12), $"{name}: largest difference {(2 * once[name] - parameter.grad!).abs().max().ToDouble():E2}");
    }

    [Fact]
    public void Double_backward_through_the_generated_function_gives_the_tape_s_Hessian_vector_product()
    {
        using var model = new GeneratedMlp(3, 5, 2);
        using var x = randn(4, 3, dtype: ScalarType.Float64);
        using var target = randn(4, 2, dtype: ScalarType.Float64);
        var parameters = model.parameters().ToArray();
        var v = parameters.Select(p => randn_like(p)).ToArray();

        Tensor[] HessianVectorProduct(Func<Tensor> loss)
        {
            // TorchSharp does not default retain_graph to create_graph as PyTorch does; without it the second pass aborts the process.
            var gradients = autograd.grad(new[] { loss() }, parameters, retain_graph: true, create_graph: true);
            var directional = gradients.Zip(v, (g, d) => (g * d).sum()).Aggregate((a, b) => a + b);
            return autograd.grad(new[] { directional }, parameters).ToArray();
        }

        var expected = HessianVectorProduct(() => mse_loss(model.Reference(x), target));
        var actual = HessianVectorProduct(() => mse_loss(model.call(x), target));

        for (var i = 0; i < parameters.Length; i++)
            Assert.True(expected[i].allclose(actual[i], rtol: 1e-10, atol: 1e-12), $"parameter {i}: largest difference {(expected[i] - actual[i]).abs().max().ToDouble():E2}");
        Assert.True(expected.Any(h => h.abs().max().ToDouble() > 1e-3), "the product is not trivially zero");
    }
}
