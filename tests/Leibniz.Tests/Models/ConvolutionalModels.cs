using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Tests.Models;

/// <summary>conv2d → relu → max_pool2d → flatten → linear, with its backward generated.</summary>
[Model]
public partial class SmallCnn
{
    [Parameter] Tensor kernels, kernelBias, readout, readoutBias;

    /// <param name="channels">Input channels.</param>
    /// <param name="features">Feature maps of the convolution.</param>
    /// <param name="pooled">Height × width after pooling (the readout's input is features × pooled).</param>
    /// <param name="classes">Outputs.</param>
    public SmallCnn(int channels, int features, int pooled, int classes, ScalarType dtype = ScalarType.Float64)
    {
        kernels = randn(features, channels, 3, 3, dtype: dtype) * 0.4;
        kernelBias = randn(features, dtype: dtype) * 0.1;
        readout = randn(classes, features * pooled, dtype: dtype) * 0.2;
        readoutBias = zeros(classes, dtype: dtype);
    }

    [Differentiable]
    public Tensor Forward(Tensor x)
    {
        var h = relu(conv2d(x, kernels, kernelBias, padding: new long[] { 1, 1 }));
        var pooled = max_pool2d(h, 2);
        return linear(pooled.flatten(1), readout, readoutBias);
    }

    /// <summary>The same computation, for the autograd oracle.</summary>
    public Tensor Reference(Tensor x)
        => linear(max_pool2d(relu(conv2d(x, kernels, kernelBias, padding: new long[] { 1, 1 })), 2).flatten(1), readout, readoutBias);
}

/// <summary>The same network with grouped, strided convolutions, overlapping pooling and dropout before the readout.</summary>
[Model]
public partial class SmallCnnWithDropout
{
    [Parameter] Tensor kernels, readout, readoutBias;

    public SmallCnnWithDropout(int channels, int features, int pooled, int classes)
    {
        kernels = randn(features, channels / 2, 3, 2, dtype: ScalarType.Float64) * 0.4;
        readout = randn(classes, features * pooled, dtype: ScalarType.Float64) * 0.2;
        readoutBias = zeros(classes, dtype: ScalarType.Float64);
    }

    [Differentiable]
    public Tensor Forward(Tensor x)
    {
        var h = relu(conv2d(x, kernels, strides: new long[] { 2, 1 }, groups: 2));
        var pooled = dropout(max_pool2d(h, 3, stride: 1), 0.25);
        return linear(pooled.flatten(1), readout, readoutBias);
    }

    /// <summary>The same computation through TorchSharp's dropout, which draws the same mask after the same seed on the CPU.</summary>
    public Tensor Reference(Tensor x)
        => linear(dropout(max_pool2d(relu(conv2d(x, kernels, strides: new long[] { 2, 1 }, groups: 2)), 3, stride: 1), 0.25).flatten(1), readout, readoutBias);
}
