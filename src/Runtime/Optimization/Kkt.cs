using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Optimization;

/// <summary>
/// Karush–Kuhn–Tucker conditions, to return from an <see cref="OptimalityConditionAttribute">[OptimalityCondition]</see>
/// whose solution stacks the primal point and its multipliers. For min f(x) subject to Ax = b and Gx ≤ h, at a solution
/// (x, ν, μ): ∇f(x) + Aᵀν + Gᵀμ = 0 (stationarity), Ax − b = 0 (primal feasibility), and μ ⊙ (Gx − h) = 0
/// (complementary slackness, which together with μ ≥ 0 and Gx ≤ h, which the solver ensures, is the rest). Written in
/// Leibniz's own DSL, so their pullbacks and tangents are generated: an implicit layer differentiates through them as
/// through any condition. The derivative is the solution's where strict complementarity holds (no constraint active with
/// a zero multiplier).
/// </summary>
public static partial class Kkt
{
    /// <summary>
    /// The KKT residual of an equality-constrained problem, [∇f + Aᵀν; Ax − b], for x of length n, A of shape (m, n), b and ν
    /// of length m.
    /// </summary>
    /// <param name="gradient">∇f at x (the objective's gradient, computed in the condition).</param>
    /// <param name="A">The equality constraints' matrix.</param>
    /// <param name="b">The equality constraints' right-hand side.</param>
    /// <param name="x">The primal point.</param>
    /// <param name="multipliers">ν, one per equality constraint.</param>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static Tensor EqualityConstrained(Tensor gradient, Tensor A, Tensor b, Tensor x, Tensor multipliers)
        => cat(new[] { gradient + A.T.matmul(multipliers), A.matmul(x) - b }, 0);

    /// <summary>
    /// The KKT residual with equality and inequality constraints, [∇f + Aᵀν + Gᵀμ; Ax − b; μ ⊙ (Gx − h)], for G of shape
    /// (p, n) and h, μ of length p (μ ≥ 0 and Gx ≤ h hold at the solver's answer).
    /// </summary>
    /// <param name="gradient">∇f at x.</param>
    /// <param name="A">The equality constraints' matrix (m, n).</param>
    /// <param name="b">The equality constraints' right-hand side.</param>
    /// <param name="G">The inequality constraints' matrix (p, n).</param>
    /// <param name="h">The inequality constraints' bounds.</param>
    /// <param name="x">The primal point.</param>
    /// <param name="equalityMultipliers">ν, one per equality constraint.</param>
    /// <param name="inequalityMultipliers">μ, one per inequality constraint.</param>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static Tensor Constrained(Tensor gradient, Tensor A, Tensor b, Tensor G, Tensor h, Tensor x, Tensor equalityMultipliers, Tensor inequalityMultipliers)
        => cat(new[]
        {
            gradient + A.T.matmul(equalityMultipliers) + G.T.matmul(inequalityMultipliers),
            A.matmul(x) - b,
            inequalityMultipliers * (G.matmul(x) - h),
        }, 0);

    /// <summary>
    /// The KKT residual with inequality constraints only, [∇f + Gᵀμ; μ ⊙ (Gx − h)].
    /// </summary>
    /// <param name="gradient">∇f at x.</param>
    /// <param name="G">The inequality constraints' matrix (p, n).</param>
    /// <param name="h">The inequality constraints' bounds.</param>
    /// <param name="x">The primal point.</param>
    /// <param name="multipliers">μ, one per inequality constraint.</param>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static Tensor InequalityConstrained(Tensor gradient, Tensor G, Tensor h, Tensor x, Tensor multipliers)
        => cat(new[] { gradient + G.T.matmul(multipliers), multipliers * (G.matmul(x) - h) }, 0);
}
