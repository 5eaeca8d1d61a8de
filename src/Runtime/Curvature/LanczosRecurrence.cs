using System;
using System.Collections.Generic;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Curvature;

/// <summary>
/// The Lanczos three-term recurrence with full reorthogonalisation: an orthonormal basis
/// Q = [q₀ … q_{m−1}] of the Krylov space of a start vector and the tridiagonal T = Qᵀ A Q, one
/// operator product per step.
/// </summary>
/// <remarks>
/// <para>
/// In floating point the plain recurrence loses orthogonality as soon as a Ritz value converges,
/// which produces spurious copies of converged eigenvalues ("ghosts") and wrong multiplicities and
/// weights. Every new vector is therefore orthogonalised against all previous ones by classical
/// Gram–Schmidt, repeated while a pass removes more than 1 − 1/√2 of the norm (the
/// Daniel–Gragg–Kaufman–Stewart criterion; twice is almost always enough). That costs O(m n) per
/// step and keeps the m × n basis in memory, which is what makes Ritz values, residual estimates
/// and quadrature weights trustworthy.
/// </para>
/// <para>
/// When β_j vanishes (to rounding error) the Krylov space is invariant: T's eigenvalues are exact
/// eigenvalues of A. With restarts on, the recurrence continues from a fresh random vector
/// orthogonal to Q (β_j is stored as 0, so T becomes block diagonal) — this is how eigenvalues the
/// start vector did not reach, and multiple copies of a repeated eigenvalue, are found. Without
/// restarts (stochastic quadrature, whose weights belong to one start vector) it stops.
/// </para>
/// </remarks>
internal sealed class LanczosRecurrence : IDisposable
{
    // A pass of Gram–Schmidt that keeps less than this fraction of the norm may have left components
    // along Q of the order of the rounding error of what it removed: run another.
    static readonly double RepeatThreshold = 1 / Math.Sqrt(2);

    readonly SymmetricOperator _op;
    readonly Generator _generator;
    readonly bool _restartAfterBreakdown;
    readonly Tensor _basis;
    readonly List<double> _alpha = new();
    readonly List<double> _beta = new();
    Tensor? _next;
    double _normEstimate;

    /// <param name="op">The operator.</param>
    /// <param name="capacity">The most basis vectors the run may keep (≤ the dimension).</param>
    /// <param name="generator">The source of start and restart vectors.</param>
    /// <param name="restartAfterBreakdown">Whether to continue from a fresh random vector when the Krylov space becomes invariant.</param>
    public LanczosRecurrence(SymmetricOperator op, int capacity, Generator generator, bool restartAfterBreakdown)
    {
        _op = op;
        _generator = generator;
        _restartAfterBreakdown = restartAfterBreakdown;
        Capacity = capacity;
        _basis = zeros(new long[] { capacity, op.Dimension }, dtype: op.DType, device: op.Device).DetachFromDisposeScope();
    }

    /// <summary>The most steps this run can take.</summary>
    public int Capacity { get; }

    /// <summary>m: the number of basis vectors, and of steps taken.</summary>
    public int Steps => _alpha.Count;

    /// <summary>The diagonal of T: α_j = q_jᵀ A q_j.</summary>
    public IReadOnlyList<double> Alpha => _alpha;

    /// <summary>The couplings β_j = ‖r_j‖ after each step; β_{m−1} is the norm of the current residual.</summary>
    public IReadOnlyList<double> Beta => _beta;

    /// <summary>
    /// The norm of the residual A Q − Q T (β_{m−1}); zero when the space is invariant. The residual of a
    /// Ritz pair (θ_i, Q s_i) is this times |S[m−1, i]|.
    /// </summary>
    public double Residual => Steps == 0 ? 0 : _beta[^1];

    /// <summary>Whether the run cannot continue: the basis spans an invariant subspace and no restart was made or possible.</summary>
    public bool Finished { get; private set; }

    /// <summary>How many times the run continued from a fresh vector after an invariant subspace.</summary>
    public int Restarts { get; private set; }

    /// <summary>A running estimate of ‖A‖ from T's rows (Gershgorin), the scale rounding errors are measured against.</summary>
    public double NormEstimate => _normEstimate;

