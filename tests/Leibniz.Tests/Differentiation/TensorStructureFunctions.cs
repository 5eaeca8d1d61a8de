using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

/// <summary>
/// Tensor rules whose arguments are lists (dimensions, tensors, indices) or scalars left to or moved off their defaults.
/// Each reduced, joined or indexed value passes through a nonlinear function before the final sum, so its adjoint varies
/// from element to element and a rule that sends it to the wrong place cannot pass. The shapes the tests use are in the
/// remarks; dimensions are chosen so that every wrong one gives a wrong shape or wrong values.
/// </summary>
public static partial class TensorStructureFunctions
{
    /// <remarks><paramref name="x"/> is (2, 3, 4).</remarks>
    [Differentiable]
    public static Tensor SumsAndMeansOverDimensions(Tensor x)
        => x.sum(new long[] { 0, 2 }).sin().sum() + x.mean(new long[] { 1 }, keepdim: true).square().sum()
            + x.mean(new long[] { -1, 0 }).cos().sum() + torch.mean(x, new long[] { 2 }, true).exp().sum()
            + x.sum(0, 2).sin().sum() + torch.sum(x, new long[] { 1 }, keepdim: true).square().sum() + x.sum(dim: 1L).cos().sum();

    /// <summary>An empty list of dimensions, and amax with none, reduce every dimension.</summary>
    [Differentiable]
    public static Tensor EmptyDimensionLists(Tensor x)
        => x.sum(new long[0]).sin() + x.amax(new long[0]).square() + x.mean(new long[0], keepdim: true).cos().sum() + x.amin().exp();

    /// <remarks><paramref name="x"/> is (2, 3, 4); with whole numbers in it, ties are frequent.</remarks>
    [Differentiable]
    public static Tensor Extrema(Tensor x)
        => x.amax(new long[] { 0, 2 }).sin().sum() + x.amin(new long[] { 1 }, keepdim: true).square().sum() + x.amax(-1).cos().sum()
            + torch.amax(x, new long[] { 1, 2 }).exp().sum() + torch.amin(x, new long[] { -3 }, keepdim: false).sin().sum()
            + x.max().square() + torch.min(x).sin() + x.min().cos() + torch.max(x).exp();

    /// <remarks><paramref name="x"/> is (m, n); the indices scale the values they came with, as data.</remarks>
    [Differentiable]
    public static Tensor ExtremaAlongADimension(Tensor x)
    {
        var (values, indexes) = x.max(1);
        var (low, _) = x.min(0, keepdim: true);
        return (values * indexes).sin().sum() + low.square().sum() + x.max(-1).values.cos().sum()
            + torch.max(x, 0, true).values.exp().sum() + x.min(1).values.sin().sum();
    }

    /// <remarks><paramref name="x"/> is (2, 3, 4); <paramref name="w"/> is (4, 2, 3).</remarks>
    [Differentiable]
    public static Tensor Permutes(Tensor x, [NoDerivative] Tensor w)
        => (x.permute(2, 0, 1) * w).sum() + (torch.permute(x, new long[] { -1, -3, -2 }) * w.sin()).sum()
            + x.permute(1, 2, 0).reshape(new long[] { 3, -1 }).sin().sum() + x.reshape(4, 6).permute(1, 0).square().sum();

    /// <remarks><paramref name="a"/> is (3, 2), <paramref name="b"/> (3, 4), <paramref name="c"/> (3, 1).</remarks>
    [Differentiable]
    public static Tensor Joins(Tensor a, Tensor b, Tensor c)
        => torch.cat(new[] { a, b, c }, 1).sin().sum() + torch.cat(new[] { a.t(), b.t() }).square().sum()
            + torch.cat(new Tensor[] { b, a }, -1).exp().sum() + torch.stack(new[] { a, a.cos(), a * 2 }, -1).sin().sum()
            + torch.stack(new[] { b, b.exp() }).square().sum() + torch.concat(new[] { c, a, c }, 1).cos().sum();

    /// <remarks><paramref name="x"/> is (4, 5, 3).</remarks>
    [Differentiable]
    public static Tensor Slices(Tensor x)
        => x[.., 1..3].sin().sum() + x[TensorIndex.Ellipsis, 0].square().sum() + x[1].cos().sum() + x[^1, 2..^1].exp().sum()
            + x.slice(1, 1, 5, 2).sin().sum() + x.select(2, 1).square().sum() + torch.select(x, 0, -1).cos().sum()
            + x[TensorIndex.Slice(1, null, 2), TensorIndex.None, 0].sin().sum() + x[1, 2].square().sum() + x.index(TensorIndex.Single(2), TensorIndex.Colon).exp().sum();

    /// <summary>The index and the range's end vary by iteration: each iteration's backward must read its own.</summary>
    /// <remarks><paramref name="x"/> is (rows, n) with n ≥ rows.</remarks>
    [Differentiable]
    public static Tensor RowsInALoop(Tensor x, int rows)
    {
        var total = x[0].sin().sum();
        for (var i = 1; i < rows; i++)
            total = total + x[i, ..i].square().sum() * i;
        return total;
    }

    /// <summary>Scalars moved off their defaults, and left on them.</summary>
    [Differentiable]
    public static Tensor ScaledActivations(Tensor x, [NoDerivative] Tensor w)
        => (nn.functional.leaky_relu(x, 0.2) * w).sum() + (nn.functional.softplus(x, 2.0, 3.0) * w.sin()).sum()
            + (x.softplus(0.5) * w.square()).sum() + (x.elu(1.7) * w.cos()).sum() + (nn.functional.softplus(x, threshold: 1.5) * w).sum()
            + (x.softplus(beta: -1.5, threshold: 2) * w.sin()).sum();

    /// <remarks><paramref name="bias"/> is (n), <paramref name="c"/> (m, n), <paramref name="a"/> (m, k), <paramref name="b"/> (k, n).</remarks>
    [Differentiable]
    public static Tensor ScaledAddmms(Tensor bias, Tensor c, Tensor a, Tensor b)
        => bias.addmm(a, b, beta: 2, alpha: 3).sin().sum() + c.addmm(a, b, alpha: 0.5f).square().sum() + c.addmm(a, b, 0.25f).cos().sum();
}
