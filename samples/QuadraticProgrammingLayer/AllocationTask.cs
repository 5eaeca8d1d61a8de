using static TorchSharp.torch;

namespace QuadraticProgrammingLayer;

/// <summary>
/// A portfolio-like allocation task: each example's features f set hidden asset costs c = W_true f, and its target is
/// the allocation that minimises ½ xᵀQx + cᵀx over the simplex for a fixed risk matrix Q.
/// </summary>
public sealed class AllocationTask : IDisposable
{
    /// <summary>The risk matrix: volatilities σ with correlation ρ^|i−j| between assets i and j, positive definite for |ρ| &lt; 1.</summary>
    public Tensor Q { get; }

    /// <summary>1/λ_max(Q): the largest step for which projected gradient descent on the problem is a contraction.</summary>
    public double StepSize { get; }

    readonly Tensor trueWeights;

    /// <summary>Draws the hidden cost map for <paramref name="assets"/> assets and <paramref name="features"/> features.</summary>
    public AllocationTask(int assets, int features, double correlation, int seed)
    {
        using var generator = new Generator((ulong)seed);
        var volatility = 0.8 + 0.6 * rand(assets, dtype: ScalarType.Float64, generator: generator);
        var distance = (arange(assets).unsqueeze(1) - arange(assets).unsqueeze(0)).abs().to(ScalarType.Float64);
        Q = volatility.unsqueeze(1) * volatility.unsqueeze(0) * pow(correlation, distance);
        StepSize = 1.0 / linalg.eigvalsh(Q).max().item<double>();
        // Costs of order one against risks of order one put the optimal allocations on faces of the simplex holding two or
        // three assets on average: neither mostly vertices (where ∂x*/∂c vanishes and the decision ignores cost errors)
        // nor mostly interior (where the constraint hardly matters).
        trueWeights = randn(assets, features, dtype: ScalarType.Float64, generator: generator) * 0.3;
    }

    /// <summary>Draws <paramref name="count"/> examples: features (N×F) and optimal allocations (N×A), float64.</summary>
    public (Tensor Features, Tensor Allocations) Generate(int count, int seed)
    {
        using var generator = new Generator((ulong)seed);
        var features = randn(count, trueWeights.shape[1], dtype: ScalarType.Float64, generator: generator);
        using var noGrad = no_grad();
        using var stepSize = tensor(StepSize, dtype: ScalarType.Float64);
        return (features, SimplexQuadraticProgram.Solve(features.matmul(trueWeights.T), Q, stepSize));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Q.Dispose();
        trueWeights.Dispose();
    }
}
