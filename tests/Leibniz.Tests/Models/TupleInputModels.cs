using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Tests.Models;

/// <summary>
/// Single-head attention over a batch of sequences with a key mask: several inputs to one <c>Forward</c>, as one tuple
/// with named elements; the mask is data (no gradient flows to it).
/// </summary>
[Model]
public partial class MaskedAttention
{
    [Parameter] Tensor query, key, value, output;

    public MaskedAttention(int features, ScalarType dtype = ScalarType.Float64)
    {
        query = randn(features, features, dtype: dtype) * 0.4;
        key = randn(features, features, dtype: dtype) * 0.4;
        value = randn(features, features, dtype: dtype) * 0.4;
        output = randn(features, features, dtype: dtype) * 0.4;
    }

    [Differentiable(Modes = DerivativeModes.Forward)]
    public Tensor Forward((Tensor Tokens, Tensor Mask) input)
    {
        var (tokens, mask) = input;
        var scores = linear(tokens, query).matmul(linear(tokens, key).transpose(1, 2)) / Math.Sqrt(tokens.shape[2]);
        var weights = softmax(scores.masked_fill(mask.logical_not().unsqueeze(1), -1e9), 2);
        return linear(weights.matmul(linear(tokens, value)), output) + input.Tokens;
    }

    /// <summary>The same computation, for the autograd oracle.</summary>
    public Tensor Reference(Tensor tokens, Tensor mask)
    {
        var scores = linear(tokens, query).matmul(linear(tokens, key).transpose(1, 2)) / Math.Sqrt(tokens.shape[2]);
        var weights = softmax(scores.masked_fill(mask.logical_not().unsqueeze(1), -1e9), 2);
        return linear(weights.matmul(linear(tokens, value)), output) + tokens;
    }
}

/// <summary>
/// Two differentiable streams in an unnamed tuple, one of them reassigned in the body (a working variable whose
/// adjoint also carries what flowed before the reassignment), mixed over a loop.
/// </summary>
[Model]
public partial class TwoStreams
{
    [Parameter] Tensor mix, bias;

    public TwoStreams(int features, ScalarType dtype = ScalarType.Float64)
    {
        mix = randn(features, features, dtype: dtype) * 0.5;
        bias = randn(features, dtype: dtype) * 0.1;
    }

    [Differentiable(Modes = DerivativeModes.Forward)]
    public Tensor Forward((Tensor, Tensor) input)
    {
        var state = input.Item2;
        input.Item1 = tanh(input.Item1);
        for (var step = 0; step < 2; step++)
            state = tanh(linear(state, mix, bias) + input.Item1 * state);
        return state * input.Item1;
    }

    /// <summary>The same computation, for the autograd oracle.</summary>
    public Tensor Reference(Tensor first, Tensor second)
    {
        var state = second;
        var squashed = tanh(first);
        for (var step = 0; step < 2; step++)
            state = tanh(linear(state, mix, bias) + squashed * state);
        return state * squashed;
    }
}
