using System.Diagnostics;
using System.Globalization;
using Leibniz.Implicit;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Benchmarks.Implicit;

/// <summary>
/// What BenchmarkDotNet does not measure: each route's gradient error against the oracle, the peak memory of a
/// value-and-gradient as K grows, and what a caller gets from an unconverged solver. Memory is the process's peak
/// resident set (VmHWM) above its resident set just before the call, each configuration in a fresh child process:
/// TorchSharp's live-tensor statistics count .NET handles only, not the tensors autograd's graph saves natively.
/// </summary>
static class ImplicitReport
{
    const string MemoryMode = "--memory";
    static readonly int[] s_iterations = { 10, 100, 1000 };

    public static int Run(string[] args)
    {
        if (args.Length == 4 && args[0] == MemoryMode) return MeasureMemory(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture));

        Console.WriteLine("Gradient of <c, x*> after K solver iterations, float64; errors are ||g - g_oracle|| / ||g_oracle|| over all inputs.");
        Console.WriteLine("'implicit' is Apply + autograd (the solution is checked); 'at iterate' is the generated backward at the K-th iterate with no check,");
        Console.WriteLine("what ResidualTolerance = +inf gives. Peak memory: VmHWM above VmRSS before one value-and-gradient, fresh process each.");
        Console.WriteLine();
        Console.WriteLine($"{"problem",-7} {"K",5} {"iterate err",12} {"implicit",12} {"at iterate",12} {"unrolled",12} {"peak MiB impl",14} {"peak MiB unrl",14}");
        foreach (var name in ImplicitCase.Names)
        {
            var problem = ImplicitCase.Create(name);
            var oracle = problem.Oracle();
            Tensor reference;
            using (no_grad()) reference = problem.Solve(problem.Inputs, 20_000);
            foreach (var k in s_iterations)
            {
                using var scope = NewDisposeScope();
                Tensor iterate;
                using (no_grad()) iterate = problem.Solve(problem.Inputs, k);
                var iterateError = (iterate - reference).norm().ToDouble() / reference.norm().ToDouble();

                string implicitError;
                try
                {
                    var leaves = problem.Leaves();
                    implicitError = Format(ImplicitCase.RelativeError(problem.Gradient(problem.Apply(leaves, k), leaves), oracle));
                }
                catch (ImplicitLayerException)
                {
                    implicitError = "raises";
                }

                var atIterate = ImplicitCase.RelativeError(problem.BackwardAt(problem.Inputs, k, iterate, problem.Seed), oracle);
                var unrolledLeaves = problem.Leaves();
                var unrolled = ImplicitCase.RelativeError(problem.Gradient(problem.Unrolled(unrolledLeaves, k), unrolledLeaves), oracle);
                Console.WriteLine(
                    $"{name,-7} {k,5} {Format(iterateError),12} {implicitError,12} {Format(atIterate),12} {Format(unrolled),12} "
                    + $"{Child(name, "implicit", k),14} {Child(name, "unrolled", k),14}");
            }
        }

        Console.WriteLine();
        Unconverged();
        return 0;
    }

    /// <summary>Ridge after 10 steps: the default layer against the one with the solution check off.</summary>
    static void Unconverged()
    {
        var problem = ImplicitCase.Create("ridge");
        var oracle = problem.Oracle();
        Console.WriteLine("Unconverged solver (ridge, K = 10):");
        try
        {
            var leaves = problem.Leaves();
            problem.Gradient(problem.Apply(leaves, 10), leaves);
            Console.WriteLine("  default ResidualTolerance (1e-6): returned a gradient");
        }
        catch (ImplicitLayerException error)
        {
            Console.WriteLine($"  default ResidualTolerance (1e-6): ImplicitLayerException: {error.Message}");
        }

        var unchecked_ = problem.Leaves();
        var gradient = problem.Gradient(problem.UncheckedApply!(unchecked_, 10), unchecked_);
        Console.WriteLine($"  ResidualTolerance = +inf: gradient returned silently, relative error {Format(ImplicitCase.RelativeError(gradient, oracle))}");
    }

    static string Format(double value) => value.ToString("0.00E+00", CultureInfo.InvariantCulture);

    /// <summary>Runs one configuration's memory measurement in a fresh process, so no earlier allocation raises its peak.</summary>
    static string Child(string problem, string route, int k)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true };
        // Under `dotnet Leibniz.Benchmarks.dll` the process is the host, which needs the assembly first.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(ImplicitReport).Assembly.Location);
        foreach (var argument in new[] { "implicit-report", MemoryMode, problem, route, k.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("peak ", StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null) return $"failed: {errors.Split('\n').FirstOrDefault()}";
        var bytes = long.Parse(line["peak ".Length..].Trim(), CultureInfo.InvariantCulture);
        return (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);
    }

    static int MeasureMemory(string name, string route, int k)
    {
        var problem = ImplicitCase.Create(name);
        void ValueAndGradient(int iterations)
        {
            using var scope = NewDisposeScope();
            var leaves = problem.Leaves();
            // At an unconverged K the checked layer raises, so the implicit side is measured with the check's cost but not
            // its verdict: the generated backward at the iterate, after the solve, is what Apply's backward runs.
            if (route == "implicit")
            {
                Tensor solution;
                using (no_grad()) solution = problem.Solve(problem.Inputs, iterations);
                problem.BackwardAt(problem.Inputs, iterations, solution, problem.Seed);
            }
            else
            {
                problem.Gradient(problem.Unrolled(leaves, iterations), leaves);
            }
        }

        // Warm up kernels and allocator arenas at the smallest K, then measure from a reset peak.
        ValueAndGradient(10);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        File.WriteAllText("/proc/self/clear_refs", "5");
        var before = Status("VmRSS");
        ValueAndGradient(k);
        Console.WriteLine($"peak {Math.Max(0, Status("VmHWM") - before)}");
        return 0;
    }

    /// <summary>A line of /proc/self/status in bytes.</summary>
    static long Status(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
