using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

/// <summary>
/// Hand-written derivatives of tensor functions: a numerically stable log(1 + eˣ) whose pullback and tangent read
/// σ(x) instead of differentiating through exp, and a scaling with a mixed tensor and scalar signature.
/// </summary>
public static partial class CustomTensorDerivativeFunctions
{
    /// <summary>log(1 + eˣ), written so that it does not overflow for large x; not [Differentiable]: its derivatives are below.</summary>
    public static Tensor Log1pExp(Tensor x) => where(x > 20, x, log1p(exp(x.clamp_max(20))));

    /// <summary>Adds seed·σ(x) into dx and returns log(1 + eˣ).</summary>
    [Derivative(Of = nameof(Log1pExp))]
    public static Tensor Log1pExpPullback(Tensor x, Tensor seed, ref Tensor? dx)
    {
        var contribution = seed * sigmoid(x);
        dx = dx is null ? contribution : dx + contribution;
        return Log1pExp(x);
    }

    /// <summary>σ(x)·ẋ: the derivative of log(1 + eˣ) along ẋ.</summary>
    [Tangent(Of = nameof(Log1pExp))]
    public static Tensor Log1pExpTangent(Tensor x, Tensor dx) => sigmoid(x) * dx;

    /// <summary>x·s, with a scalar s that carries a derivative too.</summary>
    public static Tensor Scale(Tensor x, double s) => x * s;

    [Derivative(Of = nameof(Scale))]
    public static Tensor ScalePullback(Tensor x, double s, Tensor seed, ref Tensor? dx, ref double ds)
    {
        var contribution = seed * s;
        dx = dx is null ? contribution : dx + contribution;
        ds += (seed * x).sum().ToDouble();
        return x * s;
    }

    /// <summary>A loss through both: softplus of a linear map, scaled, summed.</summary>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static Tensor Loss(Tensor x, Tensor w) => Log1pExp(x.matmul(w) * 8).mean();

    [Differentiable]
    public static Tensor Scaled(Tensor x, double s) => Scale(x.tanh(), s * s).sum();
}
