using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Models;

/// <summary>
/// <c>Descend</c> folds a plain gradient-descent step into the generated reverse sweep; it must leave every
/// parameter exactly where p − lr·∂p computed from TorchSharp autograd's gradient puts it.
/// </summary>
public sealed class DescentTests
{
    // Not a power of two: addmm_ takes its scale as a float, and a float64 step must still be lr·∂p to double precision.
    const double LearningRate = 0.1;

    public DescentTests() => manual_seed(31);

    [Fact]
    public void A_descent_step_moves_each_parameter_by_its_autograd_gradient()
    {
        using var model = new GeneratedMlp(3, 5, 2);
        var x = randn(4, 3, dtype: ScalarType.Float64).requires_grad_();
        using var seed = randn(4, 2, dtype: ScalarType.Float64);
        var expected = StepByAutograd(model, () => (model.Reference(x) * seed).sum(), x, out var inputGradient);

        Tensor? returned;
        using (no_grad()) returned = model.ForwardWithPullback(x).Descend(seed, LearningRate);

        AssertParameters(expected, model);
        Assert.True(inputGradient.allclose(returned!, rtol: 1e-12, atol: 1e-14), "the input's gradient");
    }

    [Fact]
    public void A_tied_weight_and_batched_sequences_take_the_unfused_paths_correctly()
    {
        using var model = new TiedLayers(4);
        var x = randn(2, 3, 4, dtype: ScalarType.Float64).requires_grad_();
        using var seed = randn(2, 3, 4, dtype: ScalarType.Float64);
        var expected = StepByAutograd(model, () => (model.Reference(x) * seed).sum(), x, out _);

        Tensor? returned;
        using (no_grad()) returned = model.ForwardWithPullback(x, inputGradient: false).Descend(seed, LearningRate);

        AssertParameters(expected, model);
        Assert.Null(returned);
    }

    [Fact]
    public void The_reverse_sweep_runs_once_whichever_way_it_is_asked_for()
    {
        using var model = new GeneratedMlp(3, 5, 2);
        using var x = randn(4, 3, dtype: ScalarType.Float64);
        using var noGrad = no_grad();

        var sweep = model.ForwardWithPullback(x);
        sweep.Pullback();
        var again = Assert.Throws<InvalidOperationException>(() => sweep.Descend(null, LearningRate));
        Assert.Contains("ForwardWithPullback", again.Message);
    }

    static Dictionary<string, Tensor> StepByAutograd(nn.Module model, Func<Tensor> loss, Tensor x, out Tensor inputGradient)
    {
        model.zero_grad();
        loss().backward();
        inputGradient = x.grad!.detach().clone();
        using (no_grad())
            return model.named_parameters().ToDictionary(p => p.name, p => (p.parameter - LearningRate * p.parameter.grad!).detach());
    }

    static void AssertParameters(Dictionary<string, Tensor> expected, nn.Module model)
    {
        foreach (var (name, parameter) in model.named_parameters())
        {
            var difference = (expected[name] - parameter).abs().max().ToDouble();
            Assert.True(expected[name].allclose(parameter, rtol: 1e-12, atol: 1e-14), $"{name}: largest difference {difference:E2}");
        }
    }
}

/// <summary><c>Backward</c> leaves in each parameter's <c>.grad</c> what <c>loss.backward()</c> under autograd would.</summary>
public sealed class SweepBackwardTests
{
    public SweepBackwardTests() => manual_seed(37);

    [Fact]
    public void Backward_accumulates_autograd_s_gradients_into_grad_and_an_optimizer_can_step()
    {
        using var model = new GeneratedMlp(3, 5, 2);
        var x = randn(4, 3, dtype: ScalarType.Float64).requires_grad_();
        using var target = randn(4, 2, dtype: ScalarType.Float64);

        model.zero_grad();
        nn.functional.mse_loss(model.Reference(x), target).backward();
        nn.functional.mse_loss(model.Reference(x), target).backward();
        var expected = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());
        var inputGradient = x.grad!.detach().clone() / 2;

        model.zero_grad();
        Tensor? returned = null;
        for (var pass = 0; pass < 2; pass++)
        {
            // The loss alone goes through autograd, on a detached copy of the output; the model's backward is generated.
            var sweep = model.ForwardWithPullback(x.detach());
            var output = sweep.Output.detach().requires_grad_();
            nn.functional.mse_loss(output, target).backward();
            returned = sweep.Backward(output.grad);
        }

        foreach (var (name, parameter) in model.named_parameters())
        {
            if (!expected.ContainsKey(name)) continue;
            Assert.True(expected[name].allclose(parameter.grad!, rtol: 1e-10, atol: 1e-12), $"{name}: largest difference {(expected[name] - parameter.grad!).abs().max().ToDouble():E2}");
        }

        Assert.True(inputGradient.allclose(returned!, rtol: 1e-10, atol: 1e-12), "the input's gradient");
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        optimizer.step();
        foreach (var (name, parameter) in model.named_parameters())
            Assert.True((before[name] - 0.1 * expected[name]).allclose(parameter, rtol: 1e-12, atol: 1e-14), name);
    }
}
