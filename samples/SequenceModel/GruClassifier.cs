using Leibniz;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace SequenceModel;

/// <summary>
/// A GRU over token sequences, written as TorchSharp code: an embedding table read with index_select, a time loop to
/// the length read from the input, a padding mask that carries the state through padded steps, layer normalisation
/// of the last state and a linear read-out. [Differentiable] gives Forward a backward written at build time.
/// </summary>
[Model]
public partial class GruClassifier
{
    /// <summary>The hidden width; a constant because layer_norm's normalized shape is written out at the call.</summary>
    public const long Hidden = 32;

    [Parameter] Tensor embedding;
    [Parameter] Tensor wz, uz, bz, wr, ur, br, wn, un, bn;
    [Parameter] Tensor gamma, beta;
    [Parameter] Tensor wo, bo;

    /// <summary>A classifier over tokens 0…<paramref name="vocabulary"/>−1 (0 is padding) into <paramref name="classes"/> classes.</summary>
    public GruClassifier(int vocabulary, int embeddingWidth, int classes)
    {
        embedding = randn(vocabulary, embeddingWidth) * 0.5;
        (wz, uz, bz) = Gate(embeddingWidth);
        (wr, ur, br) = Gate(embeddingWidth);
        (wn, un, bn) = Gate(embeddingWidth);
        gamma = ones(Hidden);
        beta = zeros(Hidden);
        wo = randn(classes, Hidden) / Math.Sqrt(Hidden);
        bo = zeros(classes);
    }

    /// <summary>Class scores [batch, classes] for tokens [batch, steps] (int64, 0 = padding).</summary>
    [Differentiable]
    public Tensor Forward(Tensor tokens)
    {
        var batch = tokens.shape[0];
        var steps = tokens.shape[1];
        var embedded = embedding.index_select(0, tokens.reshape(-1)).reshape(batch, steps, -1);
        var mask = tokens.ne(CountingTask.Padding).to_type(embedding.dtype);

        var h = zeros(batch, Hidden, dtype: embedding.dtype, device: embedding.device);
        for (long t = 0; t < steps; t++)
        {
            var x = embedded.select(1, t);
            var z = (linear(x, wz, bz) + linear(h, uz)).sigmoid();
            var r = (linear(x, wr, br) + linear(h, ur)).sigmoid();
            var n = (linear(x, wn, bn) + r * linear(h, un)).tanh();
            var next = (1 - z) * n + z * h;
            // A padded step leaves the state as it was.
            var keep = mask.select(1, t).unsqueeze(1);
            h = keep * next + (1 - keep) * h;
        }

        var normed = layer_norm(h, new long[] { Hidden }, gamma, beta);
        return linear(normed, wo, bo);
    }

    static (Tensor Input, Tensor Recurrent, Tensor Bias) Gate(int inputs)
        => (randn(Hidden, inputs) / Math.Sqrt(inputs), randn(Hidden, Hidden) / Math.Sqrt(Hidden), zeros(Hidden));
}
