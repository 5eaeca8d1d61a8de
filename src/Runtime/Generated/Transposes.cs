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
}
