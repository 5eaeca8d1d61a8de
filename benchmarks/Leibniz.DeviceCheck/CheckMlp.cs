using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.DeviceCheck;

/// <summary>The benchmarks' MLP: two hidden ReLU layers, trained through its generated backward and timed on the device.</summary>
[Model]
public partial class CheckMlp
{
    [Parameter] Tensor w1, b1, w2, b2, w3, b3;

    public CheckMlp(int inputs, int hidden1, int hidden2, int outputs, ScalarType dtype)
    {
        w1 = randn(hidden1, inputs, dtype: dtype) * Math.Sqrt(2.0 / inputs);
        b1 = zeros(hidden1, dtype: dtype);
        w2 = randn(hidden2, hidden1, dtype: dtype) * Math.Sqrt(2.0 / hidden1);
        b2 = zeros(hidden2, dtype: dtype);
        w3 = randn(outputs, hidden2, dtype: dtype) * Math.Sqrt(1.0 / hidden2);
        b3 = zeros(outputs, dtype: dtype);
    }

    [Differentiable]
    public Tensor Forward(Tensor x) => linear(relu(linear(relu(linear(x, w1, b1)), w2, b2)), w3, b3);
}
