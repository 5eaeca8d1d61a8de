using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>
/// The Hessian–vector product of a <c>[Model]</c> that calls other models, for its generated
/// <c>ForwardHessianVectorProduct</c>. Meant for generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ComposedCurvature
{
    /// <summary>
    /// H·v of the summed output over the input and every parameter of <paramref name="model"/>: reverse over forward, the
    /// forward half the model's generated <paramref name="tangent"/> (which runs the called models' generated tangents),
    /// the reverse half TorchSharp's autograd over it — ∇⟨1, f⟩ gives the gradient and ∇⟨1, J·v⟩ = H·v, with
    /// H the Hessian of the summed output. A parameter that does not require grad gets zeros. With output weights w the
    /// summed output is ⟨w, f⟩ instead (for a loss ℓ, w = ∂ℓ/∂f gives the loss Hessian's curvature term).
    /// </summary>
    /// <returns>The directional derivative J·v (detached).</returns>
    public static Tensor HessianVectorProduct(
        nn.Module model,
        Tensor x,
        Tensor vx,
        IReadOnlyList<Tensor> directions,
        Func<Tensor, Tensor, IReadOnlyList<Tensor>, (Tensor Value, Tensor Tangent)> tangent,
        out Tensor gx,
        out Tensor[] gradients,
        out Tensor hvx,
        out Tensor[] products,
        Tensor? outputWeights = null)
    {
        var parameters = model.named_parameters().Select(p => (Tensor)p.parameter).ToArray();
        using var grad = enable_grad();
        using var scope = NewDisposeScope();
        var input = x.detach().requires_grad_(true);
        var (value, jv) = tangent(input, vx, directions);
        // Leaves the value depends on: the input and the parameters that require grad (the others are data).
        var leaves = new List<Tensor> { input };
        var indices = new List<int>();
        for (var i = 0; i < parameters.Length; i++)
        {
            if (!parameters[i].requires_grad) continue;
            leaves.Add(parameters[i]);
            indices.Add(i);
        }

        // Weighted by w, these are ∇⟨w, f⟩ and ∇⟨w, J·v⟩ = (Σₖ wₖ∇²fₖ)·v: a loss's gradient as w gives its curvature term.
        var first = Gradients(outputWeights is null ? value.sum() : (value * outputWeights).sum(), leaves, retain: true);
        var second = Gradients(outputWeights is null ? jv.sum() : (jv * outputWeights).sum(), leaves, retain: false);

        Tensor[] Spread(Tensor?[] computed)
        {
            var spread = parameters.Select(p => zeros_like(p)).ToArray();
            for (var k = 0; k < indices.Count; k++)
            {
                if (computed[k + 1] is { } g) spread[indices[k]] = g.detach();
            }

            return spread;
        }

        gx = (first[0]?.detach() ?? zeros_like(x)).MoveToOuterDisposeScope();
        hvx = (second[0]?.detach() ?? zeros_like(x)).MoveToOuterDisposeScope();
        gradients = Spread(first).Select(t => t.MoveToOuterDisposeScope()).ToArray();
        products = Spread(second).Select(t => t.MoveToOuterDisposeScope()).ToArray();
        return jv.detach().MoveToOuterDisposeScope();
    }

    /// <summary>∂output/∂leaves, null for a leaf the output does not reach (and for all of them when it reaches none).</summary>
    static Tensor?[] Gradients(Tensor output, List<Tensor> leaves, bool retain)
    {
        if (!output.requires_grad) return new Tensor?[leaves.Count];
        var computed = torch.autograd.grad(new[] { output }, leaves, retain_graph: retain, create_graph: false, allow_unused: true);
        return computed.Select(g => g is null || g.IsInvalid ? null : g).ToArray();
    }
}
