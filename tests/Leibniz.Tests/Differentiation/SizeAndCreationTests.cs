using TorchSharp;
using static TorchSharp.torch;
using static Leibniz.Tests.Differentiation.TensorOracle;

namespace Leibniz.Tests.Differentiation;

/// <summary>
/// Sizes, creation and masks on differentiable paths (<see cref="SizeAndCreationFunctions"/>) against TorchSharp autograd
/// in float64, over several shapes, and forward mode against the gradient it must agree with.
/// </summary>
public sealed class SizeAndCreationTests
{
    public SizeAndCreationTests() => manual_seed(41);

    public static TheoryData<long, long, long> Sequences => new() { { 1, 1, 1 }, { 4, 3, 5 }, { 7, 2, 3 } };

    [Theory]
    [MemberData(nameof(Sequences))]
    public void A_loop_runs_to_a_size_read_from_the_input(long steps, long batch, long width)
    {
        var xs = Leaf(steps, batch, width);
        var w = (Data(width, width) * 0.5).requires_grad_();
        var value = SizeAndCreationFunctions.RecurrenceWithGradient(xs, w, out var dxs, out var dw);
        AssertMatchesAutograd(() => SizeAndCreationFunctions.Recurrence(xs, w), value, new[] { dxs, dw }, (xs, "xs"), (w, "w"));
        AssertMatchesCentralDifferences(a => SizeAndCreationFunctions.Recurrence(a[0], a[1]), new[] { dxs, dw }, xs, w);

        var (vx, vw) = (Data(steps, batch, width), Data(width, width));
        var product = SizeAndCreationFunctions.RecurrenceJacobianVectorProduct(xs.detach(), w.detach(), vx, vw);
        Assert.Equal(((dxs! * vx).sum() + (dw! * vw).sum()).ToDouble(), product.ToDouble(), 10);
    }

    [Fact]
    public void A_dtype_written_as_an_enum_member_is_passed_as_written()
    {
        var x = Leaf(5, 3);
        var value = SizeAndCreationFunctions.DtypeAsWrittenWithGradient(x, out var dx);
        AssertMatchesAutograd(() => SizeAndCreationFunctions.DtypeAsWritten(x), value, new[] { dx }, (x, "x"));
    }

    [Theory]
    [MemberData(nameof(Sequences))]
    public void An_int_counter_compared_with_size_runs_every_step(long steps, long batch, long width)
    {
        var xs = Leaf(steps, batch, width);
        var w = Leaf(batch, width);
        var value = SizeAndCreationFunctions.RecurrenceBySizeWithGradient(xs, w, out var dxs, out var dw);
        AssertMatchesAutograd(() => SizeAndCreationFunctions.RecurrenceBySize(xs, w), value, new[] { dxs, dw }, (xs, "xs"), (w, "w"));

        var (vx, vw) = (Data(steps, batch, width), Data(batch, width));
        var product = SizeAndCreationFunctions.RecurrenceBySizeJacobianVectorProduct(xs.detach(), w.detach(), vx, vw);
        Assert.Equal(((dxs! * vx).sum() + (dw! * vw).sum()).ToDouble(), product.ToDouble(), 10);
    }

    [Theory]
    [InlineData(new long[] { 3, 4 })]
    [InlineData(new long[] { 2, 3, 5 })]
    [InlineData(new long[] { 1, 6, 1, 2 })]
    public void Reshapes_and_reductions_follow_sizes_and_ranks_read_from_the_input(long[] shape)
    {
        var x = Leaf(shape);
        var flat = SizeAndCreationFunctions.FlattenByBatchWithGradient(x, out var dFlat);
        AssertMatchesAutograd(() => SizeAndCreationFunctions.FlattenByBatch(x), flat, new[] { dFlat }, (x, "x"));
        var last = SizeAndCreationFunctions.SumOverLastWithGradient(x, out var dLast);
        AssertMatchesAutograd(() => SizeAndCreationFunctions.SumOverLast(x), last, new[] { dLast }, (x, "x"));
    }

    [Fact]
    public void Masks_are_data_and_select_the_derivative_of_the_branch_they_choose()
    {
        var x = (Data(5, 7) * 1.5).requires_grad_();
        var value = SizeAndCreationFunctions.MasksWithGradient(x, out var dx);
        AssertMatchesAutograd(() => SizeAndCreationFunctions.Masks(x), value, new[] { dx }, (x, "x"));

        var v = Data(5, 7);
        var product = SizeAndCreationFunctions.MasksJacobianVectorProduct(x.detach(), v);
        Assert.Equal((dx! * v).sum().ToDouble(), product.ToDouble(), 10);
    }

    [Fact]
    public void NoDerivative_and_detach_hold_a_tensor_constant()
    {
        var x = Leaf(4, 3);
        var value = SizeAndCreationFunctions.DetachedWithGradient(x, out var dx);
        using (no_grad())
        {
            // d/dx [Σ x·s + Σ x·x₀] with s = max|x| and x₀ = x held constant: s + x₀.
            var expected = x.abs().max() + x;
            AssertClose(expected, dx, "x");
            Assert.Equal(SizeAndCreationFunctions.Detached(x).ToDouble(), value.ToDouble(), 12);
        }
    }

    [Fact]
    public void Creation_calls_keep_the_dtype_and_device_the_code_asks_for()
    {
        var x = Leaf(3, 4);
        var value = SizeAndCreationFunctions.CreatedWithDtypeWithGradient(x, out var dx);
        AssertMatchesAutograd(() => SizeAndCreationFunctions.CreatedWithDtype(x), value, new[] { dx }, (x, "x"));
    }

    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float32)]
    public void Creation_calls_that_leave_dtype_and_device_open_are_made_beside_the_input(ScalarType dtype)
    {
        var x = randn(new long[] { 4, 3 }, dtype: dtype);
        var value = SizeAndCreationFunctions.CreatedBesideInputWithGradient(x, out var dx);
        Assert.Equal(dtype, value.dtype);
        Assert.Equal(dtype, dx!.dtype);
        using var _ = no_grad();
        // Σᵢ (x²)ᵢⱼ summed with ones, plus Σ I·x: the gradient is 2x + 1.
        var expected = (2 * x + 1).to_type(ScalarType.Float64);
        var tolerance = dtype == ScalarType.Float64 ? 1e-12 : 1e-5;
        Assert.True((expected - dx.to_type(ScalarType.Float64)).abs().max().ToDouble() < tolerance);
        var expectedValue = (x * x).sum().ToDouble() + x.sum().ToDouble();
        Assert.Equal(expectedValue, value.to_type(ScalarType.Float64).sum().ToDouble(), dtype == ScalarType.Float64 ? 10 : 4);
    }
}