    /// <summary>Begins from <paramref name="start"/> (normalised here; it must not be zero).</summary>
    public void Start(Tensor start)
    {
        using var scope = NewDisposeScope();
        var norm = start.norm().ToDouble();
        if (!(norm > 0) || !double.IsFinite(norm))
            throw new ArgumentException($"The start vector's norm is {norm.ToString("G3", CultureInfo.InvariantCulture)}; it must be finite and nonzero.", nameof(start));
        _next = (start / norm).MoveToOuterDisposeScope();
    }

    /// <summary>Adds one basis vector: one operator product, then reorthogonalisation against the whole basis.</summary>
    public void Step()
    {
        if (_next is null || Finished || Steps == Capacity)
            throw new InvalidOperationException("The Lanczos run cannot take another step.");

        var j = Steps;
        using var scope = NewDisposeScope();
        var q = _next;
        _basis[j].copy_(q);

        var w = _op.Apply(q);
        var alpha = q.dot(w).ToDouble();
        if (!double.IsFinite(alpha))
            throw SymmetricOperator.NonFinite($"qᵀAq = {alpha} at Lanczos step {j + 1}");

        // Out of place first: the product may hand back a tensor it still uses (its argument, even).
        w = w.add(q, -alpha);
        if (j > 0) w.add_(_basis[j - 1], -_beta[j - 1]);

        var basis = _basis.narrow(0, 0, j + 1);
        var norm = Orthogonalise(w, basis, w.norm().ToDouble());
        if (!double.IsFinite(norm))
            throw SymmetricOperator.NonFinite($"the residual norm is {norm} at Lanczos step {j + 1}");

        _alpha.Add(alpha);
        _normEstimate = Math.Max(_normEstimate, Math.Abs(alpha) + (j > 0 ? _beta[j - 1] : 0) + norm);
        _next.Dispose();
        _next = null;

        // A residual of the size of the rounding error left by the products means the Krylov space is invariant.
        var breakdown = norm <= 16 * _op.Epsilon * _normEstimate;
        if (!breakdown)
        {
            _beta.Add(norm);
            _next = w.div(norm).MoveToOuterDisposeScope();
            return;
        }

        _beta.Add(0);
        if (!_restartAfterBreakdown || j + 1 == _op.Dimension || j + 1 == Capacity)
        {
            Finished = j + 1 == _op.Dimension || !_restartAfterBreakdown;
            return;
        }

        var fresh = RademacherVectors.Draw(_op, _generator);
        var freshNorm = Orthogonalise(fresh, basis, fresh.norm().ToDouble());
        // A random vector keeps about √(n − m) of its norm √n; keeping only rounding error means Q spans everything.
        if (!(freshNorm > 100 * _op.Epsilon * Math.Sqrt(_op.Dimension)))
        {
            Finished = true;
            return;
        }

        Restarts++;
        _next = fresh.div(freshNorm).MoveToOuterDisposeScope();
    }

    /// <summary>The eigen-decomposition of the current T.</summary>
    public TridiagonalEigensystem Eigensystem() => TridiagonalEigensystem.Of(_alpha, _beta, Steps);

    /// <summary>The Ritz vectors Q s_i for the given columns of S, as rows of a k × n tensor.</summary>
    public Tensor RitzVectors(TridiagonalEigensystem eigensystem, IReadOnlyList<int> columns)
    {
        using var scope = NewDisposeScope();
        var s = eigensystem.Columns(columns, _op.DType, _op.Device);
        return s.t().mm(_basis.narrow(0, 0, Steps)).MoveToOuterDisposeScope();
    }

    /// <summary>Removes from <paramref name="w"/> (in place) its components along the rows of <paramref name="basis"/>; returns its norm.</summary>
    static double Orthogonalise(Tensor w, Tensor basis, double norm)
    {
        for (var pass = 0; pass < 3; pass++)
        {
            using var scope = NewDisposeScope();
            w.sub_(basis.t().mv(basis.mv(w)));
            var after = w.norm().ToDouble();
            var enough = after > RepeatThreshold * norm;
            norm = after;
            if (enough) break;
        }

        return norm;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _basis.Dispose();
        _next?.Dispose();
    }
}
