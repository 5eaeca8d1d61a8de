using System;
using System.Collections.Generic;
using System.ComponentModel;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>
/// What a generated backward does when it fails inside TorchSharp's autograd (a parameter disposed between the forward
/// pass and <c>backward()</c>, say). libtorch calls that backward, and a .NET exception cannot unwind through its frames:
/// thrown there, it would end the process. The failure is kept in <see cref="Derivatives.LastBackwardFailure"/> and
/// written to standard error, and autograd is handed gradients of an impossible shape, so that libtorch stops the
/// backward with an error of its own, which reaches the caller of <c>backward()</c> as an exception. For generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class BackwardFailure
{
    static readonly Device Meta = new(TorchSharp.DeviceType.META);

    /// <summary>Records <paramref name="failure"/> and returns the gradients that make autograd stop.</summary>
    /// <param name="failure">What the generated backward threw.</param>
    /// <param name="function">The model method whose backward it was, for the message.</param>
    /// <param name="arguments">How many arguments autograd's apply received (the model first): one gradient each.</param>
    public static List<Tensor> Signal(Exception failure, string function, int arguments)
    {
        Derivatives.LastBackwardFailure = failure;
        Console.Error.WriteLine(
            $"Leibniz: the generated backward of {function} failed and backward() is stopped (the exception is in Derivatives.LastBackwardFailure): {failure.GetType().Name}: {failure.Message}");
        var gradients = new List<Tensor>(arguments) { null! };
        // A gradient of no elements on the meta device fits no input: libtorch rejects it before anything is accumulated.
        // On the CPU an empty gradient would not do: a 0-dimensional input broadcasts to shape [0], and libtorch would
        // sum it to a silent zero.
        for (var i = 1; i < arguments; i++) gradients.Add(empty(0, device: Meta));
        return gradients;
    }
}
