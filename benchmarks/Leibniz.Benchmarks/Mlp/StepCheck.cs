using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Benchmarks.Mlp;

/// <summary>Before timing, the three arms must compute the same gradients.</summary>
static class StepCheck
{
    public static void Verify(BenchmarkMlp model, Tensor x, Tensor y)
    {
        var autograd = Gradients(model, () => cross_entropy(model.Forward(x), y));
        var generated = Gradients(model, () => cross_entropy(model.call(x), y));
        model.zero_grad();

        Tensor?[] tapeFree;
        using (no_grad())
        {
            var sweep = model.ForwardWithPullback(x);
            var seed = softmax(sweep.Output, 1).sub(one_hot(y, sweep.Output.shape[1]).to(ScalarType.Float32)).div(x.shape[0]);
            var (_, w1, b1, w2, b2, w3, b3) = sweep.Pullback(seed);
            tapeFree = new[] { w1, b1, w2, b2, w3, b3 };
        }

        for (var i = 0; i < autograd.Length; i++)
        {
            if (!autograd[i].allclose(generated[i], rtol: 1e-4, atol: 1e-6) || !autograd[i].allclose(tapeFree[i]!, rtol: 1e-4, atol: 1e-6))
                throw new InvalidOperationException($"Parameter {i}: the generated gradient differs from TorchSharp autograd's; nothing is benchmarked.");
        }

        // The fused step must land where p − lr·∂p does; it changes the weights, so they are put back after.
        const double rate = 0.125;
        var before = model.parameters().Select(p => p.detach().clone()).ToArray();
        using (no_grad())
        {
            var sweep = model.ForwardWithPullback(x, inputGradient: false);
            sweep.Descend(softmax(sweep.Output, 1).sub(one_hot(y, sweep.Output.shape[1]).to(ScalarType.Float32)).div(x.shape[0]), rate);
            var parameters = model.parameters().ToArray();
            for (var i = 0; i < parameters.Length; i++)
            {
                if (!parameters[i].allclose(before[i] - rate * autograd[i], rtol: 1e-4, atol: 1e-6))
                    throw new InvalidOperationException($"Parameter {i}: the fused descent step differs from p − lr·∂p with autograd's gradient; nothing is benchmarked.");
                parameters[i].copy_(before[i]);
            }
        }
    }

    static Tensor[] Gradients(BenchmarkMlp model, Func<Tensor> loss)
    {
        model.zero_grad();
        loss().backward();
        return model.parameters().Select(p => p.grad!.detach().clone()).ToArray();
    }
}
