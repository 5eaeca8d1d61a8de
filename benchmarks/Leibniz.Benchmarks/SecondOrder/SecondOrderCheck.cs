using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Benchmarks.SecondOrder;

/// <summary>Run before anything is timed: the generated products must agree with the anchors they are timed against.</summary>
public static class SecondOrderCheck
{
    /// <summary>Throws unless the generated Rosenbrock H·v and gradient match the hand-written ones to 1e-10 of their largest component.</summary>
    public static void VerifyRosenbrock(double[] x, double[] v)
    {
        var n = x.Length;
        var (g, hv, eg, ehv) = (new double[n], new double[n], new double[n], new double[n]);
        SecondOrderObjectives.RosenbrockHessianVectorProduct(x, v, g, hv);
        HandWrittenHessianVectorProduct.Rosenbrock(x, v, eg, ehv);
        Compare("Rosenbrock gradient", g, eg);
        Compare("Rosenbrock H·v", hv, ehv);
    }

    /// <summary>Throws unless the generated MLP H·v matches TorchSharp's double backward (float32, so to 1e-4 of the largest component).</summary>
    public static void VerifyMlp(Tensor x, Tensor[] weights, Tensor target, Tensor[] directions)
    {
        var generated = MlpProducts.Generated(x, weights, target, directions);
        var oracle = MlpProducts.DoubleBackward(x, weights, target, directions);
        for (var i = 0; i < weights.Length; i++)
        {
            var scale = oracle[i].abs().max().ToSingle();
            var error = (generated[i] - oracle[i]).abs().max().ToSingle();
            if (error > 1e-4 * Math.Max(scale, 1e-6))
                throw new InvalidOperationException($"The generated MLP H·v disagrees with TorchSharp's double backward for weight {i}: largest difference {error:E2} against a largest component of {scale:E2}.");
        }
    }

    static void Compare(string what, double[] actual, double[] expected)
    {
        var scale = expected.Max(Math.Abs);
        for (var i = 0; i < expected.Length; i++)
        {
            if (Math.Abs(actual[i] - expected[i]) > 1e-10 * scale)
                throw new InvalidOperationException($"The generated {what} disagrees with the hand-written one at component {i}: {actual[i]:R} vs {expected[i]:R}.");
        }
    }
}
