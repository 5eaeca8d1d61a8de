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
}
