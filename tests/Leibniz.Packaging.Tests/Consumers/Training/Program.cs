// A user's program against the packed Leibniz (built by ConsumingProjectTests, not by this
// repository): a [Model] fitted to y = 2·x₀ − x₁ + 0.5·x₂ + 0.25 by SGD. Each result is one
// "KEY value" line for the test to read. A second model takes two inputs as a tuple and calls an nn.Linear it holds.
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

// A [Differentiable] Forward over two inputs, calling a TorchSharp module: its generated backward against TorchSharp's tape, in float64.
using var gated = new Gated(3);
var features = randn(8, 3, dtype: ScalarType.Float64).requires_grad_();
var gate = randn(8, 3, dtype: ScalarType.Float64);
gated.call((features, gate)).pow(2).sum().backward();
var generated = gated.parameters().Select(p => p.grad!.clone()).Append(features.grad!.clone()).ToList();
gated.zero_grad();
features.grad = null;
gated.Reference(features, gate).pow(2).sum().backward();
var taped = gated.parameters().Select(p => p.grad!).Append(features.grad!).ToList();
Console.WriteLine($"GATED_GRADIENT_DIFFERENCE {generated.Zip(taped, (a, b) => (a - b).abs().max().item<double>()).Max():R}");

// An implicit layer: ridge weights by a closed-form solver, their gradient in λ by the implicit function theorem (through
// autograd, and through a [Differentiable] method calling the solver) against autograd through the closed form.
var design = randn(20, 4, dtype: ScalarType.Float64);
var observed = randn(20, dtype: ScalarType.Float64);
var lambda = tensor(0.5, dtype: ScalarType.Float64).requires_grad_();
Ridge.Apply(design, observed, lambda).sum().backward();
var viaAutograd = lambda.grad!.item<double>();
Tuning.TotalWithGradient(design, observed, lambda.detach(), out _, out _, out var dLambda);
var closedLambda = tensor(0.5, dtype: ScalarType.Float64).requires_grad_();
Ridge.Solve(design, observed, closedLambda).sum().backward();
var oracle = closedLambda.grad!.item<double>();
Console.WriteLine($"IMPLICIT_GRADIENT_DIFFERENCE {Math.Max(Math.Abs(viaAutograd - oracle), Math.Abs(dLambda!.item<double>() - oracle)):R}");

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

[Model]
public partial class Gated
{
    [Parameter] Tensor mix;
    TorchSharp.Modules.Linear projection;

    public Gated(int features)
    {
        mix = randn(features, features, dtype: ScalarType.Float64);
        projection = nn.Linear(features, features, dtype: ScalarType.Float64);
    }

    [Differentiable]
    public Tensor Forward((Tensor Features, Tensor Gate) input)
    {
        var (features, gate) = input;
        return projection.call(nn.functional.linear(features, mix).tanh()) * nn.functional.sigmoid(gate);
    }

    public Tensor Reference(Tensor features, Tensor gate) => projection.call(nn.functional.linear(features, mix).tanh()) * nn.functional.sigmoid(gate);
}

[ImplicitLayer]
public static partial class Ridge
{
    [Solver]
    public static Tensor Solve(Tensor X, Tensor y, Tensor lambda)
        => linalg.solve(X.T.matmul(X) + lambda * eye(X.shape[1], dtype: X.dtype), X.T.matmul(y));

    [OptimalityCondition]
    public static Tensor Condition(Tensor w, Tensor X, Tensor y, Tensor lambda) => X.T.matmul(X.matmul(w) - y) + lambda * w;
}

public static partial class Tuning
{
    [Differentiable]
    public static Tensor Total(Tensor X, Tensor y, Tensor lambda) => Ridge.Solve(X, y, lambda).sum();
}
