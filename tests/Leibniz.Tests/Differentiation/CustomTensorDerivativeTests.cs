using TorchSharp;
using static TorchSharp.torch;
using static Leibniz.Tests.Differentiation.TensorOracle;

namespace Leibniz.Tests.Differentiation;

/// <summary>
/// <c>[Derivative]</c> and <c>[Tangent]</c> written by hand for tensor functions (<see cref="CustomTensorDerivativeFunctions"/>):
/// the generated derivatives of their callers against TorchSharp autograd on the closed form, in float64.
/// </summary>
public sealed class CustomTensorDerivativeTests
{
    public CustomTensorDerivativeTests() => manual_seed(5);

    [Theory]
    [InlineData(4, 3, 2)]
    [InlineData(1, 5, 5)]
    public void A_hand_written_tensor_pullback_is_what_the_caller_s_gradient_runs(long batch, long inputs, long outputs)
    {
        var x = Leaf(batch, inputs);
        var w = Leaf(inputs, outputs);
        var value = CustomTensorDerivativeFunctions.LossWithGradient(x, w, out var dx, out var dw);
        // The closed form of the same loss: softplus is log(1 + eˣ).
        AssertMatchesAutograd(() => nn.functional.softplus(x.matmul(w) * 8).mean(), value, new[] { dx, dw }, (x, "x"), (w, "w"));
    }

    [Fact]
    public void The_stable_form_stays_finite_where_exp_overflows()
    {
        var x = (Data(3, 2) * 40).requires_grad_();
        var w = Data(2, 2).requires_grad_();
        var value = CustomTensorDerivativeFunctions.LossWithGradient(x, w, out var dx, out var dw);
        Assert.True(double.IsFinite(value.ToDouble()));
        Assert.True(dx!.isfinite().all().ToBoolean() && dw!.isfinite().all().ToBoolean());
        AssertMatchesAutograd(() => nn.functional.softplus(x.matmul(w) * 8).mean(), value, new[] { dx, dw }, (x, "x"), (w, "w"));
    }

    [Fact]
    public void A_hand_written_tensor_tangent_is_what_the_caller_s_forward_mode_runs()
    {
        var (x, w) = (Data(4, 3), Data(3, 2));
        var (vx, vw) = (Data(4, 3), Data(3, 2));
        var product = CustomTensorDerivativeFunctions.LossJacobianVectorProduct(x, w, vx, vw);
        CustomTensorDerivativeFunctions.LossWithGradient(x, w, out var dx, out var dw);
        Assert.Equal(((dx! * vx).sum() + (dw! * vw).sum()).ToDouble(), product.ToDouble(), 12);
    }

    [Theory]
    [InlineData(0.7)]
    [InlineData(-1.3)]
    public void A_pullback_with_tensor_and_scalar_adjoints_gives_both(double s)
    {
        var x = Leaf(3, 4);
        var value = CustomTensorDerivativeFunctions.ScaledWithGradient(x, s, out var dx, out var ds);
        var sLeaf = tensor(s, dtype: ScalarType.Float64).requires_grad_();
        var expected = Autograd(() => (x.tanh() * (sLeaf * sLeaf)).sum(), x, sLeaf);
        AssertClose(expected[0], dx, "x");
        Assert.Equal(expected[1]!.ToDouble(), ds, 12);
        Assert.Equal(CustomTensorDerivativeFunctions.Scaled(x, s).ToDouble(), value.ToDouble(), 12);
    }
}
