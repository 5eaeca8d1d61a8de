using SequenceModel;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Tests.Samples;

/// <summary>
/// The sequence sample's GRU (sizes read from the input, a time loop to them, a padding mask, layer norm, an embedding
/// read with index_select): its generated backward against TorchSharp autograd on the same Forward, in float64.
/// </summary>
public sealed class SequenceSampleGradientTests
{
    public static TheoryData<int, int> Shapes => new() { { 1, 2 }, { 5, 7 }, { 16, 12 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_GRU_s_generated_backward_matches_autograd_on_padded_sequences(int batch, int length)
    {
        manual_seed(batch * 31 + length);
        using var model = new GruClassifier(vocabulary: 6, embeddingWidth: 8, classes: 2);
        model.to(ScalarType.Float64);
        var (tokens, labels) = CountingTask.Generate(batch, length, vocabulary: 6, seed: batch + length);

        var generated = Gradients(model, () => cross_entropy(model.call(tokens), labels));
        // The oracle: the method as written, run on TorchSharp's tape.
        var oracle = Gradients(model, () => cross_entropy(model.Forward(tokens), labels));

        Assert.Equal(oracle.Keys.Order(), generated.Keys.Order());
        foreach (var (name, expected) in oracle)
        {
            var difference = (expected - generated[name]).abs().max().ToDouble();
            Assert.True(expected.allclose(generated[name], rtol: 1e-10, atol: 1e-12), $"{name}: largest difference {difference:E2}");
        }
    }

    [Fact]
    public void Padding_after_a_sequence_changes_neither_its_scores_nor_their_gradients()
    {
        manual_seed(8);
        using var model = new GruClassifier(vocabulary: 6, embeddingWidth: 8, classes: 2);
        model.to(ScalarType.Float64);
        var tokens = tensor(new long[,] { { 3, 1, 2, 1 } });
        var padded = tensor(new long[,] { { 3, 1, 2, 1, 0, 0, 0 } });
        var labels = tensor(new long[] { 1 });

        using (no_grad()) Assert.True(model.call(tokens).allclose(model.call(padded), rtol: 1e-12, atol: 1e-14));
        var short_ = Gradients(model, () => cross_entropy(model.call(tokens), labels));
        var long_ = Gradients(model, () => cross_entropy(model.call(padded), labels));
        foreach (var (name, gradient) in short_)
            Assert.True(gradient.allclose(long_[name], rtol: 1e-10, atol: 1e-14), name);
    }

    static Dictionary<string, Tensor> Gradients(GruClassifier model, Func<Tensor> loss)
    {
        model.zero_grad();
        loss().backward();
        return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());
    }
}
