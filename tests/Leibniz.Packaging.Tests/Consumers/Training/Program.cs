// A user's program against the packed Leibniz (built by ConsumingProjectTests, not by this
// repository): a [Model] fitted to y = 2·x₀ − x₁ + 0.5·x₂ + 0.25 by SGD. Each result is one
// "KEY value" line for the test to read.
using System.Globalization;
using Leibniz;
using TorchSharp;
using static TorchSharp.torch;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
torch.manual_seed(3);
var x = randn(64, 3);
var y = x.matmul(tensor(new[] { 2f, -1f, 0.5f }).reshape(3, 1)) + 0.25f;

using var model = new Line(inputs: 3, outputs: 1);
Console.WriteLine($"PARAMS {model.parameters().Count()}");
Console.WriteLine($"NAMES {string.Join(",", model.named_parameters().Select(p => p.name))}");
Console.WriteLine($"SHAPES {string.Join(",", model.parameters().Select(p => string.Join("x", p.shape)))}");

using var optimizer = optim.SGD(model.parameters(), 0.1);
var losses = new List<float>();
for (var step = 0; step < 60; step++)
{
    using var scope = NewDisposeScope();
    optimizer.zero_grad();
    var loss = (model.call(x) - y).pow(2).mean();
    loss.backward();
    optimizer.step();
    losses.Add(loss.item<float>());
}

Console.WriteLine($"LOSS_FIRST {losses[0]:R}");
Console.WriteLine($"LOSS_LAST {losses[^1]:R}");
Console.WriteLine($"WEIGHT {string.Join(",", model.Weight.data<float>().Select(w => w.ToString("R")))}");
Console.WriteLine($"BIAS {model.Bias.item<float>():R}");

[Model]
public partial class Line
{
    [Parameter] Tensor weight, bias;

    public Line(int inputs, int outputs)
    {
        weight = randn(outputs, inputs) * 0.1;
        bias = zeros(outputs);
    }

    public Tensor Weight => weight;

    public Tensor Bias => bias;

    public Tensor Forward(Tensor input) => nn.functional.linear(input, weight, bias);
}
