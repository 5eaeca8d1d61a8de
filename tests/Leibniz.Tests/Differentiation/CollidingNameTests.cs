using TorchSharp;
using static Leibniz.Tests.Differentiation.FiniteDifferences;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

/// <summary>Derivatives of functions whose names are the generated code's own, against central differences and autograd.</summary>
public sealed class CollidingNameTests
{
    public static TheoryData<double, double, int> Points() => new()
    {
        { 0.8, 0.3, 3 }, { -0.7, 1.2, 2 }, { 1.9, -0.6, 4 }, { 0.4, 0.9, 0 },
    };

    [Theory]
    [MemberData(nameof(Points))]
    public void A_function_with_a_seed_parameter_and_locals_named_like_adjoints_has_the_right_gradient(double x, double seed, int n)
    {
        var value = CollidingNameFunctions.CollidingWithGradient(x, seed, n, out var dx, out var dseed);

        Assert.Equal(CollidingNameFunctions.Colliding(x, seed, n), value);
        AssertClose(Derivative(t => CollidingNameFunctions.Colliding(t, seed, n), x), dx, what: "∂/∂x");
        AssertClose(Derivative(t => CollidingNameFunctions.Colliding(x, t, n), seed), dseed, what: "∂/∂seed");
    }

    [Theory]
    [MemberData(nameof(Points))]
    public void Its_pullback_scales_by_the_pullbacks_seed_not_the_users(double x, double seed, int n)
    {
        double dx = 0, dseed = 0;
        CollidingNameFunctions.CollidingPullback(x, seed, n, 2.5, ref dx, ref dseed);

        AssertClose(2.5 * Derivative(t => CollidingNameFunctions.Colliding(t, seed, n), x), dx, what: "∂/∂x");
        AssertClose(2.5 * Derivative(t => CollidingNameFunctions.Colliding(x, t, n), seed), dseed, what: "∂/∂seed");
    }

    [Theory]
    [MemberData(nameof(Points))]
    public void Its_tangent_and_hessian_vector_product_match_central_differences(double x, double seed, int n)
    {
        // Along v = (0.6, −0.8): the tangent is ∇f·v, and H·v the derivative of the gradient along v.
        double Along(Func<double, double, double> f) => Derivative(t => f(x + 0.6 * t, seed - 0.8 * t), 0);
        CollidingNameFunctions.CollidingTangent(x, seed, n, 0.6, -0.8, out var tangent);
        AssertClose(Along((a, b) => CollidingNameFunctions.Colliding(a, b, n)), tangent, what: "tangent");

        CollidingNameFunctions.CollidingHessianVectorProduct(x, seed, n, 0.6, -0.8, out _, out _, out var hvx, out var hvseed);
        double Gradient(double a, double b, int i)
        {
            CollidingNameFunctions.CollidingWithGradient(a, b, n, out var gx, out var gseed);
            return i == 0 ? gx : gseed;
        }

        AssertClose(Along((a, b) => Gradient(a, b, 0)), hvx, 1e-6, "(H·v)ₓ");
        AssertClose(Along((a, b) => Gradient(a, b, 1)), hvseed, 1e-6, "(H·v)_seed");
    }

    [Fact]
    public void A_tensor_function_with_a_seed_parameter_matches_autograd()
    {
        manual_seed(5);
        var x = randn(4, 3, dtype: ScalarType.Float64).requires_grad_();
        var seed = randn(4, 3, dtype: ScalarType.Float64).requires_grad_();

        var expected = CollidingNameFunctions.CollidingTensor(x, seed);
        expected.backward();
        using var generated = CollidingNameFunctions.CollidingTensorWithGradient(x.detach(), seed.detach(), out var dx, out var dseed);

        Assert.True(expected.detach().allclose(generated, rtol: 1e-12, atol: 0));
        Assert.True(x.grad!.allclose(dx!, rtol: 1e-10, atol: 1e-12), "∂/∂x");
        Assert.True(seed.grad!.allclose(dseed!, rtol: 1e-10, atol: 1e-12), "∂/∂seed");
    }
}
