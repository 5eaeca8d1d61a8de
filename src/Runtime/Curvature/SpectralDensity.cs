using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Leibniz.Curvature;

/// <summary>
/// An estimate of the spectral density φ(t) = (1/n) Σ_i δ(t − λ_i) of a symmetric operator as a
/// discrete measure: nodes (Ritz values) with weights summing to 1, from
/// <see cref="StochasticLanczosQuadrature.Density"/>.
/// </summary>
/// <remarks>
/// Each run contributes the Gauss quadrature of the spectral measure of its start vector v: nodes θ_k
/// (the eigenvalues of the run's tridiagonal T) and weights τ_k² (the squared first components of
/// T's eigenvectors), which sum to 1 because T's eigenvectors are orthonormal; the runs are averaged.
/// Smoothing the measure with a Gaussian kernel gives a density (Ghorbani, Krishnan and Xiao 2019,
/// "An Investigation into Neural Net Optimization via Hessian Eigenvalue Density", section 3).
/// Integrals ∫ f dφ are exact in expectation for polynomials f of degree below 2 · steps.
/// </remarks>
public sealed class SpectralDensity
{
    readonly double[] _nodes;
    readonly double[] _weights;
    readonly int[] _steps;
    readonly double[] _runTraces;

    internal SpectralDensity(long dimension, double[] nodes, double[] weights, int[] steps, double[] runTraces)
    {
        Dimension = dimension;
        var order = Enumerable.Range(0, nodes.Length).OrderBy(i => nodes[i]).ToArray();
        _nodes = order.Select(i => nodes[i]).ToArray();
        _weights = order.Select(i => weights[i]).ToArray();
        _steps = steps;
        _runTraces = runTraces;
    }

    /// <summary>The operator's dimension n: the number of eigenvalues the density describes.</summary>
    public long Dimension { get; }

    /// <summary>The quadrature nodes of all runs, ascending.</summary>
    public IReadOnlyList<double> Nodes => _nodes;

    /// <summary>The weight of each node; together they sum to 1 (to rounding error).</summary>
    public IReadOnlyList<double> Weights => _weights;

    /// <summary>The number of random start vectors averaged.</summary>
    public int Runs => _steps.Length;

    /// <summary>The Lanczos steps each run took; fewer than asked when a run's Krylov space became invariant (its quadrature is then exact).</summary>
    public IReadOnlyList<int> StepsPerRun => _steps;

    /// <summary>The smallest node: an estimate (from above) of the smallest eigenvalue.</summary>
    public double Minimum => _nodes[0];

    /// <summary>The largest node: an estimate (from below) of the largest eigenvalue.</summary>
    public double Maximum => _nodes[^1];

    /// <summary>
    /// The trace n ∫ t dφ(t), one sample per run (each is a Hutchinson sample zᵀ A z of the run's start
    /// vector), with its standard error across runs (NaN for a single run).
    /// </summary>
    public TraceEstimate Trace => new(_runTraces);

    /// <summary>The Gaussian-smoothed density at <paramref name="t"/>: Σ_k w_k N(t; θ_k, σ²).</summary>
    /// <param name="t">Where to evaluate.</param>
    /// <param name="bandwidth">σ, the standard deviation of the kernel; positive.</param>
    public double Evaluate(double t, double bandwidth)
    {
        CheckBandwidth(bandwidth);
        var norm = 1 / (bandwidth * Math.Sqrt(2 * Math.PI));
        var sum = 0.0;
        for (var k = 0; k < _nodes.Length; k++)
        {
            var u = (t - _nodes[k]) / bandwidth;
            sum += _weights[k] * Math.Exp(-0.5 * u * u);
        }

        return sum * norm;
    }

    /// <summary>The smoothed density at each of <paramref name="points"/>.</summary>
    /// <param name="points">Where to evaluate.</param>
    /// <param name="bandwidth">σ, the standard deviation of the kernel; positive.</param>
    public double[] Evaluate(IReadOnlyList<double> points, double bandwidth)
    {
        ArgumentNullException.ThrowIfNull(points);
        CheckBandwidth(bandwidth);
        return points.Select(t => Evaluate(t, bandwidth)).ToArray();
    }

    /// <summary>The weight of the nodes in [<paramref name="lower"/>, <paramref name="upper"/>]: the estimated fraction of eigenvalues there.</summary>
    public double Mass(double lower, double upper)
    {
        if (!(lower <= upper))
            throw new ArgumentException($"The interval [{G(lower)}, {G(upper)}] is empty or not a number; pass lower ≤ upper.", nameof(lower));
        var mass = 0.0;
        for (var k = 0; k < _nodes.Length; k++)
            if (_nodes[k] >= lower && _nodes[k] <= upper) mass += _weights[k];
        return mass;
    }

    /// <summary>
    /// The node weight in each bin [e_i, e_{i+1}) (the last bin closed): a histogram of the spectrum as
    /// fractions of n. Nodes outside the edges are not counted.
    /// </summary>
    /// <param name="edges">At least two strictly increasing bin edges.</param>
    public double[] Histogram(IReadOnlyList<double> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        if (edges.Count < 2)
            throw new ArgumentException($"A histogram needs at least two edges, not {edges.Count}.", nameof(edges));
        for (var i = 1; i < edges.Count; i++)
            if (!(edges[i] > edges[i - 1]))
                throw new ArgumentException($"Edges must increase strictly: edge {i} ({G(edges[i])}) is not above edge {i - 1} ({G(edges[i - 1])}).", nameof(edges));

        var bins = new double[edges.Count - 1];
        for (var k = 0; k < _nodes.Length; k++)
        {
            var t = _nodes[k];
            if (t < edges[0] || t > edges[^1]) continue;
            var bin = 0;
            var high = bins.Length - 1;
            // The last bin with edges[bin] ≤ t.
            while (bin < high)
            {
                var middle = (bin + high + 1) / 2;
                if (edges[middle] <= t) bin = middle;
                else high = middle - 1;
            }

            bins[bin] += _weights[k];
        }

        return bins;
    }

    static void CheckBandwidth(double bandwidth)
    {
        if (!(bandwidth > 0) || double.IsInfinity(bandwidth))
            throw new ArgumentOutOfRangeException(nameof(bandwidth), bandwidth, $"The kernel bandwidth must be positive and finite, not {G(bandwidth)}; a few percent of (Maximum − Minimum) is a usual choice.");
    }

    static string G(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
