using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Tests.Models;

/// <summary>
/// Convolutional [Model]s whose backward is generated, against autograd on the same parameters in float64. The input
/// is odd and non-square with channels ≠ batch, so a transposed height and width or a mixed batch and channel fails.
/// </summary>
[Collection(SeededDraws.Name)]
public sealed class ConvolutionalModelTests
{
    public ConvolutionalModelTests() => manual_seed(31);

    static Dictionary<string, Tensor> Gradients(nn.Module model, Func<Tensor> loss, Tensor x)
    {
        model.zero_grad();
        x.grad = null;
        loss().backward();
        var gradients = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());
        gradients["x"] = x.grad!.detach().clone();
        return gradients;
    }

    static void AssertSameGradients(Dictionary<string, Tensor> oracle, Dictionary<string, Tensor> generated)
    {
        Assert.Equal(oracle.Keys.OrderBy(k => k), generated.Keys.OrderBy(k => k));
        foreach (var (name, expected) in oracle)
        {
            Assert.Equal(expected.shape, generated[name].shape);
            Assert.True(expected.allclose(generated[name], rtol: 1e-10, atol: 1e-12), $"{name}: largest difference {(expected - generated[name]).abs().max().ToDouble():E2}");
        }
    }

    [Fact]
    public void Loss_backward_through_the_generated_cnn_backward_matches_autograd()
    {
        using var model = new SmallCnn(channels: 2, features: 5, pooled: 4 * 3, classes: 4);
        var x = randn(3, 2, 9, 7, dtype: ScalarType.Float64).requires_grad_();
        using var target = randint(0, 4, new long[] { 3 }, dtype: ScalarType.Int64);

        var generated = Gradients(model, () => cross_entropy(model.call(x), target), x);
        var oracle = Gradients(model, () => cross_entropy(model.Reference(x), target), x);

        AssertSameGradients(oracle, generated);
    }

    [Fact]
    public void The_cnn_forward_with_pullback_gives_autograds_gradients_without_the_tape()
    {
        using var model = new SmallCnn(channels: 2, features: 5, pooled: 4 * 3, classes: 4);
        var x = randn(3, 2, 9, 7, dtype: ScalarType.Float64).requires_grad_();
        using var seed = randn(3, 4, dtype: ScalarType.Float64);
        var oracle = Gradients(model, () => (model.Reference(x) * seed).sum(), x);

        Tensor output;
        (Tensor? x, Tensor? kernels, Tensor? kernelBias, Tensor? readout, Tensor? readoutBias) gradients;
        using (no_grad())
        {
            var sweep = model.ForwardWithPullback(x);
            output = sweep.Output;
            gradients = sweep.Pullback(seed);
        }

        Assert.True(output.allclose(model.Reference(x).detach(), rtol: 0, atol: 0));
        AssertSameGradients(oracle, new Dictionary<string, Tensor>
        {
            ["x"] = gradients.x!,
            ["kernels"] = gradients.kernels!,
            ["kernelBias"] = gradients.kernelBias!,
            ["readout"] = gradients.readout!,
            ["readoutBias"] = gradients.readoutBias!,
        });
    }

    [Fact]
    public void Loss_backward_through_grouped_convolution_overlapping_pooling_and_dropout_matches_autograd_with_the_same_mask()
    {
        using var model = new SmallCnnWithDropout(channels: 4, features: 6, pooled: 2 * 4, classes: 3);
        var x = randn(3, 4, 9, 7, dtype: ScalarType.Float64).requires_grad_();
        using var target = randint(0, 3, new long[] { 3 }, dtype: ScalarType.Int64);

        manual_seed(101);
        var generated = Gradients(model, () => cross_entropy(model.call(x), target), x);
        manual_seed(101);
        var oracle = Gradients(model, () => cross_entropy(model.Reference(x), target), x);

        AssertSameGradients(oracle, generated);
        // A different draw gives a different gradient: the comparison above is about the mask, not blind to it.
        manual_seed(102);
        var other = Gradients(model, () => cross_entropy(model.Reference(x), target), x);
        Assert.False(other["readout"].allclose(generated["readout"], rtol: 1e-10, atol: 1e-12));
    }

    [Fact]
    public void An_optimizer_trains_the_cnn_through_the_generated_backward()
    {
        using var model = new SmallCnn(channels: 1, features: 4, pooled: 3 * 2, classes: 2, dtype: ScalarType.Float32);
        using var optimizer = optim.Adam(model.parameters(), lr: 0.02);
        // Two classes: a bright top half or a bright bottom half, in noise.
        using var labels = randint(0, 2, new long[] { 32 }, dtype: ScalarType.Int64);
        using var rows = arange(7).reshape(1, 1, 7, 1);
        using var top = rows.lt(3).to_type(ScalarType.Float32);
        using var images = randn(32, 1, 7, 5) * 0.3 + where(labels.reshape(32, 1, 1, 1).eq(0), top, 1 - top);

        double Loss() { using (no_grad()) return cross_entropy(model.call(images), labels).item<float>(); }
        var first = Loss();
        for (var step = 0; step < 60; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            cross_entropy(model.call(images), labels).backward();
            optimizer.step();
        }

        Assert.True(Loss() < first * 0.3, $"loss went from {first} to {Loss()}");
    }
}
