using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Benchmarks.Implicit;

/// <summary>
/// Ridge at K = 1000 called from generated code: the forward solve alone (baseline), the layer's tape-free
/// <c>ApplyPullback</c> (solve, check, backward) and the generated gradient of a method that calls the layer, whose
/// forward sweep solves through <c>Apply</c> and whose reverse sweep calls <c>ApplyPullback</c>, which solves again.
/// </summary>
public class ImplicitInGeneratedCodeBenchmarks
{
    ImplicitCase _case = null!;

    [Params(1000)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup() => _case = ImplicitCase.Create("ridge");

    [Benchmark(Baseline = true)]
    public double ForwardSolve()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return _case.Solve(_case.Inputs, K).sum().ToDouble();
    }

    [Benchmark]
    public double ApplyPullback()
    {
        using var scope = NewDisposeScope();
        var p = _case.Inputs;
        Tensor? dX = null, dy = null, dlambda = null;
        RidgeGradientDescent.ApplyPullback(p[0], p[1], p[2], _case.StepSize, K, _case.Seed, ref dX, ref dy, ref dlambda);
        return dlambda!.sum().ToDouble();
    }

    [Benchmark]
    public double GeneratedCallerGradient()
    {
        using var scope = NewDisposeScope();
        var p = _case.Inputs;
        GeneratedCallers.RidgeScoreWithGradient(p[0], p[1], p[2], _case.Seed, _case.StepSize, K, out _, out _, out var dlambda, out _);
        return dlambda!.sum().ToDouble();
    }
}
