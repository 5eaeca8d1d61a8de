using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Models;

/// <summary>
/// A model whose <c>Forward</c> input is named <c>seed</c>, the name of the generated pullback's own parameter: inside the
/// sweep class the input is a field, and a pullback parameter of the same name would shadow it in the reverse sweep.
/// Input and output have one shape, so a shadowed input would still run, with a wrong weight gradient.
/// </summary>
[Model]
public partial class SeedInputModel
{
    [Parameter] Tensor w, b;

    public SeedInputModel(int size)
    {
        w = randn(size, dtype: ScalarType.Float64);
        b = randn(size, dtype: ScalarType.Float64) * 0.1;
    }

    [Differentiable]
    public Tensor Forward(Tensor seed) => (seed * w + b).tanh() * seed;

    /// <summary>The same computation, for the autograd oracle.</summary>
    public Tensor Reference(Tensor seed) => (seed * w + b).tanh() * seed;
}

/// <summary>Fields and locals named like the sweep class's private members, and an input the body reassigns.</summary>
[Model]
public partial class CollidingMembersModel
{
    [Parameter] Tensor _owner, inputGradient;

    public CollidingMembersModel(int inputs, int outputs)
    {
        _owner = randn(inputs, outputs, dtype: ScalarType.Float64) * 0.5;
        inputGradient = randn(outputs, dtype: ScalarType.Float64) * 0.1;
    }

    [Differentiable]
    public Tensor Forward(Tensor seed)
    {
        var pulledBack = seed.matmul(_owner) + inputGradient;
        var noGrad = pulledBack.tanh();
        var gradients = noGrad * pulledBack;
        var _input = gradients + seed.sum(-1, keepdim: true);
        seed = _input * noGrad;
        return seed;
    }

    /// <summary>The same computation, for the autograd oracle.</summary>
    public Tensor Reference(Tensor seed)
    {
        var pulledBack = seed.matmul(_owner) + inputGradient;
        var noGrad = pulledBack.tanh();
        return (noGrad * pulledBack + seed.sum(-1, keepdim: true)) * noGrad;
    }
}
