using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.DeviceCheck;

/// <summary>
/// One training step of the benchmarks' MLP on a device, float32, median microseconds: TorchSharp autograd on the plain
/// <c>Forward</c>, the generated backward through <c>loss.backward()</c>, <c>TrainStep</c> with the optimizer and with a
/// learning rate (the loss alone on the tape), and the tape-free <c>Descend</c> (the loss's gradient written out). Timings are
/// reported, never judged: the machine they run on decides them.
/// </summary>
public static class StepTimings
{
    public sealed record Row(string Size, double Autograd, double Bridge, double TrainStep, double TrainStepFused, double Descend);

    public static readonly (int Batch, int Inputs, int Hidden1, int Hidden2, int Outputs)[] Sizes =
    {
        (8, 32, 64, 64, 4),
        (64, 784, 256, 256, 10),
        (256, 784, 1024, 1024, 10),
    };

    public static IEnumerable<Row> Run(Device device, int iterations, int sizes)
    {
        foreach (var (batch, inputs, hidden1, hidden2, outputs) in Sizes.Take(sizes))
        {
            manual_seed(3);
            using var model = new CheckMlp(inputs, hidden1, hidden2, outputs, ScalarType.Float32);
            model.to(device);
            using var x = randn(batch, inputs).to(device);
            using var y = randn(batch, outputs).to(device);
            const double rate = 1e-4;

            void Sgd()
            {
                using var noGrad = no_grad();
                foreach (var parameter in model.parameters())
                    if (parameter.grad is { } gradient) parameter.add_(gradient, alpha: -rate);
            }

            var autograd = Median(device, iterations, () =>
            {
                model.zero_grad();
                mse_loss(model.Forward(x), y).backward();
                Sgd();
            });
            var bridge = Median(device, iterations, () =>
            {
                model.zero_grad();
                mse_loss(model.call(x), y).backward();
                Sgd();
            });
            using var optimizer = optim.SGD(model.parameters(), rate);
            var trainStep = Median(device, iterations, () => model.TrainStep(x, y, (output, target) => mse_loss(output, target), optimizer));
            var fused = Median(device, iterations, () => model.TrainStep(x, y, (output, target) => mse_loss(output, target), rate));
            var descend = Median(device, iterations, () =>
            {
                using var noGrad = no_grad();
                var sweep = model.ForwardWithPullback(x, inputGradient: false);
                var output = sweep.Output;
                sweep.Descend(2 * (output - y) / output.numel(), rate);
            });
            yield return new Row($"{batch} / {inputs}-{hidden1}-{hidden2}-{outputs}", autograd, bridge, trainStep, fused, descend);
        }
    }

    static double Median(Device device, int iterations, Action step)
    {
        for (var i = 0; i < Math.Max(3, iterations / 10); i++) Once(step);
        Synchronize(device);
        var times = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var clock = Stopwatch.StartNew();
            Once(step);
            Synchronize(device);
            times[i] = clock.Elapsed.TotalMilliseconds * 1000;
        }

        Array.Sort(times);
        return times[iterations / 2];
    }

    static void Once(Action step)
    {
        using var scope = NewDisposeScope();
        step();
    }

    static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
    }
}
