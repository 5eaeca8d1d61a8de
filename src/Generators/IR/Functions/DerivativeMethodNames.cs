namespace Leibniz.Generators.IR.Functions;

/// <summary>
/// The suffixes of generated derivative methods that IR names in calls and the emitters declare: one spelling for both,
/// so a call a transform builds finds the method an emitter writes.
/// </summary>
internal static class DerivativeMethodNames
{
    /// <summary>A function's pullback: <c>FPullback</c>.</summary>
    public const string PullbackSuffix = "Pullback";

    /// <summary>A function's Jacobian–vector product (the tangent alone): <c>FJacobianVectorProduct</c>.</summary>
    public const string JacobianVectorProductSuffix = "JacobianVectorProduct";

    /// <summary>A function's value with its tangent: <c>FTangent</c>.</summary>
    public const string TangentSuffix = "Tangent";

    /// <summary>A function's Hessian–vector product: <c>FHessianVectorProduct</c>.</summary>
    public const string HessianVectorProductSuffix = "HessianVectorProduct";

    /// <summary>An implicit layer's differentiable solution: <c>Layer.Apply(θ…)</c>.</summary>
    public const string Apply = "Apply";

    /// <summary>An implicit layer's pullback at a solution already computed, which a reverse sweep that kept it calls.</summary>
    public const string ApplyPullbackAt = "ApplyPullbackAt";
}
