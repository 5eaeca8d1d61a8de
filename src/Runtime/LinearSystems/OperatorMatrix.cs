using System;
using System.Linq;
using System.Threading;
using static TorchSharp.torch;

namespace Leibniz.LinearSystems;

/// <summary>
/// The n×n matrix of a linear operator on tensors of a given shape (n = numel), built column by column from
/// its products with the unit vectors: the bridge from matrix-free operators to dense factorisations.
/// </summary>
internal static class OperatorMatrix
{
    public static Tensor Build(Func<Tensor, Tensor> apply, Tensor like, double ridge, CancellationToken cancellationToken)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var n = like.numel();
        if (n > int.MaxValue)
            throw new ArgumentException($"The operator acts on {n} unknowns; a dense matrix of that size cannot be formed. Use an iterative method.", nameof(like));
        var identity = eye(n, dtype: like.dtype, device: like.device);
        var columns = new Tensor[n];
        for (var j = 0L; j < n; j++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var unit = identity[j].reshape(like.shape);
            var column = apply(unit);
            if (column is null)
                throw new ArgumentException($"The delegate apply returned null for a tensor of shape {LinearProblem.Shape(like)}; it must return a tensor of the same shape.", nameof(apply));
            if (!column.shape.SequenceEqual(like.shape))
                throw new ArgumentException($"The delegate apply returned a tensor of shape {LinearProblem.Shape(column)} for one of shape {LinearProblem.Shape(like)}; the operator must map tensors of that shape to the same shape.", nameof(apply));
            columns[j] = column.to(like.dtype).flatten();
        }
        var matrix = stack(columns, 1);
        if (ridge != 0) matrix.diagonal().add_(ridge);
        return matrix.MoveToOuterDisposeScope();
    }
}
