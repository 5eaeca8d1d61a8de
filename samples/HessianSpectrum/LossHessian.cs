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

    // H v of the loss from the product Leibniz generates for TrainingLoss.Of at build time: reverse mode over its
    // tangent, no tape involved. The parameters come in the order the model registers them (w1, b1, …, b3).
    IReadOnlyList<Tensor> HessianVectorProduct(IReadOnlyList<Tensor> direction)
    {
        using var noGrad = no_grad();
        var p = _parameters;
        var v = direction;
        TrainingLoss.OfHessianVectorProduct(
            p[0], p[1], p[2], p[3], p[4], p[5], _points, _labels,
            v[0], v[1], v[2], v[3], v[4], v[5],
            out _, out _, out _, out _, out _, out _,
            out var h1, out var h2, out var h3, out var h4, out var h5, out var h6);
        return new[] { h1!, h2!, h3!, h4!, h5!, h6! };
    }
}
