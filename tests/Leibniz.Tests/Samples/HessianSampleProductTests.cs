using HessianSpectrum;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Tests.Samples;

/// <summary>
/// The Hessian–vector product the HessianSpectrum sample measures with — the classifier's generated
/// <c>ForwardLossHessianVectorProduct</c> of <c>TrainingLoss.Of</c>, wrapped by <c>LossHessian</c> — on the sample's own
/// model and data, against TorchSharp's double backward of the model's loss in float64.
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

        // The loss's directional derivative by forward mode: the model's tangent J·v, then the loss's tangent along it.
        var logits = model.ForwardTangent(x, zeros_like(x), v, out var outputTangent);
        TrainingLoss.OfTangent(logits, labels, outputTangent, out var jv);

        // ⟨J·v, 1⟩ = ⟨v, Jᵀ·1⟩: forward mode against the generated reverse mode, each from its own rules.
        TrainingLoss.OfWithGradient(logits, labels, out var seed);
        var gradients = new ModelGradients();
        using (no_grad()) model.ForwardWithPullback(x, inputGradient: false).PullbackInto(seed!, gradients);
        var reverse = model.named_parameters().Zip(v, (p, d) => (gradients[p.name]! * d).sum().ToDouble()).Sum();
        Assert.Equal(reverse, jv.ToDouble(), 10);

        double Along(double s)
        {
            using var noGrad = no_grad();
            var moved = w.Select((p, i) => p + s * v[i]).ToArray();
            return TrainingLoss.Of(Network(x, moved), labels).ToDouble();
        }

        // Steps of 1e-6 along v: ReLU's kinks (720 units here) are then almost surely not crossed.
        Assert.Equal(Differentiation.FiniteDifferences.Derivative(s => Along(s * 1e-3), 0) * 1e3, jv.ToDouble(), 6);
    }

    /// <summary>The classifier's network on explicit weights (w1, b1, …, b3), for the differences.</summary>
    static Tensor Network(Tensor x, Tensor[] w)
        => linear(relu(linear(relu(linear(x, w[0], w[1])), w[2], w[3])), w[4], w[5]);
}
