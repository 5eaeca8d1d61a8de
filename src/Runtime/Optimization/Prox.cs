using System;
using Leibniz.Generated;
using static TorchSharp.torch;

namespace Leibniz.Optimization;

/// <summary>
/// Proximal operators prox_{g}(x) = argmin_z ½‖z − x‖² + g(z), the building block of proximal-gradient fixed points
/// such as <c>w = Prox.Lasso(w − η∇f(w), λη)</c> in an implicit layer. Each operator has a hand-written pullback
/// (<see cref="DerivativeAttribute"/>) and tangent (<see cref="TangentAttribute"/>), so generated derivatives of a
/// caller differentiate through it with respect to the input and every hyperparameter.
/// </summary>
/// <remarks>
/// Hyperparameters are tensors: a 0-dim scalar, or any shape that broadcasts against <c>x</c> without enlarging it
/// (one threshold per coordinate, say), so that gradients reach them for hyperparameter optimisation. Results have
/// the dtype and device of the inputs. The operators are piecewise smooth; at a kink the derivative is the one-sided
/// one that the closed form's comparison selects, stated on each operator.
/// </remarks>
public static class Prox
{
    const string ThresholdRemedy = "Pass a threshold ≥ 0 (a step size times a regularisation weight).";

    // ───────────────────────────── Lasso ─────────────────────────────

    /// <summary>
    /// The prox of t‖·‖₁, soft thresholding: sign(x)·max(|x| − t, 0). Used in the proximal-gradient (ISTA) fixed point
    /// of ℓ₁-regularised problems.
    /// </summary>
    /// <param name="x">The point, any shape.</param>
    /// <param name="t">The threshold, ≥ 0: a 0-dim scalar or a tensor broadcasting against <paramref name="x"/>.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>
    /// Derivatives: ∂/∂x = 1 and ∂/∂t = −sign(x) where |x| &gt; t, both 0 elsewhere. At |x| = t the entry counts as
    /// thresholded to zero (derivatives 0), as the strict comparison in the closed form has it.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> has a negative entry.</exception>
    /// <exception cref="ArgumentException"><paramref name="t"/> does not broadcast to <paramref name="x"/>'s shape.</exception>
    public static Tensor Lasso(Tensor x, Tensor t)
    {
        CheckThreshold(x, t, nameof(t), "threshold");
        return Soft(x, t);
    }

