using BenchmarkDotNet.Attributes;
using SequenceModel;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Benchmarks.Sequence;

/// <summary>
/// One training step (forward over the time steps, cross-entropy, backward, SGD) of the sequence sample's GRU on the
/// same padded batch, three ways: TorchSharp's tape records the <c>Forward</c> as written (the baseline);
/// <c>loss.backward()</c> runs the generated backward; and the tape-free step with the update folded into it
/// (<c>Descend</c>).
/// </summary>
[MemoryDiagnoser]
public class SequenceTrainingStepBenchmarks
{
    const double LearningRate = 0.05;

    GruClassifier _model = null!;
    optim.Optimizer _optimizer = null!;
    Tensor _tokens = null!;
    Tensor _labels = null!;
    Tensor _oneHot = null!;

    /// <summary>Batch / sequence length (vocabulary 6, embedding 8, hidden 32).</summary>
    [Params("8/12", "32/12", "128/24")]
    public string Size { get; set; } = "8/12";

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(2);
        var parts = Size.Split('/');
        var (batch, length) = (int.Parse(parts[0]), int.Parse(parts[1]));
        manual_seed(1);
        _model = new GruClassifier(vocabulary: 6, embeddingWidth: 8, classes: 2);
        _optimizer = optim.SGD(_model.parameters(), LearningRate);
        (_tokens, _labels) = CountingTask.Generate(batch, length, vocabulary: 6, seed: 3);
        _oneHot = one_hot(_labels, 2).to(ScalarType.Float32);
        Verify();
    }

    /// <summary>Refuses to time a generated backward whose gradients differ from the tape's on this batch.</summary>
    void Verify()
    {
        _model.zero_grad();
        cross_entropy(_model.Forward(_tokens), _labels).backward();
        var expected = _model.parameters().Select(p => p.grad!.detach().clone()).ToList();
        _model.zero_grad();
        cross_entropy(_model.call(_tokens), _labels).backward();
        var actual = _model.parameters().Select(p => p.grad!).ToList();
        for (var i = 0; i < expected.Count; i++)
        {
            if (!expected[i].allclose(actual[i], rtol: 1e-4, atol: 1e-6))
                throw new InvalidOperationException($"Parameter {i} of the GRU: the generated gradient differs from autograd's by up to {(expected[i] - actual[i]).abs().max().ToSingle():E2} at {Size}.");
        }

        _model.zero_grad();
    }

    [Benchmark(Baseline = true, Description = "TorchSharp autograd")]
    public void Autograd()
    {
        using var scope = NewDisposeScope();
        _optimizer.zero_grad();
        cross_entropy(_model.Forward(_tokens), _labels).backward();
        _optimizer.step();
    }

    [Benchmark(Description = "generated backward via loss.backward()")]
    public void GeneratedThroughAutograd()
    {
        using var scope = NewDisposeScope();
        _optimizer.zero_grad();
        cross_entropy(_model.call(_tokens), _labels).backward();
        _optimizer.step();
    }

    [Benchmark(Description = "generated backward, tape-free, SGD folded in (Descend)")]
    public void GeneratedDescent()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var sweep = _model.ForwardWithPullback(_tokens, inputGradient: false);
        // ∂ mean cross-entropy / ∂ logits = (softmax − one-hot) / batch
        var seed = softmax(sweep.Output, 1).sub_(_oneHot).div_(_tokens.shape[0]);
        sweep.Descend(seed, LearningRate);
    }
}
