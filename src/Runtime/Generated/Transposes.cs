using System.ComponentModel;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>
/// Transposes of TorchSharp's linear shape and indexing operations, which generated pullbacks call with the cotangent of
/// the operation's result and a tensor shaped like the operand (the operand itself, or the value it is the tangent of).
/// For generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Transposes
{
    /// <summary>The transpose of a reshape (<c>reshape</c>, <c>view</c>, <c>flatten</c>, <c>squeeze</c>): the cotangent in the operand's shape.</summary>
    public static Tensor Reshape(Tensor cotangent, Tensor like) => cotangent.reshape(like.shape);

    /// <summary>
    /// The transpose of <c>narrow(dim, start, length)</c>: zeros shaped like the operand with the cotangent written into the
    /// slice [start, start + length); a negative start counts from the end, and a slice that then ends at 0 runs to the end.
    /// </summary>
    public static Tensor Narrow(Tensor cotangent, Tensor like, long dim, long start, long length)
        => zeros_like(like).slice_scatter(cotangent, dim, start, start < 0 && start + length == 0 ? null : start + length);

    /// <summary>The transpose of <c>select(dim, index)</c>: zeros shaped like the operand with the cotangent written at the index.</summary>
    public static Tensor Select(Tensor cotangent, Tensor like, long dim, long index) => zeros_like(like).select_scatter(cotangent, dim, index);

    /// <summary>The transpose of <c>index_select(dim, indices)</c>: the cotangent added back at the indices, summed where one repeats.</summary>
    public static Tensor IndexSelect(Tensor cotangent, Tensor like, long dim, Tensor indices) => zeros_like(like).index_add(dim, indices, cotangent, 1);

    /// <summary>The transpose of <c>gather(dim, indices)</c>: the cotangent scattered back, summed where a position was read more than once.</summary>
    public static Tensor Gather(Tensor cotangent, Tensor like, long dim, Tensor indices) => zeros_like(like).scatter_add(dim, indices, cotangent);

    /// <summary>The transpose of a change of element type (<c>to(dtype)</c>): the cotangent in the operand's type.</summary>
    public static Tensor ToTypeOf(Tensor cotangent, Tensor like) => cotangent.dtype == like.dtype ? cotangent : cotangent.to_type(like.dtype);

    /// <summary>The transpose of <c>slice(dim, start, finish, step)</c>: zeros shaped like the operand with the cotangent written into the slice.</summary>
    public static Tensor Slice(Tensor cotangent, Tensor like, long dim, long start, long finish, long step)
        => zeros_like(like).slice_scatter(cotangent, dim, start, finish, step);

    /// <summary>
    /// The transpose of basic indexing (integers, ranges, slices, ellipsis, new axes), which reads each position at most
    /// once: zeros shaped like the operand with the cotangent written back through the same indices.
    /// </summary>
    public static Tensor Index(Tensor cotangent, Tensor like, TensorIndex[] indices) => zeros_like(like).index_put_(cotangent, indices);

    /// <summary>The transpose of <c>permute(dims)</c>: the cotangent permuted by the inverse permutation.</summary>
    public static Tensor Permute(Tensor cotangent, long[] dims) => cotangent.permute(Permutations.Inverse(dims));

    /// <summary>
    /// The transpose of a sum over <paramref name="dims"/> of a tensor shaped like <paramref name="like"/>: the cotangent with
    /// the reduced dimensions put back (whether or not the sum kept them), spread along them.
    /// </summary>
    public static Tensor SpreadSum(Tensor cotangent, Tensor like, params long[] dims)
        => cotangent.reshape(Reductions.KeptShape(like.shape, dims)).expand_as(like);

    /// <summary>The transpose of a mean over <paramref name="dims"/>: <see cref="SpreadSum"/> divided by the count averaged.</summary>
    public static Tensor SpreadMean(Tensor cotangent, Tensor like, params long[] dims)
        => SpreadSum(cotangent, like, dims).div((double)like.numel() / cotangent.numel());

    /// <summary>
    /// The transpose of <c>cat(parts, dim)</c> for part <paramref name="part"/>: the slice of the cotangent that part filled,
    /// after the parts before it. <paramref name="parts"/> are the parts, or values shaped like them.
    /// </summary>
    public static Tensor CatPart(Tensor cotangent, long dim, int part, params Tensor[] parts)
    {
        long start = 0;
        for (var k = 0; k < part; k++) start += parts[k].size((int)dim);
        return cotangent.narrow(dim, start, parts[part].size((int)dim));
    }

    /// <summary>
    /// The transpose of <c>nll_loss(x, t)</c> (mean over the rows whose target is not −100), linear in x: −ȳ/#kept at each
    /// kept row's target class along dimension 1, zero elsewhere.
    /// </summary>
    public static Tensor NllLoss(Tensor cotangent, Tensor like, Tensor target)
        => LossAdjoints.MinusTargetsOverKept(zeros_like(like), cotangent, target);
}
