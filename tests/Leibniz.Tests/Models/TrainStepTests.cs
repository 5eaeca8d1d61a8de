using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;
using static Leibniz.Tests.Differentiation.TensorOracle;

namespace Leibniz.Tests.Models;

/// <summary>
/// The generated <c>TrainStep</c>: one step with the model off the tape must leave the parameters where the same
/// optimizer leaves them after <c>loss.backward()</c> on TorchSharp's tape, and refuse what it cannot use.
/// </summary>
public sealed class TrainStepTests
{
    public TrainStepTests() => manual_seed(71);

    static GeneratedMlp CopyOf(GeneratedMlp model)
    {
        var copy = new GeneratedMlp(3, 6, 2);
        var source = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in copy.named_parameters()) parameter.copy_(source[name]);
        return copy;
    }

    [Theory]
    [InlineData("SGD")]
    [InlineData("Adam")]
    public void Three_steps_leave_the_parameters_where_the_tape_s_steps_leave_them(string optimizerName)
    {
        using var stepped = new GeneratedMlp(3, 6, 2);
        using var taped = CopyOf(stepped);
        using var x = randn(5, 3, dtype: ScalarType.Float64);
        using var target = randn(5, 2, dtype: ScalarType.Float64);
        optim.Optimizer Make(nn.Module model) => optimizerName == "SGD" ? optim.SGD(model.parameters(), 0.1) : optim.Adam(model.parameters(), 0.01);
        using var steppedOptimizer = Make(stepped);
        using var tapedOptimizer = Make(taped);

        for (var step = 0; step < 3; step++)
        {
            var value = stepped.TrainStep(x, target, (output, y) => mse_loss(output, y), steppedOptimizer);

            tapedOptimizer.zero_grad();
            var loss = mse_loss(taped.Reference(x), target);
            loss.backward();
            tapedOptimizer.step();
            Assert.Equal(loss.ToDouble(), value, 12);
        }

        // Adam divides by the root of the squared gradient's average: where a gradient is near zero, rounding differences
        // of 1e-17 between two exact backwards become differences of its normalised step, so it is held to 1e-8.
        var expected = taped.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var tolerance = optimizerName == "SGD" ? 1e-12 : 1e-8;
        foreach (var (name, parameter) in stepped.named_parameters())
        {
            var difference = (expected[name] - parameter.detach()).abs().max().ToDouble();
            Assert.True(expected[name].allclose(parameter.detach(), rtol: 1e-10, atol: tolerance), $"{name}: largest difference {difference:E2}");
        }
    }

    [Fact]
    public void The_learning_rate_overload_steps_as_plain_SGD_does()
    {
        using var stepped = new GeneratedMlp(3, 6, 2);
        using var taped = CopyOf(stepped);
        using var x = randn(5, 3, dtype: ScalarType.Float64);
        using var labels = randint(0, 2, new long[] { 5 });
        using var optimizer = optim.SGD(taped.parameters(), 0.1);

        for (var step = 0; step < 3; step++)
        {
            var value = stepped.TrainStep(x, labels, (output, y) => cross_entropy(output, y), 0.1);

            optimizer.zero_grad();
            var loss = cross_entropy(taped.Reference(x), labels);
            loss.backward();
            optimizer.step();
            Assert.Equal(loss.ToDouble(), value, 12);
        }

        var expected = taped.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in stepped.named_parameters()) AssertClose(expected[name], parameter.detach(), name);
    }

    [Fact]
    public void A_tuple_input_model_takes_its_tuple()
    {
        using var model = new TwoStreams(3);
        using var first = randn(4, 3, dtype: ScalarType.Float64);
        using var second = randn(4, 3, dtype: ScalarType.Float64);
        using var target = randn(4, 3, dtype: ScalarType.Float64);
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        model.zero_grad();
        mse_loss(model.Reference(first, second), target).backward();
        var gradients = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());

        using var optimizer = optim.SGD(model.parameters(), 0.5);
        model.TrainStep((first, second), target, (output, y) => mse_loss(output, y), optimizer);

        foreach (var (name, parameter) in model.named_parameters()) AssertClose(before[name] - 0.5 * gradients[name], parameter.detach(), name);
    }

    [Fact]
    public void What_it_cannot_use_is_refused_with_the_reason()
    {
        using var model = new GeneratedMlp(3, 6, 2);
        using var x = randn(5, 3, dtype: ScalarType.Float64);
        using var target = randn(5, 2, dtype: ScalarType.Float64);
        using var optimizer = optim.SGD(model.parameters(), 0.1);

        Assert.Throws<ArgumentNullException>(() => model.TrainStep(x, target, (o, y) => mse_loss(o, y), null!));
        Assert.Throws<ArgumentNullException>(() => model.TrainStep(x, target, null!, optimizer));
        Assert.Throws<ArgumentNullException>(() => model.TrainStep(x, null!, (o, y) => mse_loss(o, y), optimizer));
        var notScalar = Assert.Throws<ArgumentException>(() => model.TrainStep(x, target, (o, y) => (o - y).pow(2), optimizer));
        Assert.Contains("scalar", notScalar.Message);
        var unread = Assert.Throws<ArgumentException>(() => model.TrainStep(x, target, (_, y) => y.sum(), optimizer));
        Assert.Contains("does not depend on the model's output", unread.Message);
    }
}
