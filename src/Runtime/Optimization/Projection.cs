using System;
using Leibniz.Generated;
using static TorchSharp.torch;

namespace Leibniz.Optimization;

/// <summary>
/// Euclidean projections P_C(x) = argmin_{z ∈ C} ‖z − x‖ onto convex sets, the prox of C's indicator: the step of
/// projected-gradient fixed points such as <c>p = Projection.Simplex(p − η∇f(p), s)</c> in an implicit layer. Each has a
/// hand-written pullback (<see cref="DerivativeAttribute"/>) and tangent (<see cref="TangentAttribute"/>) with respect
/// to the point and every parameter of the set.
/// </summary>
/// <remarks>
/// Set parameters are tensors so that gradients reach them; results have the dtype and device of the inputs.
/// Projections are piecewise smooth; at a kink (a point on the boundary of a piece) the derivative is the one-sided
/// one the closed form's comparison selects, stated on each projection. Row-wise projections treat a 2-D
/// <c>x</c> as a batch of points, one per row; a per-row parameter then has shape [m, 1] (radii, sums) or [m] (offsets).
/// </remarks>
public static class Projection
{
    // ───────────────────────────── Simplex ─────────────────────────────

    /// <summary>
    /// Projects each row (last dimension) of <paramref name="x"/> onto the simplex {p ≥ 0, Σp = s}: p = max(x − θ, 0) with
    /// θ chosen so that Σp = s, found by sorting. Used in projected-gradient fixed points over distributions (mixture
    /// weights, attention, portfolio weights).
    /// </summary>
    /// <param name="x">The points: a tensor of at least one dimension, projected along its last.</param>
    /// <param name="s">The sum, &gt; 0: a 0-dim scalar, or one per row with <paramref name="x"/>'s shape but 1 in the last dimension.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>
    /// On the support S = {i : pᵢ &gt; 0}: ∂p/∂x = I − 11ᵀ/|S| restricted to S (zero rows and columns outside it) and
    /// ∂p/∂s = 1/|S| on S. An entry with xᵢ = θ exactly has pᵢ = 0 and counts as outside the support.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="s"/> has an entry ≤ 0.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is 0-dim, or <paramref name="s"/> has a shape other than those above.</exception>
    public static Tensor Simplex(Tensor x, Tensor s)
    {
        CheckSimplex(x, s);
        return SimplexCore(x, s).P;
    }

    /// <summary>The pullback of <see cref="Simplex"/>: adds seed·∂/∂x into <paramref name="dx"/> and seed·∂/∂s into <paramref name="ds"/>; returns the value.</summary>
    /// <param name="x">The points.</param>
    /// <param name="s">The sum.</param>
    /// <param name="seed">The adjoint of the result.</param>
    /// <param name="dx">The adjoint of <paramref name="x"/> (null: zero so far).</param>
    /// <param name="ds">The adjoint of <paramref name="s"/> (null: zero so far).</param>
    [Derivative(Of = nameof(Simplex))]
    public static Tensor SimplexPullback(Tensor x, Tensor s, Tensor seed, ref Tensor? dx, ref Tensor? ds)
    {
        CheckSimplex(x, s);
        ArgumentNullException.ThrowIfNull(seed);
        var (p, support, count) = SimplexCore(x, s);
        // The Jacobian is symmetric: applying it to the seed is the pullback.
        var mean = (support * seed).sum(-1, keepdim: true) / count;
        dx = Adjoints.Add(dx, support * (seed - mean));
        ds = Adjoints.Add(ds, Broadcasting.SumToShapeOf(mean, s));
        return p;
    }

    /// <summary>The tangent of <see cref="Simplex"/>: on the support, ẋ minus its mean over the support, plus ṡ/|S|.</summary>
    /// <param name="x">The points.</param>
    /// <param name="s">The sum.</param>
    /// <param name="dx">The tangent of <paramref name="x"/>.</param>
    /// <param name="ds">The tangent of <paramref name="s"/>.</param>
    [Tangent(Of = nameof(Simplex))]
    public static Tensor SimplexTangent(Tensor x, Tensor s, Tensor dx, Tensor ds)
    {
        CheckSimplex(x, s);
        var (_, support, count) = SimplexCore(x, s);
        return support * (dx - ((support * dx).sum(-1, keepdim: true) - ds) / count);
    }

    // ───────────────────────────── ℓ₂ ball ─────────────────────────────

