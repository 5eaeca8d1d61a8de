using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.DeviceCheck;

/// <summary>
/// The device check: every family's generated derivatives and the models' training steps on a device against autograd
/// there and against the CPU, then the MLP step's timings. Exit code 0 when every comparison passes, 1 when one does
/// not, 2 for bad arguments or a device that is not there.
/// </summary>
public static class DeviceCheckProgram
{
    const double Tolerance = 1e-9;

    public const string Usage = "usage: Leibniz.DeviceCheck [--device cpu|cuda|auto] [--quick]";

    public static int Run(string[] args, TextWriter output)
    {
        var deviceName = "auto";
        var quick = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--device" when i + 1 < args.Length:
                    deviceName = args[++i];
                    break;
                case "--quick":
                    quick = true;
                    break;
                default:
                    output.WriteLine($"unknown argument '{args[i]}'. {Usage}");
                    return 2;
            }
        }

        var cudaAvailable = cuda.is_available();
        if (deviceName is not ("cpu" or "cuda" or "auto"))
        {
            output.WriteLine($"unknown device '{deviceName}'. {Usage}");
            return 2;
        }

        if (deviceName == "cuda" && !cudaAvailable)
        {
            output.WriteLine("--device cuda: CUDA is not available to this libtorch (is LD_LIBRARY_PATH pointing at a CUDA build's lib folder?).");
            return 2;
        }

        var device = deviceName == "cpu" || (deviceName == "auto" && !cudaAvailable) ? CPU : CUDA;
        output.WriteLine($"Leibniz device check on {device.type}{(device.type == DeviceType.CUDA ? $" ({cuda.device_count()} device(s))" : "")}; libtorch {__version__}; float64, tolerance {Tolerance:E0} relative to each reference's largest magnitude");
        output.WriteLine();

        var comparisons = FamilyChecks.Run(device, Tolerance).Concat(ModelChecks.Run(device, Tolerance)).ToList();
        var width = comparisons.Max(c => c.Check.Length + c.What.Length) + 3;
        foreach (var comparison in comparisons)
            output.WriteLine($"{(comparison.Passed ? "ok  " : "FAIL")}  {(comparison.Check + ": " + comparison.What).PadRight(width)} {comparison.Difference:E2}");
        var failed = comparisons.Count(c => !c.Passed);
        output.WriteLine();
        output.WriteLine($"{comparisons.Count - failed} of {comparisons.Count} comparisons passed");

        output.WriteLine();
        output.WriteLine($"MLP training step on {device.type}, float32, median µs (ratio to autograd):");
        output.WriteLine($"{"batch / sizes",-26} {"autograd",10} {"loss.backward()",19} {"TrainStep(opt)",19} {"TrainStep(lr)",19} {"Descend",19}");
        foreach (var row in StepTimings.Run(device, quick ? 10 : 200, quick ? 1 : StepTimings.Sizes.Length))
            output.WriteLine($"{row.Size,-26} {row.Autograd,10:F1} {Cell(row.Bridge, row.Autograd)} {Cell(row.TrainStep, row.Autograd)} {Cell(row.TrainStepFused, row.Autograd)} {Cell(row.Descend, row.Autograd)}");

        return failed == 0 ? 0 : 1;
    }

    static string Cell(double time, double baseline) => $"{time,10:F1} ({time / baseline,5:F2})";
}
