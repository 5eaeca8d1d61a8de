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

    // H v = ∇(∇L · v) by TorchSharp's tape, differentiated twice (double backward). When Leibniz
    // generates Hessian–vector products, the generated HessianVectorProduct replaces this body.
    // Forward is called directly so the tape records its operations: model.call runs the generated
    // backward through a torch.autograd.Function, which is differentiable once, not twice.
    IReadOnlyList<Tensor> HessianVectorProduct(IReadOnlyList<Tensor> direction)
    {
        var loss = cross_entropy(_model.Forward(_points), _labels);
        // TorchSharp's retain_graph is false by default even with create_graph: the second pass needs the graph.
        var gradient = autograd.grad(new[] { loss }, _parameters, retain_graph: true, create_graph: true);
        var directional = gradient.Zip(direction, (g, v) => (g * v).sum()).Aggregate((a, b) => a + b);
        return autograd.grad(new[] { directional }, _parameters).ToArray();
    }
}