    /// <summary>
    /// Projects onto the ℓ₂ ball {z : ‖z‖₂ ≤ r}: x when ‖x‖ ≤ r, r·x/‖x‖ otherwise. Used in projected-gradient fixed
    /// points with a norm constraint (trust regions, norm-bounded weights).
    /// </summary>
    /// <param name="x">A vector [n], or a batch [m, n] projected row by row.</param>
    /// <param name="r">The radius, ≥ 0: a 0-dim scalar, or [m, 1] for a batch.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>
    /// Outside: ∂/∂x = (r/‖x‖)(I − xxᵀ/‖x‖²), ∂/∂r = x/‖x‖. Inside, and on the sphere ‖x‖ = r: ∂/∂x = I, ∂/∂r = 0.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="r"/> has a negative entry.</exception>
    /// <exception cref="ArgumentException">A shape other than those above.</exception>
    public static Tensor L2Ball(Tensor x, Tensor r)
    {
        var (norm, outside) = L2Core(x, r);
        return where(outside, r / norm * x, x);
    }

    /// <summary>The pullback of <see cref="L2Ball"/>: adds seed·∂/∂x into <paramref name="dx"/> and seed·∂/∂r into <paramref name="dr"/>; returns the value.</summary>
    /// <param name="x">The points.</param>
    /// <param name="r">The radius.</param>
    /// <param name="seed">The adjoint of the result.</param>
    /// <param name="dx">The adjoint of <paramref name="x"/> (null: zero so far).</param>
    /// <param name="dr">The adjoint of <paramref name="r"/> (null: zero so far).</param>
    [Derivative(Of = nameof(L2Ball))]
    public static Tensor L2BallPullback(Tensor x, Tensor r, Tensor seed, ref Tensor? dx, ref Tensor? dr)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var (norm, outside) = L2Core(x, r);
        var along = (x * seed).sum(-1, keepdim: true);
        dx = Adjoints.Add(dx, where(outside, r / norm * (seed - x * along / norm.square()), seed));
        dr = Adjoints.Add(dr, Broadcasting.SumToShapeOf(outside.to_type(x.dtype) * along / norm, r));
        return where(outside, r / norm * x, x);
    }

    /// <summary>The tangent of <see cref="L2Ball"/>: outside, (r/‖x‖)(ẋ − x(xᵀẋ)/‖x‖²) + x·ṙ/‖x‖; inside, ẋ.</summary>
    /// <param name="x">The points.</param>
    /// <param name="r">The radius.</param>
    /// <param name="dx">The tangent of <paramref name="x"/>.</param>
    /// <param name="dr">The tangent of <paramref name="r"/>.</param>
    [Tangent(Of = nameof(L2Ball))]
    public static Tensor L2BallTangent(Tensor x, Tensor r, Tensor dx, Tensor dr)
    {
        var (norm, outside) = L2Core(x, r);
        var along = (x * dx).sum(-1, keepdim: true);
        return where(outside, (r * (dx - x * along / norm.square()) + x * dr) / norm, dx);
    }

    // ───────────────────────────── ℓ₁ ball ─────────────────────────────

    /// <summary>
    /// Projects onto the ℓ₁ ball {z : ‖z‖₁ ≤ r}: x when ‖x‖₁ ≤ r, otherwise sign(x)·Simplex(|x|, r). Used in
    /// projected-gradient fixed points of ℓ₁-constrained (sparse) problems.
    /// </summary>
    /// <param name="x">A vector [n], or a batch [m, n] projected row by row.</param>
    /// <param name="r">The radius, ≥ 0: a 0-dim scalar, or [m, 1] for a batch.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>
    /// Outside, with S the support of the result: ∂/∂x = D(I − 11ᵀ/|S|)D on S (D = diag(sign x)), ∂/∂r = sign(x)/|S| on S.
    /// Inside, and on the boundary ‖x‖₁ = r: ∂/∂x = I, ∂/∂r = 0. Entries at the simplex threshold count as outside S.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="r"/> has a negative entry.</exception>
    /// <exception cref="ArgumentException">A shape other than those above.</exception>
    public static Tensor L1Ball(Tensor x, Tensor r)
    {
        var (sign, p, _, _, outside) = L1Core(x, r);
        return where(outside, sign * p, x);
    }

    /// <summary>The pullback of <see cref="L1Ball"/>: adds seed·∂/∂x into <paramref name="dx"/> and seed·∂/∂r into <paramref name="dr"/>; returns the value.</summary>
    /// <param name="x">The points.</param>
    /// <param name="r">The radius.</param>
    /// <param name="seed">The adjoint of the result.</param>
    /// <param name="dx">The adjoint of <paramref name="x"/> (null: zero so far).</param>
    /// <param name="dr">The adjoint of <paramref name="r"/> (null: zero so far).</param>
    [Derivative(Of = nameof(L1Ball))]
    public static Tensor L1BallPullback(Tensor x, Tensor r, Tensor seed, ref Tensor? dx, ref Tensor? dr)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var (sign, p, support, count, outside) = L1Core(x, r);
        var mean = (support * sign * seed).sum(-1, keepdim: true) / count;
        // sign² = 1 on the support, so D(I − 11ᵀ/|S|)D·seed is support·(seed − sign·mean).
        dx = Adjoints.Add(dx, where(outside, support * (seed - sign * mean), seed));
        dr = Adjoints.Add(dr, Broadcasting.SumToShapeOf(outside.to_type(x.dtype) * mean, r));
        return where(outside, sign * p, x);
    }

    /// <summary>The tangent of <see cref="L1Ball"/>: outside, sign(x)·(the simplex tangent at |x| along sign(x)·ẋ and ṙ); inside, ẋ.</summary>
    /// <param name="x">The points.</param>
    /// <param name="r">The radius.</param>
    /// <param name="dx">The tangent of <paramref name="x"/>.</param>
    /// <param name="dr">The tangent of <paramref name="r"/>.</param>
    [Tangent(Of = nameof(L1Ball))]
    public static Tensor L1BallTangent(Tensor x, Tensor r, Tensor dx, Tensor dr)
    {
        var (sign, _, support, count, outside) = L1Core(x, r);
        var z = sign * dx;
        return where(outside, sign * support * (z - ((support * z).sum(-1, keepdim: true) - dr) / count), dx);
    }

    // ───────────────────────────── ℓ∞ ball ─────────────────────────────

    /// <summary>
    /// Projects onto the ℓ∞ ball {z : |zᵢ| ≤ r}: clamp(x, −r, r). Used in projected-gradient fixed points with
    /// box-shaped magnitude limits (adversarial perturbations, bounded weights).
    /// </summary>
    /// <param name="x">The point, any shape (the projection is elementwise).</param>
    /// <param name="r">The radius, ≥ 0, broadcasting against <paramref name="x"/>.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>∂/∂x = 1 where |x| ≤ r (boundary included) and 0 elsewhere; ∂/∂r = sign(x) where |x| &gt; r and 0 elsewhere.</remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="r"/> has a negative entry.</exception>
    /// <exception cref="ArgumentException"><paramref name="r"/> does not broadcast to <paramref name="x"/>'s shape.</exception>
    public static Tensor LInfBall(Tensor x, Tensor r)
    {
        CheckRadius(x, r, elementwise: true);
        return minimum(maximum(x, -r), r);
    }

    /// <summary>The pullback of <see cref="LInfBall"/>: adds seed·∂/∂x into <paramref name="dx"/> and seed·∂/∂r into <paramref name="dr"/>; returns the value.</summary>
    /// <param name="x">The point.</param>
    /// <param name="r">The radius.</param>
    /// <param name="seed">The adjoint of the result.</param>
    /// <param name="dx">The adjoint of <paramref name="x"/> (null: zero so far).</param>
    /// <param name="dr">The adjoint of <paramref name="r"/> (null: zero so far).</param>
    [Derivative(Of = nameof(LInfBall))]
    public static Tensor LInfBallPullback(Tensor x, Tensor r, Tensor seed, ref Tensor? dx, ref Tensor? dr)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var value = LInfBall(x, r);
        var (inside, below, above) = Clamped(x, -r, r);
        dx = Adjoints.Add(dx, seed * inside);
        dr = Adjoints.Add(dr, Broadcasting.SumToShapeOf(seed * (above - below), r));
        return value;
    }

    /// <summary>The tangent of <see cref="LInfBall"/>: ẋ where |x| ≤ r, sign(x)·ṙ elsewhere.</summary>
    /// <param name="x">The point.</param>
    /// <param name="r">The radius.</param>
    /// <param name="dx">The tangent of <paramref name="x"/>.</param>
    /// <param name="dr">The tangent of <paramref name="r"/>.</param>
    [Tangent(Of = nameof(LInfBall))]
    public static Tensor LInfBallTangent(Tensor x, Tensor r, Tensor dx, Tensor dr)
    {
        CheckRadius(x, r, elementwise: true);
        var (inside, below, above) = Clamped(x, -r, r);
        return inside * dx + (above - below) * dr;
    }

    // ─────────────────────────────── Box ───────────────────────────────

    /// <summary>
    /// Projects onto the box {z : lower ≤ z ≤ upper}: clamp(x, lower, upper). Used in projected-gradient fixed points
    /// of bound-constrained problems.
    /// </summary>
    /// <param name="x">The point, any shape (the projection is elementwise).</param>
    /// <param name="lower">The lower bounds, broadcasting against <paramref name="x"/>.</param>
    /// <param name="upper">The upper bounds, broadcasting against <paramref name="x"/>, ≥ <paramref name="lower"/>.</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>
    /// ∂/∂x = 1 where lower ≤ x ≤ upper (bounds included); ∂/∂lower = 1 where x &lt; lower; ∂/∂upper = 1 where x &gt; upper;
    /// 0 elsewhere.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Some lower bound exceeds its upper bound.</exception>
    /// <exception cref="ArgumentException">A bound does not broadcast to <paramref name="x"/>'s shape.</exception>
    public static Tensor Box(Tensor x, Tensor lower, Tensor upper)
    {
        CheckBox(x, lower, upper);
        return minimum(maximum(x, lower), upper);
    }

    /// <summary>The pullback of <see cref="Box"/>: adds seed times each partial derivative into the adjoints; returns the value.</summary>
    /// <param name="x">The point.</param>
    /// <param name="lower">The lower bounds.</param>
    /// <param name="upper">The upper bounds.</param>
    /// <param name="seed">The adjoint of the result.</param>
    /// <param name="dx">The adjoint of <paramref name="x"/> (null: zero so far).</param>
    /// <param name="dlower">The adjoint of <paramref name="lower"/> (null: zero so far).</param>
    /// <param name="dupper">The adjoint of <paramref name="upper"/> (null: zero so far).</param>
    [Derivative(Of = nameof(Box))]
    public static Tensor BoxPullback(Tensor x, Tensor lower, Tensor upper, Tensor seed, ref Tensor? dx, ref Tensor? dlower, ref Tensor? dupper)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var value = Box(x, lower, upper);
        var (inside, below, above) = Clamped(x, lower, upper);
        dx = Adjoints.Add(dx, seed * inside);
        dlower = Adjoints.Add(dlower, Broadcasting.SumToShapeOf(seed * below, lower));
        dupper = Adjoints.Add(dupper, Broadcasting.SumToShapeOf(seed * above, upper));
        return value;
    }

    /// <summary>The tangent of <see cref="Box"/>: ẋ inside the box, the tangent of the active bound outside.</summary>
    /// <param name="x">The point.</param>
    /// <param name="lower">The lower bounds.</param>
    /// <param name="upper">The upper bounds.</param>
    /// <param name="dx">The tangent of <paramref name="x"/>.</param>
    /// <param name="dlower">The tangent of <paramref name="lower"/>.</param>
    /// <param name="dupper">The tangent of <paramref name="upper"/>.</param>
    [Tangent(Of = nameof(Box))]
    public static Tensor BoxTangent(Tensor x, Tensor lower, Tensor upper, Tensor dx, Tensor dlower, Tensor dupper)
    {
        CheckBox(x, lower, upper);
        var (inside, below, above) = Clamped(x, lower, upper);
        return inside * dx + below * dlower + above * dupper;
    }

    // ──────────────────────────── Hyperplane ────────────────────────────

    /// <summary>
    /// Projects onto the hyperplane {z : aᵀz = b}: x − (aᵀx − b)/‖a‖²·a. Used in projected-gradient fixed points with one
    /// linear equality constraint (a budget, a fixed total).
    /// </summary>
    /// <param name="x">A vector [n], or a batch [m, n] projected row by row.</param>
    /// <param name="a">The normal [n], not zero.</param>
    /// <param name="b">The offset: a 0-dim scalar, or [m] for a batch (one per row).</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>
    /// Smooth: with c = aᵀx − b and q = ‖a‖², ∂/∂x = I − aaᵀ/q, ∂/∂b = a/q, and ∂/∂a·ȧ = −(xᵀȧ)/q·a − (c/q)·ȧ + 2c(aᵀȧ)/q²·a.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A shape other than those above, or a zero <paramref name="a"/>.</exception>
    public static Tensor Hyperplane(Tensor x, Tensor a, Tensor b) => PlaneValue(x, a, b, halfSpace: false);

    /// <summary>The pullback of <see cref="Hyperplane"/>: adds seed times each partial derivative into the adjoints; returns the value.</summary>
    /// <param name="x">The points.</param>
    /// <param name="a">The normal.</param>
    /// <param name="b">The offset.</param>
    /// <param name="seed">The adjoint of the result.</param>
    /// <param name="dx">The adjoint of <paramref name="x"/> (null: zero so far).</param>
    /// <param name="da">The adjoint of <paramref name="a"/> (null: zero so far).</param>
    /// <param name="db">The adjoint of <paramref name="b"/> (null: zero so far).</param>
    [Derivative(Of = nameof(Hyperplane))]
    public static Tensor HyperplanePullback(Tensor x, Tensor a, Tensor b, Tensor seed, ref Tensor? dx, ref Tensor? da, ref Tensor? db)
        => PlanePullback(x, a, b, seed, ref dx, ref da, ref db, halfSpace: false);

    /// <summary>The tangent of <see cref="Hyperplane"/>.</summary>
    /// <param name="x">The points.</param>
    /// <param name="a">The normal.</param>
    /// <param name="b">The offset.</param>
    /// <param name="dx">The tangent of <paramref name="x"/>.</param>
    /// <param name="da">The tangent of <paramref name="a"/>.</param>
    /// <param name="db">The tangent of <paramref name="b"/>.</param>
    [Tangent(Of = nameof(Hyperplane))]
    public static Tensor HyperplaneTangent(Tensor x, Tensor a, Tensor b, Tensor dx, Tensor da, Tensor db)
        => PlaneTangent(x, a, b, dx, da, db, halfSpace: false);

    // ──────────────────────────── Half-space ────────────────────────────

    /// <summary>
    /// Projects onto the half-space {z : aᵀz ≤ b}: x when aᵀx ≤ b, the <see cref="Hyperplane"/> projection otherwise. Used
    /// in projected-gradient fixed points with one linear inequality constraint.
    /// </summary>
    /// <param name="x">A vector [n], or a batch [m, n] projected row by row.</param>
    /// <param name="a">The normal [n], not zero.</param>
    /// <param name="b">The offset: a 0-dim scalar, or [m] for a batch (one per row).</param>
    /// <returns>A tensor of <paramref name="x"/>'s shape.</returns>
    /// <remarks>
    /// Where aᵀx &gt; b, the derivatives of <see cref="Hyperplane"/>; where aᵀx ≤ b (the boundary included), ∂/∂x = I and
    /// the derivatives with respect to a and b are 0.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A shape other than those above, or a zero <paramref name="a"/>.</exception>
    public static Tensor HalfSpace(Tensor x, Tensor a, Tensor b) => PlaneValue(x, a, b, halfSpace: true);

    /// <summary>The pullback of <see cref="HalfSpace"/>: adds seed times each partial derivative into the adjoints; returns the value.</summary>
    /// <param name="x">The points.</param>
    /// <param name="a">The normal.</param>
    /// <param name="b">The offset.</param>
    /// <param name="seed">The adjoint of the result.</param>
    /// <param name="dx">The adjoint of <paramref name="x"/> (null: zero so far).</param>
    /// <param name="da">The adjoint of <paramref name="a"/> (null: zero so far).</param>
    /// <param name="db">The adjoint of <paramref name="b"/> (null: zero so far).</param>
    [Derivative(Of = nameof(HalfSpace))]
    public static Tensor HalfSpacePullback(Tensor x, Tensor a, Tensor b, Tensor seed, ref Tensor? dx, ref Tensor? da, ref Tensor? db)
        => PlanePullback(x, a, b, seed, ref dx, ref da, ref db, halfSpace: true);

    /// <summary>The tangent of <see cref="HalfSpace"/>.</summary>
    /// <param name="x">The points.</param>
    /// <param name="a">The normal.</param>
    /// <param name="b">The offset.</param>
    /// <param name="dx">The tangent of <paramref name="x"/>.</param>
    /// <param name="da">The tangent of <paramref name="a"/>.</param>
    /// <param name="db">The tangent of <paramref name="b"/>.</param>
    [Tangent(Of = nameof(HalfSpace))]
    public static Tensor HalfSpaceTangent(Tensor x, Tensor a, Tensor b, Tensor dx, Tensor da, Tensor db)
        => PlaneTangent(x, a, b, dx, da, db, halfSpace: true);

    // ────────────────────────────── Affine ──────────────────────────────

    /// <summary>
    /// Projects onto the affine set {z : Az = b}: x − Aᵀ(AAᵀ)⁻¹(Ax − b). Used in projected-gradient fixed points with
    /// linear equality constraints.
    /// </summary>
    /// <param name="x">The point, a vector [n].</param>
    /// <param name="A">The constraint matrix [k, n], of full row rank (k ≤ n).</param>
    /// <param name="b">The right-hand side [k].</param>
    /// <returns>A vector [n].</returns>
    /// <remarks>
    /// Smooth where A has full row rank: with λ = (AAᵀ)⁻¹(Ax − b) the result is y = x − Aᵀλ; ∂/∂x = I − Aᵀ(AAᵀ)⁻¹A,
    /// ∂/∂b = Aᵀ(AAᵀ)⁻¹, and the pullback into A is −μyᵀ − λ(ȳ − Aᵀμ)ᵀ with μ = (AAᵀ)⁻¹Aȳ.
    /// A rank-deficient A makes AAᵀ singular; the solve then fails or returns non-finite values.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A shape other than those above.</exception>
    public static Tensor Affine(Tensor x, Tensor A, Tensor b)
    {
        CheckAffine(x, A, b);
        return x - A.t().matmul(Multiplier(A, A.matmul(x) - b));
    }

    /// <summary>The pullback of <see cref="Affine"/>: adds seed times each partial derivative into the adjoints; returns the value.</summary>
    /// <param name="x">The point.</param>
    /// <param name="A">The constraint matrix.</param>
    /// <param name="b">The right-hand side.</param>
    /// <param name="seed">The adjoint of the result.</param>
    /// <param name="dx">The adjoint of <paramref name="x"/> (null: zero so far).</param>
    /// <param name="dA">The adjoint of <paramref name="A"/> (null: zero so far).</param>
    /// <param name="db">The adjoint of <paramref name="b"/> (null: zero so far).</param>
    [Derivative(Of = nameof(Affine))]
    public static Tensor AffinePullback(Tensor x, Tensor A, Tensor b, Tensor seed, ref Tensor? dx, ref Tensor? dA, ref Tensor? db)
    {
        CheckAffine(x, A, b);
        ArgumentNullException.ThrowIfNull(seed);
        var lambda = Multiplier(A, A.matmul(x) - b);
        var y = x - A.t().matmul(lambda);
        var mu = Multiplier(A, A.matmul(seed));
        var gx = seed - A.t().matmul(mu);
        dx = Adjoints.Add(dx, gx);
        dA = Adjoints.Add(dA, -(mu.unsqueeze(1) * y.unsqueeze(0) + lambda.unsqueeze(1) * gx.unsqueeze(0)));
        db = Adjoints.Add(db, mu);
        return y;
    }

    /// <summary>The tangent of <see cref="Affine"/>: ẋ − Ȧᵀλ − Aᵀ(AAᵀ)⁻¹(Ȧx + Aẋ − ḃ − (ȦAᵀ + AȦᵀ)λ).</summary>
    /// <param name="x">The point.</param>
    /// <param name="A">The constraint matrix.</param>
    /// <param name="b">The right-hand side.</param>
    /// <param name="dx">The tangent of <paramref name="x"/>.</param>
    /// <param name="dA">The tangent of <paramref name="A"/>.</param>
    /// <param name="db">The tangent of <paramref name="b"/>.</param>
    [Tangent(Of = nameof(Affine))]
    public static Tensor AffineTangent(Tensor x, Tensor A, Tensor b, Tensor dx, Tensor dA, Tensor db)
    {
        CheckAffine(x, A, b);
        var lambda = Multiplier(A, A.matmul(x) - b);
        var dResidual = dA.matmul(x) + A.matmul(dx) - db - dA.matmul(A.t().matmul(lambda)) - A.matmul(dA.t().matmul(lambda));
        return dx - dA.t().matmul(lambda) - A.t().matmul(Multiplier(A, dResidual));
    }

    // ───────────────────────────── Helpers ─────────────────────────────

    /// <summary>The projection of each row onto {p ≥ 0, Σp = s}, its support as 0/1, and the support's size (at least 1, so divisions stay finite).</summary>
    static (Tensor P, Tensor Support, Tensor Count) SimplexCore(Tensor x, Tensor s)
    {
        var n = x.shape[^1];
        var sorted = x.sort(-1, descending: true).Values;
        var excess = sorted.cumsum(-1) - s;
        var k = arange(1, n + 1, dtype: x.dtype, device: x.device);
        // The test holds for a prefix of the sorted entries; its length is the support's size. A zero sum (the ℓ₁
        // ball of radius 0) fails it everywhere: one entry then still fixes θ = max x, which gives p = 0.
        var rho = (sorted - excess / k > 0).sum(-1, keepdim: true).clamp_min(1);
        var theta = excess.gather(-1, rho - 1) / rho.to_type(x.dtype);
        var p = (x - theta).clamp_min(0);
        var support = (p > 0).to_type(x.dtype);
        return (p, support, support.sum(-1, keepdim: true).clamp_min(1));
    }

    static void CheckSimplex(Tensor x, Tensor s)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(s);
        if (x.dim() == 0)
            throw new ArgumentException($"'x' has shape {Guard.Shape(x)}, but a tensor of at least one dimension (projected along its last) is expected.", nameof(x));
        CheckRowParameter(x, s, nameof(s), "sum");
        Guard.NotNegative(s, nameof(s), "simplex sum s", "Pass s > 0 (s = 1 for probability vectors).", strict: true);
    }

    /// <summary>A per-row parameter: 0-dim, or x's shape with 1 in the last dimension (broadcasting allowed in the others).</summary>
    static void CheckRowParameter(Tensor x, Tensor h, string name, string meaning)
    {
        var expected = x.dim() == 1 ? "a 0-dim scalar" : $"a 0-dim scalar or a [{string.Join(", ", x.shape[..^1])}, 1] tensor (one {meaning} per row)";
        if (h.dim() != 0 && (h.dim() != x.dim() || h.shape[^1] != 1))
            throw new ArgumentException($"'{name}' has shape {Guard.Shape(h)}, but {expected} is expected.", name);
        Guard.BroadcastsTo(h, x.shape, name, expected);
    }

    static void CheckRadius(Tensor x, Tensor r, bool elementwise)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(r);
        if (elementwise) Guard.BroadcastsTo(r, x.shape, nameof(r), $"a 0-dim scalar or a shape broadcasting to x's {Guard.Shape(x)}");
        else
        {
            Guard.Dimensions(x, nameof(x), "a vector [n] or a batch of row vectors [m, n]", 1, 2);
            CheckRowParameter(x, r, nameof(r), "radius");
        }

        Guard.NotNegative(r, nameof(r), "radius", "Pass r ≥ 0 (the set is empty for a negative radius).");
    }

    /// <summary>Row norms (keepdim) where the row lies strictly outside the ball, 1 elsewhere (so divisions stay finite), and the outside mask.</summary>
    static (Tensor Norm, Tensor Outside) L2Core(Tensor x, Tensor r)
    {
        CheckRadius(x, r, elementwise: false);
        var norm = x.norm(-1, keepdim: true);
        var outside = norm > r;
        return (where(outside, norm, ones_like(norm)), outside);
    }

    static (Tensor Sign, Tensor P, Tensor Support, Tensor Count, Tensor Outside) L1Core(Tensor x, Tensor r)
    {
        CheckRadius(x, r, elementwise: false);
        var (p, support, count) = SimplexCore(x.abs(), r);
        return (x.sign(), p, support, count, x.abs().sum(-1, keepdim: true) > r);
    }

    /// <summary>0/1 masks for lower ≤ x ≤ upper, x &lt; lower and x &gt; upper, in x's dtype.</summary>
    static (Tensor Inside, Tensor Below, Tensor Above) Clamped(Tensor x, Tensor lower, Tensor upper)
    {
        var below = (x < lower).to_type(x.dtype);
        var above = (x > upper).to_type(x.dtype);
        return (1 - below - above, below, above);
    }

    static void CheckBox(Tensor x, Tensor lower, Tensor upper)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(lower);
        ArgumentNullException.ThrowIfNull(upper);
        var expected = $"a 0-dim scalar or a shape broadcasting to x's {Guard.Shape(x)}";
        Guard.BroadcastsTo(lower, x.shape, nameof(lower), expected);
        Guard.BroadcastsTo(upper, x.shape, nameof(upper), expected);
        var gap = upper - lower;
        if ((gap < 0).any().item<bool>())
        {
            var worst = gap.min().to_type(ScalarType.Float64).item<double>();
            throw new ArgumentOutOfRangeException(nameof(lower), worst,
                $"Each lower bound must not exceed its upper bound, but upper − lower reaches {worst}. Swap the bounds or widen the box.");
        }
    }

    // The hyperplane and the half-space share one closed form: the half-space masks the correction to rows outside.

    /// <summary>c = aᵀx − b per row, q = ‖a‖², and the 0/1 mask of rows that move (all rows for the hyperplane).</summary>
    static (Tensor C, Tensor Q, Tensor Moving) Plane(Tensor x, Tensor a, Tensor b, bool halfSpace)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Guard.Dimensions(x, nameof(x), "a vector [n] or a batch of row vectors [m, n]", 1, 2);
        var n = x.shape[^1];
        if (a.dim() != 1 || a.shape[0] != n)
            throw new ArgumentException($"'a' has shape {Guard.Shape(a)}, but a vector [{n}] (the normal, as long as x's rows) is expected.", nameof(a));
        var rowsShape = x.shape[..^1];
        if (!(b.dim() == 0 || (b.dim() == 1 && x.dim() == 2 && (b.shape[0] == rowsShape[0] || b.shape[0] == 1))))
            throw new ArgumentException($"'b' has shape {Guard.Shape(b)}, but a 0-dim scalar{(x.dim() == 2 ? $" or a [{rowsShape[0]}] vector (one offset per row)" : "")} is expected.", nameof(b));
        var q = a.square().sum();
        if (!(q > 0).item<bool>())
            throw new ArgumentException("'a' is zero, but the normal of a hyperplane or half-space must be non-zero.", nameof(a));
        var c = (x * a).sum(-1) - b;
        var moving = halfSpace ? (c > 0).to_type(x.dtype) : ones_like(c);
        return (c, q, moving);
    }

    static Tensor PlaneValue(Tensor x, Tensor a, Tensor b, bool halfSpace)
    {
        var (c, q, moving) = Plane(x, a, b, halfSpace);
        return x - (moving * c / q).unsqueeze(-1) * a;
    }

    static Tensor PlanePullback(Tensor x, Tensor a, Tensor b, Tensor seed, ref Tensor? dx, ref Tensor? da, ref Tensor? db, bool halfSpace)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var (c, q, moving) = Plane(x, a, b, halfSpace);
        var coefficient = (moving * c / q).unsqueeze(-1);
        var along = (moving * (seed * a).sum(-1) / q).unsqueeze(-1);
        dx = Adjoints.Add(dx, seed - along * a);
        da = Adjoints.Add(da, Broadcasting.SumToShapeOf(2 * coefficient * along * a - along * x - coefficient * seed, a));
        db = Adjoints.Add(db, Broadcasting.SumToShapeOf(along.squeeze(-1), b));
        return x - coefficient * a;
    }

    static Tensor PlaneTangent(Tensor x, Tensor a, Tensor b, Tensor dx, Tensor da, Tensor db, bool halfSpace)
    {
        var (c, q, moving) = Plane(x, a, b, halfSpace);
        var dc = (dx * a).sum(-1) + (x * da).sum(-1) - db;
        var dq = 2 * (a * da).sum();
        var dCoefficient = (moving * (dc / q - c * dq / q.square())).unsqueeze(-1);
        return dx - dCoefficient * a - (moving * c / q).unsqueeze(-1) * da;
    }

    static void CheckAffine(Tensor x, Tensor A, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(A);
        ArgumentNullException.ThrowIfNull(b);
        Guard.Dimensions(x, nameof(x), "a vector [n]", 1);
        var n = x.shape[0];
        if (A.dim() != 2 || A.shape[1] != n || A.shape[0] > n)
            throw new ArgumentException($"'A' has shape {Guard.Shape(A)}, but a [k, {n}] matrix with k ≤ {n} (full row rank) is expected.", nameof(A));
        if (b.dim() != 1 || b.shape[0] != A.shape[0])
            throw new ArgumentException($"'b' has shape {Guard.Shape(b)}, but a vector [{A.shape[0]}] (one entry per row of A) is expected.", nameof(b));
    }

    /// <summary>(AAᵀ)⁻¹v, the Lagrange multiplier of the equality constraints for residual v.</summary>
    static Tensor Multiplier(Tensor A, Tensor v) => linalg.solve(A.matmul(A.t()), v.unsqueeze(-1)).squeeze(-1);
}
