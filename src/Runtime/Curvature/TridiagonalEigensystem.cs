using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Curvature;

/// <summary>
/// The eigen-decomposition T = S Θ Sᵀ of the symmetric tridiagonal matrix a Lanczos run builds:
/// Ritz values Θ (ascending) and the orthonormal eigenvectors S of T.
/// </summary>
/// <remarks>
/// T is at most a few hundred wide, so it is formed densely in float64 and handed to LAPACK
/// through <c>torch.linalg.eigh</c>: backward-stable, already a dependency, and far cheaper than
/// the operator products that built T.
/// </remarks>
internal sealed class TridiagonalEigensystem
{
    readonly double[] _vectors;

    TridiagonalEigensystem(double[] values, double[] vectors)
    {
        Values = values;
        _vectors = vectors;
    }

    /// <summary>The Ritz values, ascending.</summary>
    public double[] Values { get; }

    /// <summary>The order of T.</summary>
    public int Size => Values.Length;

    /// <summary>Row <paramref name="row"/> of eigenvector <paramref name="column"/>: S[row, column].</summary>
    public double Component(int row, int column) => _vectors[row * Size + column];

    /// <summary>Decomposes the tridiagonal matrix with diagonal <paramref name="alpha"/> and off-diagonal <paramref name="beta"/>.</summary>
    /// <param name="alpha">The m diagonal entries.</param>
    /// <param name="beta">At least m − 1 off-diagonal entries; β[i] couples rows i and i + 1.</param>
    /// <param name="size">m, the order of T.</param>
    public static TridiagonalEigensystem Of(IReadOnlyList<double> alpha, IReadOnlyList<double> beta, int size)
    {
        using var scope = NewDisposeScope();
        var dense = new double[size * size];
        for (var i = 0; i < size; i++)
        {
            dense[i * size + i] = alpha[i];
            if (i + 1 < size)
            {
                dense[i * size + i + 1] = beta[i];
                dense[(i + 1) * size + i] = beta[i];
            }
        }

        var (values, vectors) = linalg.eigh(tensor(dense, new long[] { size, size }, ScalarType.Float64));
        return new TridiagonalEigensystem(values.data<double>().ToArray(), vectors.contiguous().data<double>().ToArray());
    }

    /// <summary>Columns <paramref name="columns"/> of S as an m × k tensor of <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    public Tensor Columns(IReadOnlyList<int> columns, ScalarType dtype, Device device)
    {
        var selected = new double[Size * columns.Count];
        for (var row = 0; row < Size; row++)
            for (var j = 0; j < columns.Count; j++)
                selected[row * columns.Count + j] = Component(row, columns[j]);

        using var scope = NewDisposeScope();
        return tensor(selected, new long[] { Size, columns.Count }, ScalarType.Float64).to(dtype, device).MoveToOuterDisposeScope();
    }
}
