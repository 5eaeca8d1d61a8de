using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Curvature;

/// <summary>Random vectors with independent ±1 entries, the probes of the stochastic estimators.</summary>
/// <remarks>
/// They are drawn on the CPU from a seeded CPU generator and then moved to the operator's device, so a
/// seed gives the same probes on every device; the cost is one host-to-device copy per probe, small next
/// to the operator product it feeds. Among distributions with E[z zᵀ] = I, Rademacher entries give
/// Hutchinson's estimator its smallest variance, 2 Σ_{i≠j} A_ij² (Hutchinson 1990).
/// </remarks>
internal static class RademacherVectors
{
    /// <summary>A vector of ±1 entries fitting <paramref name="op"/>.</summary>
    public static Tensor Draw(SymmetricOperator op, Generator generator)
    {
        using var scope = NewDisposeScope();
        var bits = randint(2, new[] { op.Dimension }, dtype: op.DType, generator: generator);
        return bits.mul_(2).sub_(1).to(op.Device).MoveToOuterDisposeScope();
    }
}
