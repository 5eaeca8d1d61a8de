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

    [Fact]
    public void The_sample_s_loss_tangent_agrees_with_its_reverse_mode_and_with_central_differences()
    {
        manual_seed(6);
        var (points, labels) = GaussianMixture.Generate(dimension: 5, classes: 3, pointsPerClass: 15, separation: 2.0, seed: 4);
        using var model = new MixtureClassifier(inputs: 5, hidden: 8, classes: 3);
        model.to(ScalarType.Float64);
        var x = points.to(ScalarType.Float64);
        var w = model.parameters().Select(p => p.detach().clone()).ToArray();
        var v = w.Select(p => randn_like(p)).ToArray();

        TrainingLoss.OfTangent(w[0], w[1], w[2], w[3], w[4], w[5], x, labels, v[0], v[1], v[2], v[3], v[4], v[5], out var jv);
        TrainingLoss.OfWithGradient(w[0], w[1], w[2], w[3], w[4], w[5], x, labels, out var g0, out var g1, out var g2, out var g3, out var g4, out var g5);

        // ⟨J·v, 1⟩ = ⟨v, Jᵀ·1⟩: forward mode against the generated reverse mode, each from its own rules.
        var reverse = new[] { g0, g1, g2, g3, g4, g5 }.Zip(v, (g, d) => (g! * d).sum().ToDouble()).Sum();
        Assert.Equal(reverse, jv.ToDouble(), 10);

        double Along(double s)
        {
            using var noGrad = no_grad();
            var moved = w.Select((p, i) => p + s * v[i]).ToArray();
            return TrainingLoss.Of(moved[0], moved[1], moved[2], moved[3], moved[4], moved[5], x, labels).ToDouble();
        }

        // Steps of 1e-6 along v: ReLU's kinks (720 units here) are then almost surely not crossed.
        Assert.Equal(Differentiation.FiniteDifferences.Derivative(s => Along(s * 1e-3), 0) * 1e3, jv.ToDouble(), 6);
    }
}
