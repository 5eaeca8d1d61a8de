using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Benchmarks.SecondOrder;

/// <summary>The functions whose Hessian–vector products are measured; the generator writes them beside these.</summary>
public static partial class SecondOrderObjectives
{
    /// <summary>The n-dimensional Rosenbrock function, as in the gradient benchmark, with forward mode and Hessian–vector products asked for.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Rosenbrock(double[] x)
    {
        var sum = 0.0;
        for (var i = 0; i < x.Length - 1; i++)
        {
            var a = x[i + 1] - x[i] * x[i];
            var b = 1 - x[i];
            sum += 100 * a * a + b * b;
        }

        return sum;
    }

    /// <summary>A small two-layer tanh network under mean squared error: the loss of its weights for one batch.</summary>
    [Differentiable(Wrt = new[] { nameof(w1), nameof(b1), nameof(w2), nameof(b2) }, Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor MlpLoss(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, [NoDerivative] Tensor target)
    {
        var h = nn.functional.linear(x, w1, b1).tanh();
        return nn.functional.mse_loss(nn.functional.linear(h, w2, b2), target);
    }
}
