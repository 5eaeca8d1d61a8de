using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

/// <summary>
/// Functions whose parameters and locals are named like the generated code's own seeds, adjoints, tapes and temporaries
/// (<c>seed</c>, <c>_d_x</c>, <c>dx</c>, <c>t0</c>, <c>result</c>, <c>tapeDouble</c>, <c>_d_unused</c>…): the generated names
/// move around them, and the derivatives stay right.
/// </summary>
public static partial class CollidingNameFunctions
{
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Scale(double a, double b) => a * Math.Sin(b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Colliding(double x, double seed, int n)
    {
        var _d_x = x * seed;
        var t0 = Math.Sin(x);
        var dx = seed * seed;
        var result = 0.0;
        var tapeDouble = x;
        var _d_unused = Scale(x, 2.0);
        for (var i = 0; i < n; i++)
        {
            tapeDouble = tapeDouble * t0 + dx * 0.1;
            result += tapeDouble * _d_x;
        }

        if (result > 0) result = result * seed + _d_unused;
        else result = result - _d_unused * x;
        return result;
    }

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor CollidingTensor(Tensor x, Tensor seed)
    {
        var _d_x = x * seed;
        var t0 = _d_x.tanh();
        var result = t0 * x + seed.exp();
        var tapeTensor = result * _d_x;
        return tapeTensor.sum();
    }
}
