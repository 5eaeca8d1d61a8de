using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Benchmarks.Composition;

/// <summary>A dense ReLU layer as a model of its own.</summary>
[Model]
public partial class ReluLayer
{
    [Parameter] Tensor weight, bias;

    public ReluLayer(int inputs, int outputs) => (weight, bias) = (randn(outputs, inputs) * Math.Sqrt(2.0 / inputs), zeros(outputs));

    [Differentiable]
    public Tensor Forward(Tensor x) => relu(linear(x, weight, bias));
}

/// <summary>A dense linear layer as a model of its own.</summary>
[Model]
public partial class LinearLayer
{
    [Parameter] Tensor weight, bias;

    public LinearLayer(int inputs, int outputs) => (weight, bias) = (randn(outputs, inputs) * Math.Sqrt(2.0 / inputs), zeros(outputs));

    [Differentiable]
    public Tensor Forward(Tensor x) => linear(x, weight, bias);
}

/// <summary>The network of <see cref="Mlp.BenchmarkMlp"/>, written as three layer models.</summary>
[Model]
public partial class ComposedMlp
{
    readonly ReluLayer hidden1, hidden2;
    readonly LinearLayer output;

    public ComposedMlp(int inputs, int width1, int width2, int outputs)
    {
        hidden1 = new ReluLayer(inputs, width1);
        hidden2 = new ReluLayer(width1, width2);
        output = new LinearLayer(width2, outputs);
    }

    [Differentiable]
    public Tensor Forward(Tensor x) => output.Forward(hidden2.call(hidden1.Forward(x)));
}
