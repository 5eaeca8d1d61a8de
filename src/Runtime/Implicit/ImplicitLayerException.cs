using System;

namespace Leibniz.Implicit;

/// <summary>
/// An implicit layer could not give a value or a derivative it can vouch for: its solver returned no usable solution,
/// the condition does not hold at the solution (its residual is above the layer's <c>ResidualTolerance</c>), or the linear
/// system of the implicit function theorem did not converge. An implicit gradient at a point that is not a solution, or
/// from an unconverged linear solve, is biased without any sign of it; Leibniz refuses it instead. The message names the
/// layer, the figures reached and what to change; a linear solve's own failure is the <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class ImplicitLayerException : Exception
{
    /// <summary>Creates the exception with a message naming the layer, the figures and a remedy.</summary>
    public ImplicitLayerException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception around the failure that caused it (a linear solve's, say).</summary>
    public ImplicitLayerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
