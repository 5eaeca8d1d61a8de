using Leibniz;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace HessianSpectrum;

/// <summary>
/// The classifier's training loss as a function of its weights, for which Leibniz generates the
/// Hessian–vector product at build time (reverse mode over the generated tangent).
/// </summary>
public static partial class TrainingLoss
{
    /// <summary>Mean cross-entropy of the network of <see cref="MixtureClassifier.Forward"/> with these weights.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Of(Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor w3, Tensor b3, [NoDerivative] Tensor points, [NoDerivative] Tensor labels)
    {
        var h1 = relu(linear(points, w1, b1));
        var h2 = relu(linear(h1, w2, b2));
        return cross_entropy(linear(h2, w3, b3), labels);
    }
}
