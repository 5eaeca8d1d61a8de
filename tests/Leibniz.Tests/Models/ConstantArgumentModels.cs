using Leibniz;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Models;

public static partial class AffineFunctions
{
    [Differentiable]
    public static Tensor Affine(Tensor x, Tensor weight, Tensor bias) => x.matmul(weight) + bias;
}

/// <summary>
/// A model passing two buffers of different shapes to a differentiable function: neither varies, so the pullback's
/// adjoints for both are thrown away — each into a local of its own.
/// </summary>
[Model]
public partial class FrozenAffine
{
    [Parameter] Tensor scale;
    [Buffer] Tensor weight;
    [Buffer] Tensor bias;

    public FrozenAffine(Tensor weight, Tensor bias)
    {
        this.weight = weight;
        this.bias = bias;
        scale = ones(1, dtype: weight.dtype) * 0.5;
    }

    [Differentiable]
    public Tensor Forward(Tensor x)
    {
        var once = AffineFunctions.Affine(x * scale, weight, bias);
        // A second call reuses nothing the first threw away.
        return AffineFunctions.Affine(once.tanh() * scale, weight.T.matmul(weight), bias);
    }
}
