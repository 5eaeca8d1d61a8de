using Leibniz.Generators.IR.Functions;

namespace Leibniz.Generators.Rules.Tensor;

/// <summary>
/// Accumulating forms of pullback contributions: where a contribution is a matrix product, adding it to an adjoint that
/// already holds a value is one <c>addmm</c> (out of place, so nothing that shares the adjoint's tensor changes) instead
/// of a product and an addition. A recurrence adds such a product into its state's and its weights' adjoints at every
/// step, and at small sizes each TorchSharp call counts.
/// </summary>
internal static class AccumulatingForms
{
    const string Adjoints = "global::Leibniz.Generated.Adjoints";
    const string LinearAdjoints = "global::Leibniz.Generated.LinearAdjoints";

    /// <summary>The helper adding <paramref name="contribution"/> to an adjoint in one call, taking the adjoint and then the contribution's operands; null when there is none.</summary>
    public static string? Of(Expression contribution) => contribution switch
    {
        TensorCall { Key: "Tensor.matmul" or "torch.matmul" or "Tensor.mm" or "torch.mm", Arguments.Count: 2, Member: null } call
            when call.Packs.Count == 0 && call.Arguments[0] is Variable && call.Arguments[1] is Variable => Adjoints + ".AddProduct",
        OpaqueCall { CSharp: LinearAdjoints + ".Weight", Arguments.Count: 2 } => LinearAdjoints + ".AddedWeight",
        _ => null,
    };
}
