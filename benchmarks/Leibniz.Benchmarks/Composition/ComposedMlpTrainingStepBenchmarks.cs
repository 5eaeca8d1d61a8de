using BenchmarkDotNet.Attributes;
using Leibniz.Benchmarks.Mlp;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Benchmarks.Composition;

/// <summary>
/// One training step of the MLP written as three layer models (<see cref="ComposedMlp"/>): what composition costs
/// over the same network as one model (<see cref="BenchmarkMlp"/>), against TorchSharp's tape on that network.
/// </summary>
[MemoryDiagnoser]
public class ComposedMlpTrainingStepBenchmarks
{
    const double LearningRate = 0.01;

    ComposedMlp _composed = null!;
    BenchmarkMlp _single = null!;
    optim.Optimizer _composedOptimizer = null!;
    optim.Optimizer _singleOptimizer = null!;
    Tensor _x = null!;
    Tensor _y = null!;
    Tensor _oneHot = null!;

    /// <summary>Batch, input, hidden, hidden, classes.</summary>
    [Params("8/32-64-64-4", "64/784-256-256-10")]
    public string Size { get; set; } = "8/32-64-64-4";

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(2);
        var parts = Size.Split('/');
        var batch = int.Parse(parts[0]);
        var widths = parts[1].Split('-').Select(int.Parse).ToArray();
        manual_seed(1);
        _composed = new ComposedMlp(widths[0], widths[1], widths[2], widths[3]);
        _single = new BenchmarkMlp(widths[0], widths[1], widths[2], widths[3]);
        _composedOptimizer = optim.SGD(_composed.parameters(), LearningRate);
        _singleOptimizer = optim.SGD(_single.parameters(), LearningRate);
        _x = randn(batch, widths[0]);
        _y = randint(widths[3], batch);
        _oneHot = one_hot(_y, widths[3]).to(ScalarType.Float32);
        Verify();
    }

    /// <summary>Before timing, the composed model's generated gradients must be autograd's.</summary>
    void Verify()
    {
        Tensor[] Gradients(Func<Tensor> forward)
        {
            _composed.zero_grad();
            cross_entropy(forward(), _y).backward();
            return _composed.parameters().Select(p => p.grad!.clone()).ToArray();
        }

        var viaTape = Gradients(() => _composed.Forward(_x));
        var generated = Gradients(() => _composed.call(_x));
        _composed.zero_grad();
        for (var i = 0; i < viaTape.Length; i++)
        {
            if (!viaTape[i].allclose(generated[i], rtol: 1e-4, atol: 1e-6))
                throw new InvalidOperationException($"Parameter {i}: the composed model's generated gradient differs from TorchSharp autograd's; nothing is benchmarked.");
        }
    }

    [Benchmark(Baseline = true, Description = "TorchSharp autograd (same network)")]
    public void Autograd()
    {
        using var scope = NewDisposeScope();
        _singleOptimizer.zero_grad();
        // The one-model network's plain Forward: every op is taped.
        cross_entropy(_single.Forward(_x), _y).backward();
        _singleOptimizer.step();
    }

    [Benchmark(Description = "composed: generated backward via loss.backward()")]
    public void ComposedThroughAutograd()
    {
        using var scope = NewDisposeScope();
        _composedOptimizer.zero_grad();
        cross_entropy(_composed.call(_x), _y).backward();
        _composedOptimizer.step();
    }

    [Benchmark(Description = "composed: tape-free, SGD folded in (Descend)")]
    public void ComposedDescent()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var sweep = _composed.ForwardWithPullback(_x, inputGradient: false);
        var seed = softmax(sweep.Output, 1).sub_(_oneHot).div_(_x.shape[0]);
        sweep.Descend(seed, LearningRate);
    }

    [Benchmark(Description = "one model: tape-free, SGD folded in (Descend)")]
    public void SingleDescent()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var sweep = _single.ForwardWithPullback(_x, inputGradient: false);
        var seed = softmax(sweep.Output, 1).sub_(_oneHot).div_(_x.shape[0]);
        sweep.Descend(seed, LearningRate);
    }
}
