using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Tests.Models;

public sealed class GeneratedBackwardTests
{
    public GeneratedBackwardTests() => manual_seed(21);

    static Dictionary<string, Tensor> Gradients(GeneratedMlp model, Func<Tensor> loss, Tensor x)
    {
        model.zero_grad();
        x.grad = null;
        loss().backward();
        var gradients = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());
        gradients["x"] = x.grad!.detach().clone();
        return gradients;
    }

    [Fact]
    public void Loss_backward_through_the_generated_backward_matches_autograd()
    {
        using var model = new GeneratedMlp(3, 6, 2);
        var x = randn(5, 3, dtype: ScalarType.Float64).requires_grad_();
        using var target = randn(5, 2, dtype: ScalarType.Float64);

        var generated = Gradients(model, () => mse_loss(model.call(x), target), x);
        var oracle = Gradients(model, () => mse_loss(model.Reference(x), target), x);

        Assert.Equal(oracle.Keys.OrderBy(k => k), generated.Keys.OrderBy(k => k));
        foreach (var (name, expected) in oracle)
            Assert.True(expected.allclose(generated[name], rtol: 1e-10, atol: 1e-12), $"{name}: largest difference {(expected - generated[name]).abs().max().ToDouble():E2}");
    }

    [Fact]
    public void The_autograd_graph_runs_the_generated_function()
    {
        using var model = new GeneratedMlp(3, 4, 2);
        using var x = randn(2, 3, dtype: ScalarType.Float64);
        using var y = model.call(x);
        Assert.True(y.requires_grad);
        Assert.False(y.is_leaf);
    }

    [Fact]
    public void Without_grad_the_forward_is_the_plain_method()
    {
        using var model = new GeneratedMlp(3, 4, 2);
        using var x = randn(2, 3, dtype: ScalarType.Float64);
        using (no_grad())
        {
            using var y = model.call(x);
            Assert.False(y.requires_grad);
            Assert.True(y.allclose(model.Reference(x), rtol: 0, atol: 0));
        }
    }

    [Fact]
    public void ForwardWithPullback_gives_gradients_without_the_tape_once()
    {
        using var model = new GeneratedMlp(3, 4, 2);
        var x = randn(2, 3, dtype: ScalarType.Float64).requires_grad_();
        using var seed = randn(2, 2, dtype: ScalarType.Float64);

        var oracle = Gradients(model, () => (model.Reference(x) * seed).sum(), x);
        Tensor output;
        (Tensor? x, Tensor? w1, Tensor? b1, Tensor? w2, Tensor? b2, Tensor? scale) gradients;
        GeneratedMlp.ForwardSweep sweep;
        using (no_grad())
        {
            sweep = model.ForwardWithPullback(x);
            output = sweep.Output;
            gradients = sweep.Pullback(seed);
        }

        Assert.True(output.allclose(model.Reference(x).detach(), rtol: 0, atol: 0));
        Assert.True(oracle["x"].allclose(gradients.x!, rtol: 1e-10, atol: 1e-12));
        Assert.True(oracle["w1"].allclose(gradients.w1!, rtol: 1e-10, atol: 1e-12));
        Assert.True(oracle["b2"].allclose(gradients.b2!, rtol: 1e-10, atol: 1e-12));
        Assert.Null(gradients.scale);
        var again = Assert.Throws<InvalidOperationException>(() => sweep.Pullback(seed));
        Assert.Contains("ForwardWithPullback", again.Message);
    }

    [Fact]
    public void An_optimizer_trains_through_the_generated_backward()
    {
        using var model = new GeneratedMlp(2, 16, 1, ScalarType.Float32);
        using var optimizer = optim.Adam(model.parameters(), lr: 0.02);
        using var x = rand(64, 2) * 2 - 1;
        using var y = (x[.., 0] * x[.., 1]).unsqueeze(1);

        double Loss() { using (no_grad()) return mse_loss(model.call(x), y).item<float>(); }
        var first = Loss();
        for (var step = 0; step < 300; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            mse_loss(model.call(x), y).backward();
            optimizer.step();
        }

        Assert.True(Loss() < first * 0.2, $"loss went from {first} to {Loss()}");
    }

    [Fact]
    public void The_input_gradient_can_be_skipped_without_changing_the_parameter_gradients()
    {
        using var model = new GeneratedMlp(3, 4, 2);
        using var x = randn(2, 3, dtype: ScalarType.Float64);
        using var seed = randn(2, 2, dtype: ScalarType.Float64);
        using var noGrad = no_grad();

        var full = model.ForwardWithPullback(x).Pullback(seed);
        var skipped = model.ForwardWithPullback(x, inputGradient: false).Pullback(seed);

        Assert.NotNull(full.x);
        Assert.Null(skipped.x);
        Assert.True(full.w1!.allclose(skipped.w1!, rtol: 0, atol: 0));
        Assert.True(full.b2!.allclose(skipped.b2!, rtol: 0, atol: 0));
    }

    [Fact]
    public void Ten_thousand_training_steps_leave_no_live_tensors_behind()
    {
        using var model = new GeneratedMlp(4, 8, 2, ScalarType.Float32);
        using var optimizer = optim.SGD(model.parameters(), 0.01);
        using var x = randn(16, 4);
        using var y = randn(16, 2);

        void Train(int steps)
        {
            for (var step = 0; step < steps; step++)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                mse_loss(model.call(x), y).backward();
                optimizer.step();
            }
        }

        Train(100);
        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Train(10_000);
        var growth = DisposeScopeManager.Statistics.ThreadTotalLiveCount - live;

        Assert.True(growth <= 10, $"{growth} more tensors are alive after 10,000 steps than after 100");
    }
}
