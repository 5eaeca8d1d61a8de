using Quickstart;
using SequenceModel;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.DeviceCheck;

/// <summary>
/// Models trained a few SGD steps on a device, in float64: their generated backward (through <c>loss.backward()</c>, and
/// the tape-free <c>Descend</c> where the model has one) against autograd on the plain <c>Forward</c> on the same device,
/// and the device's parameters after the steps against the CPU's.
/// </summary>
public static class ModelChecks
{
    const int Steps = 3;
    const double LearningRate = 0.05;

    public static IEnumerable<Comparison> Run(Device device, double tolerance)
    {
        foreach (var comparison in Check("MLP", device, tolerance, () => new CheckMlp(6, 16, 12, 3, ScalarType.Float64), Inputs(new long[] { 8, 6 }), (CheckMlp m, Tensor x) => m.Forward(x),
                     (m, x, seed, rate) => m.ForwardWithPullback(x).Descend(seed, rate)))
            yield return comparison;
        foreach (var comparison in Check("quickstart's SpiralClassifier", device, tolerance, () => new SpiralClassifier(2, 24, 2), Inputs(new long[] { 16, 2 }), (m, x) => m.Forward(x),
                     (m, x, seed, rate) => m.ForwardWithPullback(x).Descend(seed, rate)))
            yield return comparison;
        foreach (var comparison in Check("SequenceModel's GruClassifier", device, tolerance, () => new GruClassifier(6, 8, 2), Tokens(vocabulary: 6, batch: 4, length: 7), (m, x) => m.Forward(x),
                     (m, x, seed, rate) => m.ForwardWithPullback(x).Descend(seed, rate)))
            yield return comparison;
    }

    static Func<Tensor> Inputs(long[] shape) => () => randn(shape, dtype: ScalarType.Float64);

    // Each sequence keeps a random length of at least 2, padded with 0 after it, as the sample's task does.
    static Func<Tensor> Tokens(int vocabulary, int batch, int length) => () =>
    {
        var tokens = randint(1, vocabulary, new long[] { batch, length });
        var lengths = randint(2, length + 1, new long[] { batch, 1 });
        return tokens.masked_fill(arange(length).unsqueeze(0) >= lengths, 0L);
    };

    static IEnumerable<Comparison> Check<TModel>(string name, Device device, double tolerance, Func<TModel> create, Func<Tensor> draw,
        Func<TModel, Tensor, Tensor> plainForward, Action<TModel, Tensor, Tensor, double> descend)
        where TModel : nn.Module<Tensor, Tensor>
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var input = draw();
        // Four copies of one initialisation: through loss.backward() here and on the CPU, on the tape, and by Descend.
        var onCpu = Made(create, null);
        var generated = Made(create, onCpu).to(device);
        var taped = Made(create, onCpu).to(device);
        var descended = Made(create, onCpu).to(device);
        Tensor target;
        using (no_grad()) target = randn(plainForward(onCpu, input).shape, dtype: ScalarType.Float64);
        var (x, y) = (input.to(device), target.to(device));

        for (var step = 0; step < Steps; step++)
        {
            Sgd(generated, () => mse_loss(generated.call(x), y));
            Sgd(onCpu, () => mse_loss(onCpu.call(input), target));
            Sgd(taped, () => mse_loss(plainForward(taped, x), y));
            using (no_grad())
            {
                var output = descended.call(x);
                descend(descended, x, 2 * (output - y) / output.numel(), LearningRate);
            }
        }

        var expected = taped.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        foreach (var (parameter, value) in generated.named_parameters())
            yield return Comparison.Of(name, $"{parameter} after {Steps} steps through loss.backward(), against the tape", expected[parameter], value, tolerance);
        foreach (var (parameter, value) in descended.named_parameters())
            yield return Comparison.Of(name, $"{parameter} after {Steps} Descend steps, against the tape", expected[parameter], value, tolerance);
        if (device.type == DeviceType.CPU) yield break;
        var cpu = onCpu.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        foreach (var (parameter, value) in generated.named_parameters())
            yield return Comparison.Of(name, $"{parameter} after {Steps} steps, against the CPU's", cpu[parameter], value, tolerance);
    }

    // One initialisation for every copy, in float64: the parameters of the first are copied into the others, which a seed
    // could not promise while other threads draw from the same generator.
    static TModel Made<TModel>(Func<TModel> create, TModel? like) where TModel : nn.Module<Tensor, Tensor>
    {
        var model = create();
        model.to(ScalarType.Float64);
        if (like is null) return model;
        var source = like.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters()) parameter.copy_(source[name]);
        return model;
    }

    static void Sgd(nn.Module<Tensor, Tensor> model, Func<Tensor> loss)
    {
        model.zero_grad();
        loss().backward();
        using var noGrad = no_grad();
        foreach (var parameter in model.parameters())
            if (parameter.grad is { } gradient) parameter.add_(gradient, alpha: -LearningRate);
    }
}
