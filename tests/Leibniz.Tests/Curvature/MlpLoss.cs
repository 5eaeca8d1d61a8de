using Leibniz.Curvature;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Tests.Curvature;

/// <summary>
/// The cross-entropy loss of a small float64 tanh network on fixed random data, with its
/// Hessian–vector product and its Hessian formed explicitly — both by TorchSharp's tape,
/// differentiated twice. Formed once and shared by the tests that read it.
/// </summary>
public sealed class MlpLoss : IDisposable
{
    readonly nn.Module<Tensor, Tensor> _model;
    readonly Tensor _inputs;
    readonly Tensor _labels;
    readonly Tensor[] _parameters;

    public MlpLoss()
    {
        using var generator = new Generator(21);
        manual_seed(21);
        // 5·16 + 16 + 16·16 + 16 + 16·3 + 3 = 419 parameters: small enough to form the Hessian.
        _model = nn.Sequential(
            ("hidden1", nn.Linear(5, 16, dtype: ScalarType.Float64)),
            ("tanh1", nn.Tanh()),
            ("hidden2", nn.Linear(16, 16, dtype: ScalarType.Float64)),
            ("tanh2", nn.Tanh()),
            ("output", nn.Linear(16, 3, dtype: ScalarType.Float64)));
        _inputs = randn(new long[] { 40, 5 }, dtype: ScalarType.Float64, generator: generator);
        _labels = randint(3, new long[] { 40 }, dtype: ScalarType.Int64, generator: generator);
        _parameters = _model.parameters().Cast<Tensor>().ToArray();
        Layout = ParameterLayout.Of(_model);
        Hessian = FormHessian();
    }

    public ParameterLayout Layout { get; }

    /// <summary>The Hessian, one row per gradient entry, each row one backward pass through the gradient.</summary>
    public Tensor Hessian { get; }

    /// <summary>The Hessian as an operator that never looks at <see cref="Hessian"/>.</summary>
    public SymmetricOperator Operator => SymmetricOperator.OverParameters(Layout, HessianVectorProduct);

    Tensor[] Gradients()
    {
        var loss = cross_entropy(_model.call(_inputs), _labels);
        // TorchSharp's retain_graph defaults to false even with create_graph: keep the graph for the second pass.
        return autograd.grad(new[] { loss }, _parameters, retain_graph: true, create_graph: true).ToArray();
    }

    /// <summary>H v = ∇(∇L · v).</summary>
    IReadOnlyList<Tensor> HessianVectorProduct(IReadOnlyList<Tensor> direction)
    {
        var directional = Gradients().Zip(direction, (g, v) => (g * v).sum()).Aggregate((a, b) => a + b);
        return autograd.grad(new[] { directional }, _parameters).ToArray();
    }

    Tensor FormHessian()
    {
        using var scope = NewDisposeScope();
        var gradient = Layout.Flatten(Gradients());
        var rows = new Tensor[Layout.Dimension];
        for (var i = 0; i < rows.Length; i++)
        {
            using var row = NewDisposeScope();
            rows[i] = Layout.Flatten(autograd.grad(new[] { gradient[i] }, _parameters, retain_graph: true).ToArray()).MoveToOuterDisposeScope();
        }

        return stack(rows).DetachFromDisposeScope();
    }

    public void Dispose()
    {
        _model.Dispose();
        _inputs.Dispose();
        _labels.Dispose();
        Hessian.Dispose();
    }
}
