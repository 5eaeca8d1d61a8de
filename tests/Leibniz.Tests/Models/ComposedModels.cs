using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Tests.Models;

// Models that call other models' Forward, each differentiated through the callee's generated sweep.
// Every model carries a Reference: the same computation in plain TorchSharp calls on the same
// tensors, so TorchSharp's autograd is an oracle independent of the generated code.

/// <summary>The leaf of the composites: one tanh layer.</summary>
[Model]
public partial class TanhLayer
{
    [Parameter] Tensor weight, bias;

    public TanhLayer(int inputs, int outputs, ScalarType dtype)
    {
        weight = randn(outputs, inputs, dtype: dtype) * 0.6;
        bias = randn(outputs, dtype: dtype) * 0.1;
    }

    [Differentiable]
    public Tensor Forward(Tensor x) => tanh(linear(x, weight, bias));

    public Tensor Reference(Tensor x) => tanh(linear(x, weight, bias));
}

/// <summary>Two fields of the same model type, one called through <c>call</c>, plus a parameter and a buffer of its own.</summary>
[Model]
public partial class StackedEncoder
{
    [Parameter] Tensor gain;
    [Buffer] Tensor shift;
    TanhLayer first;
    TanhLayer second;

    public StackedEncoder(int inputs, int hidden, ScalarType dtype)
    {
        first = new TanhLayer(inputs, hidden, dtype);
        second = new TanhLayer(hidden, hidden, dtype);
        // A column: broadcast over the batch, so a wrong reduction of its gradient changes its shape.
        gain = randn(1, hidden, dtype: dtype) + 1.5;
        shift = full(hidden, 0.25, dtype: dtype);
    }

    [Differentiable]
    public Tensor Forward(Tensor x)
    {
        var h = first.call(x);
        return second.Forward(h) * gain + shift;
    }

    public Tensor Reference(Tensor x) => second.Reference(first.Reference(x)) * gain + shift;
}

/// <summary>
/// Composition of composition (encoder's own fields are models), the same model called twice in one
/// Forward (two sweeps whose adjoints add up), and a call through <c>forward</c>.
/// </summary>
[Model]
public partial class Autoencoder
{
    [Parameter] Tensor mix;
    StackedEncoder encoder;
    TanhLayer decoder;

    public Autoencoder(int inputs, int hidden, ScalarType dtype = ScalarType.Float64)
    {
        encoder = new StackedEncoder(inputs, hidden, dtype);
        decoder = new TanhLayer(hidden, hidden, dtype);
        mix = randn(hidden, dtype: dtype);
    }

    [Differentiable]
    public Tensor Forward(Tensor x)
    {
        var z = encoder.forward(x);
        var once = decoder.Forward(z);
        var twice = decoder.call(once * mix);
        return twice + once * z;
    }

    public Tensor Reference(Tensor x)
    {
        var z = encoder.Reference(x);
        var once = decoder.Reference(z);
        return decoder.Reference(once * mix) + once * z;
    }
}

/// <summary>A generic model inside a container class: composes like any other.</summary>
public static partial class Blocks
{
    [Model]
    public partial class Scaled<TTag>
    {
        [Parameter] Tensor scale;

        public Scaled(int width, ScalarType dtype) => scale = randn(width, dtype: dtype);

        [Differentiable]
        public Tensor Forward(Tensor x) => x * scale;

        public Tensor Reference(Tensor x) => x * scale;
    }
}

/// <summary>A generic field, a private nested model class, a model called inside a branch, and a frozen model.</summary>
[Model]
public partial class Assembly
{
    Blocks.Scaled<int> scaled;
    Projection projection;
    TanhLayer frozen;
    [Buffer] Tensor useProjection;

    public Assembly(int width, int outputs, ScalarType dtype = ScalarType.Float64)
    {
        scaled = new Blocks.Scaled<int>(width, dtype);
        projection = new Projection(width, outputs, dtype);
        frozen = new TanhLayer(width, width, dtype);
        useProjection = ones(1, dtype: dtype);
    }

    [Differentiable]
    public Tensor Forward(Tensor x)
    {
        // The frozen layer's output is data: no gradient reaches its parameters or through it.
        var features = scaled.call(x) + Derivatives.NoDerivative(frozen.call(x));
        var result = features;
        if (Enabled(useProjection))
            result = projection.Forward(features);
        return result;
    }

    static bool Enabled(Tensor flag) => flag.item<double>() > 0;

    public Tensor Reference(Tensor x)
    {
        Tensor frozenFeatures;
        using (no_grad()) frozenFeatures = frozen.Reference(x);
        var features = scaled.Reference(x) + frozenFeatures;
        return Enabled(useProjection) ? projection.Reference(features) : features;
    }

    public void SkipProjection() => useProjection.fill_(0);

    [Model]
    partial class Projection
    {
        [Parameter] Tensor w;

        public Projection(int inputs, int outputs, ScalarType dtype) => w = randn(inputs, outputs, dtype: dtype) * 0.5;

        [Differentiable]
        public Tensor Forward(Tensor x) => x.matmul(w);

        public Tensor Reference(Tensor x) => x.matmul(w);
    }
}

/// <summary>An input reassigned in Forward: its adjoint also carries the first layer's parameters' derivative.</summary>
[Model]
public partial class ReassigningMlp
{
    [Parameter] Tensor w1, b1, w2;

    public ReassigningMlp(int inputs, int hidden, int outputs)
    {
        w1 = randn(hidden, inputs, dtype: ScalarType.Float64);
        b1 = randn(hidden, dtype: ScalarType.Float64);
        w2 = randn(outputs, hidden, dtype: ScalarType.Float64);
    }

    [Differentiable]
    public Tensor Forward(Tensor x)
    {
        x = tanh(linear(x, w1, b1));
        return linear(x, w2);
    }
}

/// <summary>Two fields holding one layer: the same weights applied twice, reached through both fields.</summary>
[Model]
public partial class SharedLayerTwice
{
    TanhLayer first;
    TanhLayer second;

    public SharedLayerTwice(TanhLayer layer)
    {
        first = layer;
        second = layer;
    }

    [Differentiable]
    public Tensor Forward(Tensor x) => second.Forward(first.Forward(x) * 1.5);

    public Tensor Reference(Tensor x) => first.Reference(first.Reference(x) * 1.5);
}
