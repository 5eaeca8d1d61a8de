using Leibniz.Curvature;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace HessianSpectrum;

/// <summary>
/// The Hessian of the training loss with respect to every parameter of the classifier, as the
/// symmetric operator v ↦ H v that the curvature tools read. This class is the only place that
/// knows how H v is computed.
/// </summary>
public sealed class LossHessian
{
    readonly MixtureClassifier _model;
    readonly Tensor _points;
    readonly Tensor _labels;
    readonly Tensor[] _parameters;

    public LossHessian(MixtureClassifier model, Tensor points, Tensor labels)
    {
        _model = model;
        _points = points;
        _labels = labels;
        _parameters = model.parameters().Cast<Tensor>().ToArray();
        Layout = ParameterLayout.Of(model);
        Operator = SymmetricOperator.OverParameters(Layout, HessianVectorProduct);
    }

    /// <summary>Where each parameter sits in the flat vector the operator acts on.</summary>
    public ParameterLayout Layout { get; }

    /// <summary>H as an operator on flat parameter vectors.</summary>
    public SymmetricOperator Operator { get; }

    /// <summary>The training loss: mean cross-entropy over the whole training set.</summary>
    public double Loss()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return cross_entropy(_model.Forward(_points), _labels).ToDouble();
    }

    // H v of the loss from the products Leibniz generates at build time, no tape involved: the model's tangent and
    // pullback for Jᵀ·H_ℓ·J·v, its H·v weighted by the loss's gradient for the network's own curvature, and the loss's
    // generated gradient and H·v in the logits. The parameters come in the order the model registers them (w1, b1, …, b3).
    IReadOnlyList<Tensor> HessianVectorProduct(IReadOnlyList<Tensor> direction)
        => _model.ForwardLossHessianVectorProduct(_points, direction,
            logits =>
            {
                TrainingLoss.OfWithGradient(logits, _labels, out var gradient);
                return gradient!;
            },
            (logits, u) =>
            {
                TrainingLoss.OfHessianVectorProduct(logits, _labels, u, out _, out var product);
                return product!;
            });
}
