using Leibniz;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace HessianSpectrum;

/// <summary>
/// The classifier's training loss as a function of its output, for which Leibniz generates the gradient and the
/// Hessian–vector product at build time; the classifier's <c>ForwardLossHessianVectorProduct</c> combines them with its
/// own generated tangent and pullback into the loss's Hessian over every parameter.
/// </summary>
public static partial class TrainingLoss
{
    /// <summary>Mean cross-entropy of the classifier's logits against the labels.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Of(Tensor logits, [NoDerivative] Tensor labels) => cross_entropy(logits, labels);
}
