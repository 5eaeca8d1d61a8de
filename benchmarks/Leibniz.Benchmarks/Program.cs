using BenchmarkDotNet.Running;
using Leibniz.Benchmarks;
using Leibniz.Benchmarks.Implicit;
using Leibniz.Benchmarks.Rosenbrock;

Console.WriteLine(MallocTuning.Apply());

// Errors, memory and the unconverged case of implicit layers: figures BenchmarkDotNet's timings do not give.
if (args.Length > 0 && args[0] == "implicit-report") return ImplicitReport.Run(args[1..]);

// Check correctness before anything is timed, so a wrong gradient stops the run with a non-zero exit code;
// each benchmark checks again in its [GlobalSetup].
try
{
    GradientCheck.Verify(RosenbrockInput.Create(100));
}
catch (InvalidOperationException error)
{
    Console.Error.WriteLine($"Gradient check failed; nothing was benchmarked.{Environment.NewLine}{error.Message}");
    return 1;
}

BenchmarkSwitcher.FromAssembly(typeof(BenchmarkConfig).Assembly).Run(args, BenchmarkConfig.Create());
return 0;
