using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.BadInput;

/// <summary>A two-layer model: 4 inputs, 5 outputs, float64.</summary>
[Model]
public partial class SmallMlp
{
    [Parameter] public Tensor w1, b1, w2, b2;

    public SmallMlp()
    {
        w1 = randn(6, 4, dtype: ScalarType.Float64) * 0.5;
        b1 = randn(6, dtype: ScalarType.Float64) * 0.1;
        w2 = randn(5, 6, dtype: ScalarType.Float64) * 0.5;
        b2 = randn(5, dtype: ScalarType.Float64) * 0.1;
    }

    [Differentiable(Modes = DerivativeModes.Forward)]
    public Tensor Forward(Tensor x) => linear(tanh(linear(x, w1, b1)), w2, b2);

    /// <summary>The same computation on TorchSharp's tape, for the oracle.</summary>
    public Tensor Reference(Tensor x) => linear(tanh(linear(x, w1, b1)), w2, b2);
}

public static partial class TensorFunctions
{
    /// <summary>A tensor-valued function of two tensors.</summary>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static Tensor Blend(Tensor x, Tensor y) => x.tanh() * y + x;

    /// <summary>A scalar-valued (0-dimensional) tensor function.</summary>
    [Differentiable]
    public static Tensor Energy(Tensor x) => (x * x).sum();
}

public static partial class ArrayFunctions
{
    /// <summary>Σ xᵢ² · y.</summary>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static double Weighted(double[] x, double y)
    {
        var s = 0.0;
        for (var i = 0; i < x.Length; i++) s += x[i] * x[i];
        return s * y;
    }
}

/// <summary>A model whose forward loops: its sweep keeps per-iteration values on a tape.</summary>
[Model]
public partial class LoopedLayer
{
    [Parameter] public Tensor w;

    public LoopedLayer() => w = randn(4, 4, dtype: ScalarType.Float64) * 0.3;

    [Differentiable]
    public Tensor Forward(Tensor x)
    {
        var h = x;
        for (var i = 0; i < 3; i++) h = tanh(linear(h, w));
        return h;
    }

    public Tensor Reference(Tensor x)
    {
        var h = x;
        for (var i = 0; i < 3; i++) h = tanh(linear(h, w));
        return h;
    }
}
