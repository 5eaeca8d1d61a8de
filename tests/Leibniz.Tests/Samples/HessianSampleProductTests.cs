using HessianSpectrum;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Tests.Samples;

/// <summary>
/// The Hessian–vector product the HessianSpectrum sample measures with — generated for <c>TrainingLoss.Of</c> and
/// wrapped by <c>LossHessian</c> — on the sample's own model and data, against TorchSharp's double backward of the
/// model's loss in float64.
/// </summary>
public sealed class HessianSampleProductTests
{
    [Fact]
    public void The_sample_s_generated_Hessian_vector_product_is_TorchSharp_s_double_backward()
    {
        manual_seed(5);
        var (points, labels) = GaussianMixture.Generate(dimension: 6, classes: 4, pointsPerClass: 20, separation: 2.0, seed: 2);
        using var model = new MixtureClassifier(inputs: 6, hidden: 12, classes: 4);
        model.to(ScalarType.Float64);
        var x = points.to(ScalarType.Float64);
        var hessian = new LossHessian(model, x, labels);
        var parameters = model.parameters().ToArray();
        var direction = parameters.Select(p => randn_like(p)).ToArray();

        var generated = hessian.Operator.Apply(hessian.Layout.Flatten(direction));

        var gradients = autograd.grad(new[] { cross_entropy(model.Forward(x), labels) }, parameters, create_graph: true, retain_graph: true);
        var directional = gradients.Zip(direction, (g, v) => (g * v).sum()).Aggregate((a, b) => a + b);
        var oracle = hessian.Layout.Flatten(autograd.grad(new[] { directional }, parameters, retain_graph: true).ToArray());

        Assert.Equal(oracle.shape, generated.shape);
        var error = (generated - oracle).abs().max().ToDouble();
        Assert.True(generated.allclose(oracle, rtol: 1e-10, atol: 1e-12), $"largest difference {error:E2} (|H·v| up to {oracle.abs().max().ToDouble():E2})");
    }
}
