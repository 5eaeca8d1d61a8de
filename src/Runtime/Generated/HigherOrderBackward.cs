using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>
/// The backward a generated <c>autograd.Function</c> takes when autograd asks for a differentiable one
/// (<c>create_graph: true</c>, as for a Hessian–vector product by double backward). The generated reverse
/// sweep runs off the tape, so its result could not be differentiated again; here the forward is recomputed
/// under TorchSharp's tape and its vector–Jacobian product taken with <c>create_graph</c>, which can.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class HigherOrderBackward
{
    /// <summary>
    /// ⟨<paramref name="outputGradient"/>, ∂forward/∂inputᵢ⟩ for each input, differentiable in turn; null for an
    /// input that does not require a gradient. The first entry is null, for the module argument of <c>apply</c>.
    /// </summary>
    public static List<Tensor> Gradients(Func<Tensor> forward, Tensor outputGradient, params Tensor[] inputs)
    {
        using var grad = enable_grad();
        var output = forward();
        var differentiable = inputs.Where(i => i.requires_grad).ToList();
        var gradients = differentiable.Count == 0
            ? new List<Tensor>()
            : autograd.grad(new[] { output }, differentiable, new[] { outputGradient }, retain_graph: true, create_graph: true, allow_unused: true).ToList();
        RemovePathsThroughComputedInputs(differentiable, gradients);

        var result = new List<Tensor> { null! };
        var next = 0;
        foreach (var input in inputs) result.Add(input.requires_grad ? gradients[next++] : null!);
        return result;
    }

    /// <summary>
    /// The recomputed forward reads the parameters (leaves) directly, but also an input computed from earlier
    /// operations — which may have read the same parameters (a model applied to its own output). Autograd's
    /// gradient of a leaf then also counts the path through that input's history, which the node's caller counts
    /// again; this node must report only its own part. That path's share is the input's history pulled back with
    /// the input's own gradient, subtracted here (still on the tape, so it stays differentiable). When no leaf
    /// is upstream of the input, autograd finds no path and nothing is computed.
    /// </summary>
    static void RemovePathsThroughComputedInputs(List<Tensor> differentiable, List<Tensor> gradients)
    {
        var computed = Enumerable.Range(0, differentiable.Count).Where(i => !differentiable[i].is_leaf && gradients[i] is not null).ToList();
        var leaves = Enumerable.Range(0, differentiable.Count).Where(i => differentiable[i].is_leaf).ToList();
        if (computed.Count == 0 || leaves.Count == 0) return;

        var throughInputs = autograd.grad(
            computed.Select(i => differentiable[i]).ToList(),
            leaves.Select(i => differentiable[i]).ToList(),
            computed.Select(i => gradients[i]).ToList(),
            retain_graph: true, create_graph: true, allow_unused: true);
        for (var k = 0; k < leaves.Count; k++)
        {
            var i = leaves[k];
            if (throughInputs[k] is { } counted && !counted.IsInvalid && gradients[i] is not null) gradients[i] = gradients[i] - counted;
        }
    }
}
