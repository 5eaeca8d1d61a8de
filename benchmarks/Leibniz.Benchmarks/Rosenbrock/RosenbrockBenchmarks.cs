using BenchmarkDotNet.Attributes;

namespace Leibniz.Benchmarks.Rosenbrock;

/// <summary>
/// The cost of a Rosenbrock gradient, as a multiple of one evaluation of the function: generated reverse
/// mode, the hand-written fused gradient it should approach, and the central differences it replaces.
/// Every arm writes into a buffer allocated once, so the memory column shows what the method itself allocates.
/// </summary>
[MemoryDiagnoser]
public class RosenbrockBenchmarks
{
    static readonly Func<double[], double> s_rosenbrock = Objectives.Rosenbrock;

    double[] _x = [];
    double[] _gradient = [];

    /// <summary>The dimension.</summary>
    [Params(100)]
    public int N { get; set; }

    /// <summary>Builds the point and buffer, and refuses to time a gradient that is wrong or allocates.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _x = RosenbrockInput.Create(N);
        _gradient = new double[N];
        GradientCheck.Verify(_x);
    }

    /// <summary>One evaluation of the plain function: the unit the other arms are measured in.</summary>
    [Benchmark(Baseline = true)]
    public double Function() => Objectives.Rosenbrock(_x);

    /// <summary>The generator's <c>RosenbrockWithGradient</c>: forward sweep pushing loop values on the tape, reverse sweep popping them.</summary>
    [Benchmark]
    public double GeneratedGradient() => Objectives.RosenbrockWithGradient(_x, _gradient);

    /// <summary>The analytic gradient fused into the function's loop: the floor generated code can aim for.</summary>
    [Benchmark]
    public double HandWrittenGradient() => Rosenbrock.HandWrittenGradient.Rosenbrock(_x, _gradient);

    /// <summary>2n evaluations of the function.</summary>
    [Benchmark]
    public double CentralDifferences()
    {
        Rosenbrock.CentralDifferences.Gradient(s_rosenbrock, _x, _gradient);
        return _gradient[0];
    }
}
