using BenchmarkDotNet.Attributes;
using Leibniz.Benchmarks.Rosenbrock;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Benchmarks.SecondOrder;

/// <summary>
/// The cost of a Hessian–vector product as a multiple of one gradient (the classical bound is about 4; the target
/// here is 3): generated reverse mode over the generated tangent, against the generated gradient, the tangent alone,
/// and for Rosenbrock the hand-derived fused product.
/// </summary>
[MemoryDiagnoser]
public class RosenbrockHessianVectorProductBenchmarks
{
    double[] _x = [];
    double[] _v = [];
    double[] _gradient = [];
    double[] _product = [];

    /// <summary>The dimension.</summary>
    [Params(100)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _x = RosenbrockInput.Create(N);
        var random = new Random(7);
        _v = Enumerable.Range(0, N).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        _gradient = new double[N];
        _product = new double[N];
        SecondOrderCheck.VerifyRosenbrock(_x, _v);
    }

    /// <summary>The generated <c>RosenbrockWithGradient</c>: the unit.</summary>
    [Benchmark(Baseline = true)]
    public double Gradient() => SecondOrderObjectives.RosenbrockWithGradient(_x, _gradient);

    /// <summary>The generated <c>RosenbrockTangent</c>: value and ∇f·v in one forward sweep.</summary>
    [Benchmark]
    public double Tangent() => SecondOrderObjectives.RosenbrockTangent(_x, _v, out _);

    /// <summary>The generated <c>RosenbrockHessianVectorProduct</c>: H·v and the gradient.</summary>
    [Benchmark]
    public double HessianVectorProduct() => SecondOrderObjectives.RosenbrockHessianVectorProduct(_x, _v, _gradient, _product);

    /// <summary>H·v and the gradient derived by hand, in one loop.</summary>
    [Benchmark]
    public double HandWrittenProduct() => HandWrittenHessianVectorProduct.Rosenbrock(_x, _v, _gradient, _product);
}

/// <summary>
/// H·v of a small MLP's loss over its weights: the generated product against the generated gradient, and against
/// what a TorchSharp user writes (double backward with <c>create_graph</c>) and TorchSharp's own gradient.
/// </summary>
[MemoryDiagnoser]
public class MlpHessianVectorProductBenchmarks
{
    Tensor _x = null!;
    Tensor _target = null!;
    Tensor[] _weights = [];
    Tensor[] _directions = [];

    /// <summary>Batch / input-hidden-output.</summary>
    [Params("32/16-32-4")]
    public string Size { get; set; } = "32/16-32-4";

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(2);
        var parts = Size.Split('/');
        var batch = int.Parse(parts[0]);
        var widths = parts[1].Split('-').Select(int.Parse).ToArray();
        manual_seed(3);
        _x = randn(batch, widths[0]);
        _target = randn(batch, widths[2]);
        _weights = new[] { randn(widths[1], widths[0]) * 0.3, randn(widths[1]) * 0.1, randn(widths[2], widths[1]) * 0.3, randn(widths[2]) * 0.1 };
        _directions = _weights.Select(w => randn_like(w)).ToArray();
        SecondOrderCheck.VerifyMlp(_x, _weights, _target, _directions);
    }

    /// <summary>The generated <c>MlpLossWithGradient</c>: the unit.</summary>
    [Benchmark(Baseline = true, Description = "generated gradient")]
    public void GeneratedGradient()
    {
        using var scope = NewDisposeScope();
        SecondOrderObjectives.MlpLossWithGradient(_x, _weights[0], _weights[1], _weights[2], _weights[3], _target, out _, out _, out _, out _);
    }

    [Benchmark(Description = "generated H·v (reverse over tangent)")]
    public void GeneratedHessianVectorProduct()
    {
        using var scope = NewDisposeScope();
        MlpProducts.Generated(_x, _weights, _target, _directions);
    }

    [Benchmark(Description = "TorchSharp autograd gradient")]
    public void AutogradGradient()
    {
        using var scope = NewDisposeScope();
        MlpProducts.AutogradGradient(_x, _weights, _target);
    }

    [Benchmark(Description = "TorchSharp double backward H·v")]
    public void DoubleBackward()
    {
        using var scope = NewDisposeScope();
        MlpProducts.DoubleBackward(_x, _weights, _target, _directions);
    }
}
