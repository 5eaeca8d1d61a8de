using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Tests.Models;

/// <summary>
/// TorchSharp modules held in fields and called inside a <c>[Differentiable] Forward</c>, between generated operations on a
/// <c>[Parameter]</c> of the model's own: a linear layer through <c>call</c>, a layer norm through <c>forward</c>, a
/// <c>Sequential</c> head.
/// </summary>
[Model]
public partial class ModuleStack
{
    [Parameter] Tensor scale;
    Linear fc;
    LayerNorm norm;
    Sequential head;

    public ModuleStack(int inputs, int hidden, int outputs)
    {
        scale = ones(hidden, dtype: ScalarType.Float64) + 0.1 * randn(hidden, dtype: ScalarType.Float64);
        fc = nn.Linear(inputs, hidden, dtype: ScalarType.Float64);
        norm = nn.LayerNorm(hidden, dtype: ScalarType.Float64);
        head = nn.Sequential(nn.Linear(hidden, hidden, dtype: ScalarType.Float64), nn.Tanh(), nn.Linear(hidden, outputs, dtype: ScalarType.Float64));
    }

    /// <summary>The module the head ends with, to freeze in a test.</summary>
    public nn.Module Head => head;

    [Differentiable]
    public Tensor Forward(Tensor x)
    {
        var h = fc.call(x).relu() * scale;
        h = norm.forward(h) + h.sigmoid();
        return head.call(h);
    }

    /// <summary>The same computation, for the autograd oracle.</summary>
    public Tensor Reference(Tensor x)
    {
        var h = fc.call(x).relu() * scale;
        h = norm.forward(h) + h.sigmoid();
        return head.call(h);
    }
}

/// <summary>Token indices through an embedding table, a convolution over the sequence and dropout: modules whose input has no gradient, whose output is random.</summary>
[Model]
public partial class TokenConvolution
{
    [Parameter] Tensor mix;
    Embedding embedding;
    Conv1d convolution;
    Dropout dropout;

    public TokenConvolution(int vocabulary, int features)
    {
        mix = randn(features, features, dtype: ScalarType.Float64) * 0.4;
        embedding = nn.Embedding(vocabulary, features, dtype: ScalarType.Float64);
        convolution = nn.Conv1d(features, features, 3, padding: 1, dtype: ScalarType.Float64);
        dropout = nn.Dropout(0.3);
    }

    [Differentiable]
    public Tensor Forward(Tensor tokens)
    {
        var e = embedding.call(tokens).matmul(mix);
        var c = convolution.call(e.transpose(1, 2)).transpose(1, 2);
        return dropout.call(c.tanh()) + e;
    }

    /// <summary>The same computation, for the autograd oracle.</summary>
    public Tensor Reference(Tensor tokens)
    {
        var e = embedding.call(tokens).matmul(mix);
        var c = convolution.call(e.transpose(1, 2)).transpose(1, 2);
        return dropout.call(c.tanh()) + e;
    }
}

/// <summary>A convolution and pooling over images, flattened into a linear layer: the modules a small CNN holds.</summary>
[Model]
public partial class ImageBlock
{
    [Parameter] Tensor bias;
    Conv2d convolution;
    Linear classifier;

    public ImageBlock()
    {
        bias = zeros(3, dtype: ScalarType.Float64);
        convolution = nn.Conv2d(2, 3, 3, padding: 1, dtype: ScalarType.Float64);
        classifier = nn.Linear(3 * 3 * 3, 4, dtype: ScalarType.Float64);
    }

    [Differentiable]
    public Tensor Forward(Tensor images)
    {
        var features = max_pool2d(convolution.call(images).relu(), new long[] { 2, 2 });
        return classifier.call(features.flatten(1)) + bias.sum();
    }

    /// <summary>The same computation, for the autograd oracle.</summary>
    public Tensor Reference(Tensor images)
    {
        var features = max_pool2d(convolution.call(images).relu(), new long[] { 2, 2 });
        return classifier.call(features.flatten(1)) + bias.sum();
    }
}

/// <summary>
/// A recurrent cell of two linear modules over time steps: module calls inside a loop, one read only through its
/// pullback (the relu's reverse reads its own output), which the reverse loop recomputes.
/// </summary>
[Model]
public partial class ModuleRecurrence
{
    [Parameter] Tensor gain;
    Linear input, hidden;
    Sequential? step;

    public ModuleRecurrence(int features, int units, bool withDropout = false)
    {
        gain = ones(units, dtype: ScalarType.Float64) + 0.1 * randn(units, dtype: ScalarType.Float64);
        input = nn.Linear(features, units, dtype: ScalarType.Float64);
        hidden = nn.Linear(units, units, dtype: ScalarType.Float64);
        step = nn.Sequential(nn.Tanh(), withDropout ? nn.Dropout(0.5) : nn.Identity());
    }

    public int Units => (int)gain.shape[0];

    [Differentiable]
    public Tensor Forward(Tensor sequence)
    {
        var h = zeros(sequence.shape[1], gain.shape[0], dtype: sequence.dtype);
        for (long t = 0; t < sequence.shape[0]; t++)
            h = step!.call(hidden.call(h).relu() * gain + input.call(sequence[t]));
        return h;
    }

    /// <summary>The same computation, for the autograd oracle.</summary>
    public Tensor Reference(Tensor sequence)
    {
        var h = zeros(sequence.shape[1], gain.shape[0], dtype: sequence.dtype);
        for (long t = 0; t < sequence.shape[0]; t++)
            h = step!.call(hidden.call(h).relu() * gain + input.call(sequence[t]));
        return h;
    }
}

/// <summary>A model that reads none of its fields: its sweep returns the input's gradient alone.</summary>
[Model]
public partial class Parameterless
{
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public Tensor Forward(Tensor x) => x.tanh() * x;
}

/// <summary>One parameter field and forward mode: its Gauss–Newton product returns one tensor.</summary>
[Model]
public partial class SingleWeight
{
    [Parameter] Tensor weight = randn(3, 3, dtype: ScalarType.Float64) * 0.5;

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public Tensor Forward(Tensor x) => x.matmul(weight).tanh();

    public Tensor Weight => weight;
}
