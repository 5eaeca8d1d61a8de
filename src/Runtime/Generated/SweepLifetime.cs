using System.ComponentModel;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>
/// The lifetime of what a generated sweep keeps between its forward pass and its reverse sweep when autograd runs
/// it: the forward may run inside a dispose scope that ends before <c>loss.backward()</c> (a loop that moves only
/// the loss out), so the sweep takes its tensors out of that scope, as PyTorch's graph keeps what a node saved,
/// and releases its intermediates once the backward has used them. Meant for generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SweepLifetime
{
    /// <summary>
    /// Takes each live tensor of <paramref name="kept"/> out of the dispose scope that owns it, except any that is one
    /// of <paramref name="shared"/> (the input and the parameters, which stay the caller's); nulls (values not
    /// formed) are skipped.
    /// </summary>
    public static void Detach(Tensor?[] kept, params Tensor?[] shared)
    {
        foreach (var tensor in kept)
        {
            if (tensor is null || tensor.IsInvalid) continue;
            if (System.Array.Exists(shared, s => ReferenceEquals(s, tensor))) continue;
            tensor.DetachFromDisposeScope();
        }
    }

    /// <summary>Takes the tensors a sweep's loops kept on its tape out of the dispose scope that owns them.</summary>
    public static void Detach(Tape<Tensor> tape)
    {
        foreach (var tensor in tape.Values)
            if (tensor is not null && !tensor.IsInvalid) tensor.DetachFromDisposeScope();
    }

    /// <summary>
    /// Takes the gradients a generated backward hands autograd out of the dispose scope the backward opened, which then
    /// disposes everything else the reverse sweep made; nulls (no gradient) stay.
    /// </summary>
    public static System.Collections.Generic.List<Tensor> Keep(System.Collections.Generic.List<Tensor> gradients)
    {
        foreach (var gradient in gradients)
            if (gradient is not null && !gradient.IsInvalid) gradient.MoveToOuterDisposeScope();
        return gradients;
    }

    /// <summary>
    /// Disposes the sweep's <paramref name="intermediates"/> after its backward ran, except any that is one of
    /// <paramref name="shared"/> (the input and the parameters, which others own): a variable may simply name one
    /// of them.
    /// </summary>
    public static void Release(Tensor?[] intermediates, params Tensor?[] shared)
    {
        foreach (var tensor in intermediates)
        {
            if (tensor is null || tensor.IsInvalid) continue;
            if (System.Array.Exists(shared, s => ReferenceEquals(s, tensor))) continue;
            tensor.Dispose();
        }
    }
}
