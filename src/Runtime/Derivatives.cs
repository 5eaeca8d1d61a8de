namespace Leibniz;

/// <summary>Functions with a meaning only for the derivative generator.</summary>
public static class Derivatives
{
    /// <summary>
    /// Returns <paramref name="value"/>; inside a <c>[Differentiable]</c> method the derivative treats it as a
    /// constant (a "stop gradient"), so a call without a known derivative can be wrapped in it deliberately. A tensor
    /// comes back detached, so TorchSharp's autograd stops there too when it runs over the same code (a model's plain
    /// <c>Forward</c> under its forward hooks, the Hessian–vector product of a model calling models).
    /// </summary>
    public static T NoDerivative<T>(T value)
        => value is TorchSharp.torch.Tensor tensor && tensor.requires_grad ? (T)(object)tensor.detach() : value;

    /// <summary>
    /// The exception that stopped the last generated backward TorchSharp's autograd ran (through <c>loss.backward()</c>),
    /// or null. <c>backward()</c> itself then throws libtorch's error about an invalid gradient: a .NET exception cannot
    /// pass through libtorch, so this is where the cause is kept (and it is written to standard error).
    /// </summary>
    public static System.Exception? LastBackwardFailure { get; internal set; }
}
