using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Tests.Models;

[Model]
public partial class TwoLayer
{
    [Parameter] Tensor w1, b1;
    [Parameter] Tensor w2, b2;
    [Buffer] Tensor scale;
    [Buffer(Persistent = false)] Tensor scratch;

    public TwoLayer(int inputs, int hidden, int outputs)
    {
        w1 = randn(hidden, inputs) * 0.5;
        b1 = zeros(hidden);
        w2 = randn(outputs, hidden) * 0.5;
        b2 = zeros(outputs);
        scale = ones(outputs);
        scratch = zeros(1);
    }

    public Tensor W1 => w1;
    public Tensor Scale => scale;

    public Tensor Forward(Tensor x) => linear(tanh(linear(x, w1, b1)), w2, b2) * scale;

    public void ReplaceFirstWeight(Tensor weight) => w1 = weight;
}

/// <summary>Composition: a [Model] holding another [Model] and a TorchSharp module, one readonly.</summary>
[Model]
public partial class Encoder
{
    readonly TwoLayer body;
    Linear head;
    [Parameter] TorchSharp.Modules.Parameter temperature;

    public Encoder()
    {
        body = new TwoLayer(3, 4, 5);
        head = nn.Linear(5, 2);
        temperature = new TorchSharp.Modules.Parameter(ones(1));
        RegisterComponents();
    }

    public TwoLayer Body => body;

    public Tensor Forward(Tensor x) => head.call(body.call(x)) / temperature;
}

public static partial class Outer
{
    /// <summary>A model nested in a type and taking a tuple input.</summary>
    [Model]
    public partial class Bilinear
    {
        [Parameter] Tensor weight;

        public Bilinear(int size) => weight = eye(size);

        public Tensor Forward((Tensor Left, Tensor Right) input) => (input.Left.matmul(weight) * input.Right).sum(1);
    }
}
