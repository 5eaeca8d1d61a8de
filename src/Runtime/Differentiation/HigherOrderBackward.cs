using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using static TorchSharp.torch;

namespace Leibniz;

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
            : autograd.grad(new[] { output }, differentiable, new[] { outputGradient }, retain_graph: true, create_graph: true, allow_unused: true);

        var result = new List<Tensor> { null! };
        var next = 0;
        foreach (var input in inputs) result.Add(input.requires_grad ? gradients[next++] : null!);
        return result;
    }
}
