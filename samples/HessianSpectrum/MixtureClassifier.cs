using Leibniz;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace HessianSpectrum;

/// <summary>
/// A perceptron with two hidden layers, far more parameters than the problem needs — the
/// over-parametrised regime whose Hessian Sagun et al. studied. [Model] registers its weights;
/// [Differentiable] gives Forward a backward written at build time, which training runs, and (with
/// HessianVectorProduct) the tangent and products the Hessian of its loss is measured with.
/// </summary>
[Model]
public partial class MixtureClassifier
{
    [Parameter] Tensor w1, b1, w2, b2, w3, b3;

    public MixtureClassifier(int inputs, int hidden, int classes)
    {
        (w1, b1) = Layer(inputs, hidden);
        (w2, b2) = Layer(hidden, hidden);
        (w3, b3) = Layer(hidden, classes);
    }

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public Tensor Forward(Tensor x)
    {
        var h1 = relu(linear(x, w1, b1));
        var h2 = relu(linear(h1, w2, b2));
        return linear(h2, w3, b3);
    }

    // He initialisation keeps ReLU activations from shrinking or growing layer by layer.
    static (Tensor Weight, Tensor Bias) Layer(int inputs, int outputs)
        => (randn(outputs, inputs) * Math.Sqrt(2.0 / inputs), zeros(outputs));
}
