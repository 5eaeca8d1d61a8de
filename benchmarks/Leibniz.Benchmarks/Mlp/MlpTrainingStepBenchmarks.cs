using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Benchmarks.Mlp;

/// <summary>
/// One training step (forward, cross-entropy, backward, SGD) of the same network on the same data,
/// six ways: TorchSharp's tape records <c>Forward</c> (the baseline); <c>loss.backward()</c> runs the
/// generated backward through a <c>torch.autograd.Function</c>; <c>Backward</c> accumulates the generated
/// gradients into <c>.grad</c> for the optimizer with only the loss on the tape (and <c>TrainStep</c>, which does
/// that in one call); the tape-free path,
/// <c>ForwardWithPullback</c> with the cross-entropy gradient and the SGD update written out; and the
/// tape-free path with the update folded into the generated backward (<c>Descend</c>).
/// </summary>
[MemoryDiagnoser]
public class MlpTrainingStepBenchmarks
{
    const double LearningRate = 0.01;

    BenchmarkMlp _model = null!;
    optim.Optimizer _optimizer = null!;
    Tensor _x = null!;
    Tensor _y = null!;
    Tensor _oneHot = null!;

    /// <summary>Batch, input, hidden, hidden, classes.</summary>
    [Params("8/32-64-64-4", "64/784-256-256-10", "256/784-1024-1024-10")]
    public string Size { get; set; } = "8/32-64-64-4";

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(2);
        var parts = Size.Split('/');
        var batch = int.Parse(parts[0]);
        var widths = parts[1].Split('-').Select(int.Parse).ToArray();
        manual_seed(1);
        _model = new BenchmarkMlp(widths[0], widths[1], widths[2], widths[3]);
        _optimizer = optim.SGD(_model.parameters(), LearningRate);
        _x = randn(batch, widths[0]);
        _y = randint(widths[3], batch);
        _oneHot = one_hot(_y, widths[3]).to(ScalarType.Float32);
        StepCheck.Verify(_model, _x, _y);
    }

    [Benchmark(Baseline = true, Description = "TorchSharp autograd")]
    public void Autograd()
    {
        using var scope = NewDisposeScope();
        _optimizer.zero_grad();
        cross_entropy(_model.Forward(_x), _y).backward();
        _optimizer.step();
    }

    [Benchmark(Description = "generated backward via loss.backward()")]
    public void GeneratedThroughAutograd()
    {
        using var scope = NewDisposeScope();
        _optimizer.zero_grad();
        cross_entropy(_model.call(_x), _y).backward();
        _optimizer.step();
    }

    [Benchmark(Description = "generated backward, tape-free (ForwardWithPullback)")]
    public void GeneratedTapeFree()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var sweep = _model.ForwardWithPullback(_x, inputGradient: false);
        // ∂ mean cross-entropy / ∂ logits = (softmax − one-hot) / batch
        var seed = softmax(sweep.Output, 1).sub_(_oneHot).div_(_x.shape[0]);
        var (_, w1, b1, w2, b2, w3, b3) = sweep.Pullback(seed);
        var gradients = new[] { w1, b1, w2, b2, w3, b3 };
        var index = 0;
        foreach (var parameter in _model.parameters())
            parameter.add_(gradients[index++]!, alpha: -LearningRate);
    }

    [Benchmark(Description = "generated backward into .grad (Backward) + optimizer.step()")]
    public void GeneratedBackwardIntoGrad()
    {
        using var scope = NewDisposeScope();
        _optimizer.zero_grad();
        // Only the loss is taped, on a detached copy of the output; the network's backward is generated.
        var sweep = _model.ForwardWithPullback(_x, inputGradient: false);
        var output = sweep.Output.detach().requires_grad_();
        cross_entropy(output, _y).backward();
        sweep.Backward(output.grad);
        _optimizer.step();
    }

    [Benchmark(Description = "generated TrainStep (the same, in one call)")]
    public void GeneratedTrainStep()
    {
        using var scope = NewDisposeScope();
        _model.TrainStep(_x, _y, (output, target) => cross_entropy(output, target), _optimizer);
    }

    [Benchmark(Description = "generated backward, tape-free, SGD folded in (Descend)")]
    public void GeneratedDescent()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var sweep = _model.ForwardWithPullback(_x, inputGradient: false);
        // ∂ mean cross-entropy / ∂ logits = (softmax − one-hot) / batch
        var seed = softmax(sweep.Output, 1).sub_(_oneHot).div_(_x.shape[0]);
        sweep.Descend(seed, LearningRate);
    }
}
