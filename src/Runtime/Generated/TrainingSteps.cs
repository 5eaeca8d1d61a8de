using System;
using System.ComponentModel;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>What a generated <c>TrainStep</c> asks of the loss: its value and its gradient with respect to the model's output. Meant for generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TrainingSteps
{
    /// <summary>
    /// Runs <paramref name="loss"/> on the tape over <paramref name="output"/> alone (a leaf detached from whatever made it)
    /// and <paramref name="target"/>, and returns ∂loss/∂output, the seed of the model's generated backward.
    /// </summary>
    /// <param name="output">The model's output.</param>
    /// <param name="target">What the loss compares it with.</param>
    /// <param name="loss">The loss: a scalar tensor of the output and the target.</param>
    /// <param name="value">The loss's value.</param>
    /// <param name="method">The generated method, for messages.</param>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> or <paramref name="loss"/> is null.</exception>
    /// <exception cref="ArgumentException">The loss is not a scalar, or does not depend on the output.</exception>
    public static Tensor LossGradient(Tensor output, Tensor target, Func<Tensor, Tensor, Tensor> loss, out double value, string method)
    {
        if (target is null) throw new ArgumentNullException(nameof(target), $"{method} needs a target for the loss; pass the tensor the loss compares the output with.");
        if (loss is null) throw new ArgumentNullException(nameof(loss), $"{method} needs a loss of the output and the target, such as (output, target) => nn.functional.mse_loss(output, target).");

        var leaf = output.detach().requires_grad_();
        Tensor result;
        using (enable_grad())
            result = loss(leaf, target) ?? throw new ArgumentException($"The loss passed to {method} returned null; return a scalar tensor.", nameof(loss));
        if (result.numel() != 1)
            throw new ArgumentException($"The loss passed to {method} returned a tensor of shape [{string.Join(", ", result.shape)}]; return a scalar (reduce it with .mean() or .sum()).", nameof(loss));
        if (!result.requires_grad)
            throw new ArgumentException($"The loss passed to {method} does not depend on the model's output (its first argument), so no gradient reaches the model.", nameof(loss));

        result.backward();
        value = result.to_type(ScalarType.Float64).item<double>();
        return leaf.grad ?? zeros_like(leaf);
    }
}
