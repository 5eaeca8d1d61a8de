using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Benchmarks.Implicit;

/// <summary>
/// The gradient of ⟨c, x*(θ)⟩ after K solver iterations, implicit against unrolled, on ridge, lasso and a deep
/// equilibrium layer (<see cref="ImplicitCase"/>). The forward solve alone is the baseline; unrolling's backward alone
/// is <see cref="UnrolledValueAndGradient"/> less <see cref="UnrolledRecordedForward"/>, the implicit backward alone is
/// timed directly at a solution computed in setup. Every arm disposes what it made, so iterations do not pile up tensors.
/// </summary>
public class ImplicitLayerBenchmarks
{
    ImplicitCase _case = null!;
    Tensor[] _leaves = [];
    Tensor _solution = null!;

    [Params("ridge", "lasso", "deq")]
    public string Problem { get; set; } = "ridge";

    [Params(10, 100, 1000)]
    public int K { get; set; }

    /// <summary>Builds the problem and refuses to time an implicit gradient that disagrees with the oracle where the solver converged.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _case = ImplicitCase.Create(Problem);
        _leaves = _case.Leaves();
        using (no_grad()) _solution = _case.Solve(_case.Inputs, K);
        if (K == 1000)
        {
            using var scope = NewDisposeScope();
            var error = ImplicitCase.RelativeError(_case.BackwardAt(_case.Inputs, K, _solution, _case.Seed), _case.Oracle());
            if (!(error <= 1e-6)) throw new InvalidOperationException($"{Problem}: the implicit gradient is {error:E2} off the oracle at K = {K}");
        }
    }

    /// <summary>The solver's K iterations with no tape: what a value costs.</summary>
    [Benchmark(Baseline = true)]
    public double ForwardSolve()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return _case.Solve(_case.Inputs, K).sum().ToDouble();
    }

    /// <summary>The generated backward alone (<c>ApplyPullbackAt</c>): one linear solve with the map's pullback.</summary>
    [Benchmark]
    public double ImplicitBackward()
    {
        using var scope = NewDisposeScope();
        return _case.BackwardAt(_case.Inputs, K, _solution, _case.Seed)[^1]!.sum().ToDouble();
    }

    /// <summary><c>Apply</c> then the gradient through autograd: solve, check the solution, implicit backward.</summary>
    [Benchmark]
    public double ImplicitValueAndGradient()
    {
        using var scope = NewDisposeScope();
        return _case.Gradient(_case.Apply(_leaves, K), _leaves)[^1].sum().ToDouble();
    }

    /// <summary>The K iterations recorded by autograd, not differentiated.</summary>
    [Benchmark]
    public double UnrolledRecordedForward()
    {
        using var scope = NewDisposeScope();
        return _case.Unrolled(_leaves, K).sum().ToDouble();
    }

    /// <summary>The K iterations recorded by autograd, then backpropagated through.</summary>
    [Benchmark]
    public double UnrolledValueAndGradient()
    {
        using var scope = NewDisposeScope();
        return _case.Gradient(_case.Unrolled(_leaves, K), _leaves)[^1].sum().ToDouble();
    }
}
