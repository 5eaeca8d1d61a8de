using System.Linq;

namespace Leibniz.Generators.Rules.Tensor;

/// <summary>
/// One row of the tensor derivative table: a TorchSharp API, which of its parameters carry a derivative, and facts
/// about its output's shape. The derivative itself is the row's tangent rule (<see cref="TensorTangentRules"/>):
/// forward mode runs it, and reverse mode transposes it (<see cref="TensorTransposeRules"/>), unless the row carries a
/// hand-written <see cref="Pullback"/> that is faster.
/// </summary>
/// <param name="Key">The API: <c>Tensor.matmul</c>, <c>torch.exp</c>, <c>nn.functional.relu</c>, <c>Tensor.op_Addition</c>.</param>
/// <param name="Differentiable">Per parameter (the receiver first for methods), whether a derivative flows into it; dims, flags and targets are data.</param>
/// <param name="Comment">The identity, printed above the generated adjoint.</param>
internal sealed record TensorRule(string Key, bool[] Differentiable, string Comment)
{
    /// <summary>
    /// The row's derivative: its Jacobian–vector product written as IR from calls of rows of the table (reverse mode
    /// transposes it). Null only for rows without a derivative.
    /// </summary>
    public TensorTangentRule? Tangent { get; init; }

    /// <summary>Whether a derivative flows into parameter <paramref name="index"/>.</summary>
    public bool HasDerivative(int index) => index < Differentiable.Length && Differentiable[index];

    /// <summary>Whether a derivative flows into any parameter (false for masks, signs and indices).</summary>
    public bool HasAnyDerivative => Differentiable.Any(d => d) || ListParameter is not null;

    /// <summary>Whether the output has the shape of the first argument (an elementwise function of it).</summary>
    public bool SameShapeAsFirst { get; init; }

    /// <summary>Whether the output has the broadcast shape of the tensor arguments (an elementwise function of several).</summary>
    public bool Broadcasting { get; init; }

    /// <summary>When set, the row holds only if every parameter from this index on keeps its default (a reduction mode, an in-place flag).</summary>
    public int? DefaultsFrom { get; init; }

    /// <summary>
    /// For an API taking a list of tensors (<c>cat</c>, <c>stack</c>), the list's parameter: each element the call
    /// writes out is an operand with a derivative (<see cref="TensorRuleLayout"/>).
    /// </summary>
    public int? ListParameter { get; init; }

    /// <summary>The parameter whose list of sizes the derivative reads element by element, so a call must write it out (layer_norm's normalized_shape).</summary>
    public int? WrittenOut { get; init; }

    /// <summary>
    /// A hand-written pullback that replaces the one derived from the tangent rule, where the derived one would do more
    /// work (cross-entropy's softmax minus the one-hot target in one pass). It is IR, like a transposition rule: the
    /// builder's cotangent is the output's, and its arguments are the call's primal values.
    /// </summary>
    public TensorPullbackRule? Pullback { get; init; }
}
