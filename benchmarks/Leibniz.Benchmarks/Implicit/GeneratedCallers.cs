using static TorchSharp.torch;

namespace Leibniz.Benchmarks.Implicit;

/// <summary>User code that calls the ridge layer, differentiated by the generator: its reverse sweep calls the layer's <c>ApplyPullback</c>.</summary>
public static partial class GeneratedCallers
{
    [Differentiable]
    public static Tensor RidgeScore(Tensor X, Tensor y, Tensor lambda, Tensor c, [NoDerivative] double eta, int steps)
        => (RidgeGradientDescent.Solve(X, y, lambda, eta, steps) * c).sum();
}
