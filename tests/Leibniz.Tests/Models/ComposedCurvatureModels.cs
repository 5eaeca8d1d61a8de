using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Tests.Models;

// Models calling models that ask for forward mode and Hessian–vector products. Each carries a Reference: the same
// computation in plain TorchSharp calls on parameters passed by name (as named_parameters() names them), so
// TorchSharp's autograd over it is an oracle independent of the generated code.

/// <summary>The leaf: one tanh layer.</summary>
[Model]
public partial class CurvatureLeaf
{
    [Parameter] Tensor weight, bias;

    public CurvatureLeaf(int inputs, int outputs)
    {
        weight = randn(outputs, inputs, dtype: ScalarType.Float64) * 0.7;
        bias = randn(outputs, dtype: ScalarType.Float64) * 0.2;
    }

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public Tensor Forward(Tensor x) => tanh(linear(x, weight, bias));

    public static Tensor Reference(Tensor x, IReadOnlyDictionary<string, Tensor> p, string prefix)
        => tanh(linear(x, p[prefix + "weight"], p[prefix + "bias"]));
}

/// <summary>Two levels: a parameter of its own between two leaves, one called through <c>call</c>.</summary>
[Model]
public partial class CurvaturePair
{
    [Parameter] Tensor scale;
    CurvatureLeaf first;
    CurvatureLeaf second;

    public CurvaturePair(int inputs, int hidden, int outputs)
    {
        scale = randn(hidden, dtype: ScalarType.Float64) + 1.0;
        first = new CurvatureLeaf(inputs, hidden);
        second = new CurvatureLeaf(hidden, outputs);
    }

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public Tensor Forward(Tensor x)
    {
        var h = first.call(x);
        return second.Forward(h * scale);
    }

    public static Tensor Reference(Tensor x, IReadOnlyDictionary<string, Tensor> p, string prefix)
        => CurvatureLeaf.Reference(CurvatureLeaf.Reference(x, p, prefix + "first.") * p[prefix + "scale"], p, prefix + "second.");
}

/// <summary>Three levels (a model calling a model that calls models), and one leaf called twice.</summary>
[Model]
public partial class CurvatureTower
{
    [Parameter] Tensor mix;
    CurvaturePair pair;
    CurvatureLeaf shared;

    public CurvatureTower(int width, int hidden)
    {
        mix = randn(width, width, dtype: ScalarType.Float64) * 0.5;
        pair = new CurvaturePair(width, hidden, width);
        shared = new CurvatureLeaf(width, width);
    }

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public Tensor Forward(Tensor x)
    {
        var h = shared.call(x);
        var z = pair.Forward(h).matmul(mix);
        return shared.forward(z) * h;
    }

    public static Tensor Reference(Tensor x, IReadOnlyDictionary<string, Tensor> p, string prefix)
    {
        var h = CurvatureLeaf.Reference(x, p, prefix + "shared.");
        var z = CurvaturePair.Reference(h, p, prefix + "pair.").matmul(p[prefix + "mix"]);
        return CurvatureLeaf.Reference(z, p, prefix + "shared.") * h;
    }
}

/// <summary>A frozen called model: its parameters and the input's path through it get no derivative.</summary>
[Model]
public partial class CurvatureWithFrozen
{
    [Parameter] Tensor gain;
    CurvatureLeaf live;
    CurvatureLeaf frozen;

    public CurvatureWithFrozen(int width)
    {
        gain = randn(width, dtype: ScalarType.Float64) + 1.0;
        live = new CurvatureLeaf(width, width);
        frozen = new CurvatureLeaf(width, width);
    }

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public Tensor Forward(Tensor x) => live.call(x) * Derivatives.NoDerivative(frozen.call(x)) * gain;

    public static Tensor Reference(Tensor x, IReadOnlyDictionary<string, Tensor> p)
        => CurvatureLeaf.Reference(x, p, "live.") * CurvatureLeaf.Reference(x, p, "frozen.").detach() * p["gain"];
}
