using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Benchmarks.Mlp;

/// <summary>The benchmarked network: two hidden ReLU layers; its backward is generated.</summary>
[Model]
public partial class BenchmarkMlp
{
    [Parameter] Tensor w1, b1, w2, b2, w3, b3;

    public BenchmarkMlp(int inputs, int hidden1, int hidden2, int outputs)
    {
        (w1, b1) = Layer(inputs, hidden1);
        (w2, b2) = Layer(hidden1, hidden2);
        (w3, b3) = Layer(hidden2, outputs);
    }

    [Differentiable]
    public Tensor Forward(Tensor x)
    {
        var h1 = relu(linear(x, w1, b1));
        var h2 = relu(linear(h1, w2, b2));
        return linear(h2, w3, b3);
    }

    static (Tensor Weight, Tensor Bias) Layer(int inputs, int outputs)
        => (randn(outputs, inputs) * Math.Sqrt(2.0 / inputs), zeros(outputs));
}
