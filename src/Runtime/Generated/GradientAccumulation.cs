using System.ComponentModel;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>Puts gradients where TorchSharp's optimizers read them, as <c>loss.backward()</c> does. Meant for generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GradientAccumulation
{
    /// <summary>
    /// Adds <paramref name="gradient"/> to <paramref name="parameter"/>'s <c>.grad</c>: it becomes the
    /// gradient when there is none yet (after <c>zero_grad()</c>), and is added in place otherwise, so
    /// repeated backward passes accumulate.
    /// </summary>
    public static void Accumulate(Tensor parameter, Tensor? gradient)
    {
        if (gradient is null) return;
        using var existing = parameter.grad;
        if (existing is null || existing.IsInvalid)
        {
            parameter.grad = gradient.detach();
            return;
        }

        using var noGrad = no_grad();
        existing.add_(gradient);
    }
}
