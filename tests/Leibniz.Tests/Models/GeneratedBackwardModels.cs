using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Tests.Models;

/// <summary>A model whose backward is generated: TorchSharp's autograd calls the generated reverse sweep.</summary>
[Model]
public partial class GeneratedMlp
{
    [Parameter] Tensor w1, b1, w2, b2;
    [Buffer] Tensor scale;

    public GeneratedMlp(int inputs, int hidden, int outputs, ScalarType dtype = ScalarType.Float64)
    {
        w1 = randn(hidden, inputs, dtype: dtype) * 0.5;
        b1 = randn(hidden, dtype: dtype) * 0.1;
        w2 = randn(outputs, hidden, dtype: dtype) * 0.5;
        b2 = zeros(outputs, dtype: dtype);
        scale = full(outputs, 1.5, dtype: dtype);
    }

    [Differentiable]
    public Tensor Forward(Tensor x)
    {
        var h = relu(linear(x, w1, b1));
        return linear(h, w2, b2) * scale;
    }

    /// <summary>The same computation, for the autograd oracle.</summary>
    public Tensor Reference(Tensor x) => linear(relu(linear(x, w1, b1)), w2, b2) * scale;
}

/// <summary>
/// A weight used by two layers (its adjoint has two contributions, so a descent step cannot fold its
/// update into either) and a broadcast scale; inputs may carry extra leading dimensions.
/// </summary>
[Model]
public partial class TiedLayers
{
    [Parameter] Tensor w, b, v;

    public TiedLayers(int size)
    {
        w = randn(size, size, dtype: ScalarType.Float64) * 0.4;
        b = randn(size, dtype: ScalarType.Float64) * 0.1;
        v = randn(size, dtype: ScalarType.Float64);
    }

    [Differentiable]
    public Tensor Forward(Tensor x)
    {
        var h = tanh(linear(x, w, b));
        return linear(h, w) * v;
    }

    /// <summary>The same computation, for the autograd oracle.</summary>
    public Tensor Reference(Tensor x) => linear(tanh(linear(x, w, b)), w) * v;
}