    /// <summary>The pullback of <see cref="Lasso"/>: adds seed·∂/∂x into <paramref name="dx"/> and seed·∂/∂t (summed over broadcasting) into <paramref name="dt"/>; returns the value.</summary>
    /// <param name="x">The point.</param>
    /// <param name="t">The threshold.</param>
    /// <param name="seed">The adjoint of the result, of its shape.</param>
    /// <param name="dx">The adjoint of <paramref name="x"/> (null: zero so far).</param>
    /// <param name="dt">The adjoint of <paramref name="t"/> (null: zero so far).</param>
    [Derivative(Of = nameof(Lasso))]
    public static Tensor LassoPullback(Tensor x, Tensor t, Tensor seed, ref Tensor? dx, ref Tensor? dt)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var value = Lasso(x, t);
        var active = Active(x, t);
        dx = Adjoints.Add(dx, Broadcasting.SumToShapeOf(seed * active, x));
        dt = Adjoints.Add(dt, Broadcasting.SumToShapeOf(-(seed * x.sign() * active), t));
        return value;
    }

    /// <summary>The tangent of <see cref="Lasso"/>: 1[|x| &gt; t]·(ẋ − sign(x)·ṫ).</summary>
    /// <param name="x">The point.</param>
    /// <param name="t">The threshold.</param>
    /// <param name="dx">The tangent of <paramref name="x"/>.</param>
    /// <param name="dt">The tangent of <paramref name="t"/>.</param>
    [Tangent(Of = nameof(Lasso))]
    public static Tensor LassoTangent(Tensor x, Tensor t, Tensor dx, Tensor dt)
    {
        CheckThreshold(x, t, nameof(t), "threshold");
        return Active(x, t) * (dx - x.sign() * dt);
    }

    // ─────────────────────────── Elastic net ───────────────────────────

    /// <summary>
    /// The prox of l1‖·‖₁ + (l2/2)‖·‖²: soft(x, l1)/(1 + l2). Used in proximal-gradient fixed points of elastic-net
    /// problems (with l1, l2 the weights times the step size).
    /// </summary>
    /// <param name="x">The point, any shape.</param>
    /// <param name="l1">The ℓ₁ weight, ≥ 0, broadcasting against <paramref name="x"/>.</param>
    /// <param name="l2">The squared-ℓ₂ weight, ≥ 0, broadcasting against <paramref name="x"/>.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>
    /// Derivatives where |x| &gt; l1: ∂/∂x = 1/(1 + l2), ∂/∂l1 = −sign(x)/(1 + l2), ∂/∂l2 = −value/(1 + l2); all 0 where
    /// |x| ≤ l1 (so at |x| = l1 too, as for <see cref="Lasso"/>).
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="l1"/> or <paramref name="l2"/> has a negative entry.</exception>
    /// <exception cref="ArgumentException">A weight does not broadcast to <paramref name="x"/>'s shape.</exception>
    public static Tensor ElasticNet(Tensor x, Tensor l1, Tensor l2)
    {
        CheckThreshold(x, l1, nameof(l1), "ℓ₁ weight");
        CheckThreshold(x, l2, nameof(l2), "squared-ℓ₂ weight");
        return Soft(x, l1) / (1 + l2);
    }

    /// <summary>The pullback of <see cref="ElasticNet"/>: adds seed times each partial derivative into the adjoints; returns the value.</summary>
    /// <param name="x">The point.</param>
    /// <param name="l1">The ℓ₁ weight.</param>
    /// <param name="l2">The squared-ℓ₂ weight.</param>
    /// <param name="seed">The adjoint of the result.</param>
    /// <param name="dx">The adjoint of <paramref name="x"/> (null: zero so far).</param>
    /// <param name="dl1">The adjoint of <paramref name="l1"/> (null: zero so far).</param>
    /// <param name="dl2">The adjoint of <paramref name="l2"/> (null: zero so far).</param>
    [Derivative(Of = nameof(ElasticNet))]
    public static Tensor ElasticNetPullback(Tensor x, Tensor l1, Tensor l2, Tensor seed, ref Tensor? dx, ref Tensor? dl1, ref Tensor? dl2)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var value = ElasticNet(x, l1, l2);
        var scaled = seed * Active(x, l1) / (1 + l2);
        dx = Adjoints.Add(dx, Broadcasting.SumToShapeOf(scaled, x));
        dl1 = Adjoints.Add(dl1, Broadcasting.SumToShapeOf(-(scaled * x.sign()), l1));
        dl2 = Adjoints.Add(dl2, Broadcasting.SumToShapeOf(-(seed * value / (1 + l2)), l2));
        return value;
    }

    /// <summary>The tangent of <see cref="ElasticNet"/>: (1[|x| &gt; l1]·(ẋ − sign(x)·l̇1) − value·l̇2)/(1 + l2).</summary>
    /// <param name="x">The point.</param>
    /// <param name="l1">The ℓ₁ weight.</param>
    /// <param name="l2">The squared-ℓ₂ weight.</param>
    /// <param name="dx">The tangent of <paramref name="x"/>.</param>
    /// <param name="dl1">The tangent of <paramref name="l1"/>.</param>
    /// <param name="dl2">The tangent of <paramref name="l2"/>.</param>
    [Tangent(Of = nameof(ElasticNet))]
    public static Tensor ElasticNetTangent(Tensor x, Tensor l1, Tensor l2, Tensor dx, Tensor dl1, Tensor dl2)
    {
        var value = ElasticNet(x, l1, l2);
        return (Active(x, l1) * (dx - x.sign() * dl1) - value * dl2) / (1 + l2);
    }

    // ─────────────────────────── Group lasso ───────────────────────────

    /// <summary>
    /// The prox of t·Σ_g‖x_g‖₂, block soft thresholding: each group x_g becomes max(1 − t/‖x_g‖, 0)·x_g. Used in
    /// proximal-gradient fixed points of group-sparse problems.
    /// </summary>
    /// <param name="x">The groups: a 1-D tensor is one group; a 2-D tensor has one group per row.</param>
    /// <param name="t">The threshold, ≥ 0: a 0-dim scalar, or for a 2-D <paramref name="x"/> of m rows an [m, 1] tensor (one per group).</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>
    /// Derivatives where ‖x_g‖ &gt; t: ∂/∂x_g = (1 − t/‖x_g‖)·I + t·x_g x_gᵀ/‖x_g‖³, ∂/∂t = −x_g/‖x_g‖; both 0 for a group
    /// with ‖x_g‖ ≤ t (so at ‖x_g‖ = t, and for a zero group, which stays zero).
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> has a negative entry.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not 1-D or 2-D, or <paramref name="t"/> has a shape other than those above.</exception>
    public static Tensor GroupLasso(Tensor x, Tensor t)
    {
        var (norm, active) = GroupNorms(x, t);
        return active * (1 - t / norm) * x;
    }

    /// <summary>The pullback of <see cref="GroupLasso"/>: adds seed·∂/∂x into <paramref name="dx"/> and seed·∂/∂t into <paramref name="dt"/>; returns the value.</summary>
    /// <param name="x">The groups.</param>
    /// <param name="t">The threshold.</param>
    /// <param name="seed">The adjoint of the result.</param>
    /// <param name="dx">The adjoint of <paramref name="x"/> (null: zero so far).</param>
    /// <param name="dt">The adjoint of <paramref name="t"/> (null: zero so far).</param>
    [Derivative(Of = nameof(GroupLasso))]
    public static Tensor GroupLassoPullback(Tensor x, Tensor t, Tensor seed, ref Tensor? dx, ref Tensor? dt)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var (norm, active) = GroupNorms(x, t);
        var value = active * (1 - t / norm) * x;
        // The Jacobian is symmetric, so the pullback applies it to the seed.
        var along = (x * seed).sum(-1, keepdim: true);
        dx = Adjoints.Add(dx, active * ((1 - t / norm) * seed + t * along / norm.pow(3) * x));
        dt = Adjoints.Add(dt, Broadcasting.SumToShapeOf(-(active * along / norm), t));
        return value;
    }

    /// <summary>The tangent of <see cref="GroupLasso"/>, per active group: (1 − t/‖x‖)·ẋ + t·x(xᵀẋ)/‖x‖³ − x·ṫ/‖x‖.</summary>
    /// <param name="x">The groups.</param>
    /// <param name="t">The threshold.</param>
    /// <param name="dx">The tangent of <paramref name="x"/>.</param>
    /// <param name="dt">The tangent of <paramref name="t"/>.</param>
    [Tangent(Of = nameof(GroupLasso))]
    public static Tensor GroupLassoTangent(Tensor x, Tensor t, Tensor dx, Tensor dt)
    {
        var (norm, active) = GroupNorms(x, t);
        var along = (x * dx).sum(-1, keepdim: true);
        return active * ((1 - t / norm) * dx + (t * along / norm.pow(3) - dt / norm) * x);
    }

    // ────────────────────────────── Ridge ──────────────────────────────

    /// <summary>
    /// The prox of (t/2)‖·‖²: x/(1 + t). Used in proximal-gradient fixed points with a squared-ℓ₂ (weight-decay) term.
    /// </summary>
    /// <param name="x">The point, any shape.</param>
    /// <param name="t">The weight, ≥ 0, broadcasting against <paramref name="x"/>.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>Smooth: ∂/∂x = 1/(1 + t), ∂/∂t = −x/(1 + t)².</remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> has a negative entry.</exception>
    /// <exception cref="ArgumentException"><paramref name="t"/> does not broadcast to <paramref name="x"/>'s shape.</exception>
    public static Tensor Ridge(Tensor x, Tensor t)
    {
        CheckThreshold(x, t, nameof(t), "weight");
        return x / (1 + t);
    }

    /// <summary>The pullback of <see cref="Ridge"/>: adds seed/(1 + t) into <paramref name="dx"/> and −seed·x/(1 + t)² into <paramref name="dt"/>; returns the value.</summary>
    /// <param name="x">The point.</param>
    /// <param name="t">The weight.</param>
    /// <param name="seed">The adjoint of the result.</param>
    /// <param name="dx">The adjoint of <paramref name="x"/> (null: zero so far).</param>
    /// <param name="dt">The adjoint of <paramref name="t"/> (null: zero so far).</param>
    [Derivative(Of = nameof(Ridge))]
    public static Tensor RidgePullback(Tensor x, Tensor t, Tensor seed, ref Tensor? dx, ref Tensor? dt)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var value = Ridge(x, t);
        var scaled = seed / (1 + t);
        dx = Adjoints.Add(dx, Broadcasting.SumToShapeOf(scaled, x));
        dt = Adjoints.Add(dt, Broadcasting.SumToShapeOf(-(scaled * value), t));
        return value;
    }

    /// <summary>The tangent of <see cref="Ridge"/>: (ẋ − value·ṫ)/(1 + t).</summary>
    /// <param name="x">The point.</param>
    /// <param name="t">The weight.</param>
    /// <param name="dx">The tangent of <paramref name="x"/>.</param>
    /// <param name="dt">The tangent of <paramref name="t"/>.</param>
    [Tangent(Of = nameof(Ridge))]
    public static Tensor RidgeTangent(Tensor x, Tensor t, Tensor dx, Tensor dt)
    {
        var value = Ridge(x, t);
        return (dx - value * dt) / (1 + t);
    }

    // ─────────────────────────── Non-negative ───────────────────────────

    /// <summary>
    /// The prox of the indicator of the non-negative orthant, max(x, 0). Used in projected-gradient fixed points of
    /// non-negativity-constrained problems (NNLS, NMF).
    /// </summary>
    /// <param name="x">The point, any shape.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>∂/∂x = 1 where x &gt; 0, 0 elsewhere (also at x = 0).</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static Tensor NonNegative(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.clamp_min(0);
    }

    /// <summary>The pullback of <see cref="NonNegative"/>: adds seed·1[x &gt; 0] into <paramref name="dx"/>; returns the value.</summary>
    /// <param name="x">The point.</param>
    /// <param name="seed">The adjoint of the result.</param>
    /// <param name="dx">The adjoint of <paramref name="x"/> (null: zero so far).</param>
    [Derivative(Of = nameof(NonNegative))]
    public static Tensor NonNegativePullback(Tensor x, Tensor seed, ref Tensor? dx)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var value = NonNegative(x);
        dx = Adjoints.Add(dx, seed * (x > 0).to_type(x.dtype));
        return value;
    }

    /// <summary>The tangent of <see cref="NonNegative"/>: 1[x &gt; 0]·ẋ.</summary>
    /// <param name="x">The point.</param>
    /// <param name="dx">The tangent of <paramref name="x"/>.</param>
    [Tangent(Of = nameof(NonNegative))]
    public static Tensor NonNegativeTangent(Tensor x, Tensor dx)
    {
        ArgumentNullException.ThrowIfNull(x);
        return (x > 0).to_type(x.dtype) * dx;
    }

    // ───────────────────────────── Helpers ─────────────────────────────

    static Tensor Soft(Tensor x, Tensor t) => x.sign() * (x.abs() - t).clamp_min(0);

    /// <summary>1 where |x| &gt; t, in x's dtype: strict, so that an entry exactly at the threshold is treated as zeroed.</summary>
    static Tensor Active(Tensor x, Tensor t) => (x.abs() > t).to_type(x.dtype);

    static void CheckThreshold(Tensor x, Tensor t, string name, string meaning)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(t, name);
        Guard.BroadcastsTo(t, x.shape, name, $"a 0-dim scalar or a shape broadcasting to x's {Guard.Shape(x)}");
        Guard.NotNegative(t, name, meaning, ThresholdRemedy);
    }

    /// <summary>Each group's norm (keepdim) where the group is active, 1 elsewhere so that divisions stay finite, and the 0/1 activity mask.</summary>
    static (Tensor Norm, Tensor Active) GroupNorms(Tensor x, Tensor t)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(t);
        Guard.Dimensions(x, nameof(x), "a 1-D tensor (one group) or a 2-D tensor (one group per row)", 1, 2);
        var groups = x.dim() == 1 ? 1 : x.shape[0];
        if (!(t.dim() == 0 || (x.dim() == 2 && t.dim() == 2 && t.shape[1] == 1 && (t.shape[0] == groups || t.shape[0] == 1))))
            throw new ArgumentException($"'t' has shape {Guard.Shape(t)}, but a 0-dim scalar{(x.dim() == 2 ? $" or a [{groups}, 1] tensor (one threshold per row)" : "")} is expected.", nameof(t));
        Guard.NotNegative(t, nameof(t), "threshold", ThresholdRemedy);
        var norm = x.norm(-1, keepdim: true);
        var active = norm > t;
        return (where(active, norm, ones_like(norm)), active.to_type(x.dtype));
    }
}
