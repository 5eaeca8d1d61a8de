using static TorchSharp.torch;

namespace Leibniz.Curvature;

/// <summary>
/// H_ℓ·<paramref name="direction"/>: the Hessian of a loss ℓ with respect to a model's output, at
/// <paramref name="output"/>, applied to a direction shaped like the output. The middle factor of a
/// Gauss–Newton product Jᵀ·H_ℓ·J·v (<see cref="LossCurvature"/> has the usual losses in closed form; the generated
/// <c>FHessianVectorProduct</c> of a user's own <c>[Differentiable]</c> loss fits too).
/// </summary>
public delegate Tensor LossHessianProduct(Tensor output, Tensor direction);
