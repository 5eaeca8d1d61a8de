using TorchSharp;
using Leibniz.Tests.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Tests.BadInput;

/// <summary>
/// The PyTorch-style loop: the forward inside a dispose scope, only the loss moved out, <c>loss.backward()</c>
/// after the scope ended. The generated backward must still find what its forward kept, and give
/// TorchSharp autograd's gradients (the oracle: the same computation written out on the tape).
/// </summary>
public sealed class DisposeScopeBackwardTests
{
    public DisposeScopeBackwardTests() => manual_seed(33);

    static Dictionary<string, Tensor> Gradients(nn.Module model, Tensor x, Func<Tensor, Tensor> forward, Tensor target)
    {
        model.zero_grad();
        x.grad = null;
        Tensor loss;
        using (NewDisposeScope())
        {
            loss = mse_loss(forward(x), target).MoveToOuterDisposeScope();
        }
        loss.backward();
        var gradients = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());
        gradients["x"] = x.grad!.detach().clone();
        return gradients;
    }

    static void AssertSame(Dictionary<string, Tensor> expected, Dictionary<string, Tensor> actual)
    {
        Assert.Equal(expected.Keys.OrderBy(k => k), actual.Keys.OrderBy(k => k));
        foreach (var (name, value) in expected)
        {
            Assert.True(value.abs().max().ToDouble() > 0, $"{name}: the oracle's gradient is zero; the comparison would prove nothing");
            Assert.True(value.allclose(actual[name], rtol: 1e-10, atol: 1e-12), $"{name}: largest difference {(value - actual[name]).abs().max().ToDouble():E2}");
        }
    }

    [Fact]
    public void Loss_backward_after_the_forwards_dispose_scope_ended_matches_autograd()
    {
        using var model = new GeneratedMlp(3, 6, 2);
        var x = randn(5, 3, dtype: ScalarType.Float64).requires_grad_();
        using var target = randn(5, 2, dtype: ScalarType.Float64);

        var generated = Gradients(model, x, model.call, target);
        var oracle = Gradients(model, x, model.Reference, target);
        AssertSame(oracle, generated);
    }

    [Fact]
    public void Loss_backward_after_the_scope_also_works_for_a_model_calling_models()
    {
        using var model = new Autoencoder(3, 4);
        var x = randn(5, 3, dtype: ScalarType.Float64).requires_grad_();
        using var target = randn(5, 4, dtype: ScalarType.Float64);

        var generated = Gradients(model, x, model.call, target);
        var oracle = Gradients(model, x, model.Reference, target);
        AssertSame(oracle, generated);
    }

    [Fact]
    public void An_input_made_inside_the_scope_is_kept_for_the_backward()
    {
        using var model = new GeneratedMlp(3, 6, 2);
        using var target = randn(5, 2, dtype: ScalarType.Float64);
        using var data = randn(5, 3, dtype: ScalarType.Float64);

        model.zero_grad();
        Tensor loss;
        using (NewDisposeScope())
        {
            // The batch itself is scope-owned (a view made in the scope), as a data loader's would be.
            var x = data.mul(1.0);
            loss = mse_loss(model.call(x), target).MoveToOuterDisposeScope();
        }
        loss.backward();
        var generated = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());

        model.zero_grad();
        mse_loss(model.Reference(data), target).backward();
        var oracle = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());
        AssertSame(oracle, generated);
    }
}

/// <summary>Keeping a sweep's tensors past the forward's dispose scope must not keep them past the backward.</summary>
public sealed class DisposeScopeLifetimeTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Batches_made_inside_the_scope_leave_no_live_tensors_behind(bool backwardAfterTheScope)
    {
        using var model = new GeneratedMlp(3, 6, 2, ScalarType.Float32);
        using var optimizer = optim.SGD(model.parameters(), 0.01);
        using var data = randn(8, 3);
        using var target = randn(8, 2);

        void Train(int steps)
        {
            for (var step = 0; step < steps; step++)
            {
                // The step's scope; inside it, the forward's own scope, which only the loss leaves.
                using var stepScope = NewDisposeScope();
                optimizer.zero_grad();
                Tensor loss;
                using (NewDisposeScope())
                {
                    var batch = data.mul(1.0f);
                    loss = mse_loss(model.call(batch), target);
                    if (!backwardAfterTheScope) loss.backward();
                    loss.MoveToOuterDisposeScope();
                }
                if (backwardAfterTheScope) loss.backward();
                optimizer.step();
            }
        }

        Train(50);
        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Train(1_000);
        var growth = DisposeScopeManager.Statistics.ThreadTotalLiveCount - live;
        Assert.True(growth <= 10, $"{growth} more tensors are alive after 1,000 steps than after 50");
    }
}
