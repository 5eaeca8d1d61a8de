using System;

namespace Leibniz;

/// <summary>
/// Which derivatives the generator writes for a <c>[Differentiable]</c> method, beyond reverse mode
/// (<c>FWithGradient</c>, <c>FPullback</c>), which it always writes because other methods' pullbacks
/// call it. Set with <see cref="DifferentiableAttribute.Modes"/>.
/// </summary>
[Flags]
public enum DerivativeModes
{
    /// <summary><c>FWithGradient</c> and <c>FPullback</c>: the gradient by reverse mode. Always generated.</summary>
    Reverse = 1,

    /// <summary>
    /// Forward mode: <c>FTangent(x…, dx…, out tangent)</c>, which returns the value and the directional
    /// derivative along <c>dx</c> (for a tensor result, the Jacobian–vector product), and
    /// <c>FJacobianVectorProduct(x…, dx…)</c>, the product alone. For a tensor result of tensor inputs, also
    /// <c>FJacobian</c>: the full Jacobians, by columns or by rows, whichever takes fewer products. Every
    /// <c>[Differentiable]</c> method it calls must ask for forward mode too.
    /// </summary>
    Forward = 2,

    /// <summary>
    /// Second order: <c>FHessianVectorProduct</c>, the Hessian of a scalar result times a direction
    /// (for a tensor result, of its sum), with the gradient on the way; with a single input to
    /// differentiate (a tensor or a <c>double[]</c>), also <c>FHessian</c>, the full Hessian by columns. It is
    /// reverse mode applied to the generated tangent, so it brings <see cref="Forward"/> with it, and every
    /// <c>[Differentiable]</c> method it calls must ask for it too.
    /// </summary>
    HessianVectorProduct = 4 | Forward,

    /// <summary>Everything the generator can write.</summary>
    All = Reverse | Forward | HessianVectorProduct,
}
