using Leibniz.Generated;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

public sealed class BroadcastingTests
{
    public static TheoryData<long[], long[]> Shapes() => new()
    {
        { new long[] { 4, 3 }, new long[] { 4, 3 } },
        { new long[] { 4, 3 }, new long[] { 1, 3 } },
        { new long[] { 4, 3 }, new long[] { 4, 1 } },
        { new long[] { 4, 3 }, new long[] { 3 } },
        { new long[] { 4, 3 }, new long[0] },
        { new long[] { 2, 4, 3 }, new long[] { 4, 1 } },
        { new long[] { 2, 4, 3 }, new long[] { 2, 1, 3 } },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Summing_to_a_shape_gives_what_autograd_gives_the_broadcast_operand(long[] outputShape, long[] operandShape)
    {
        using var operand = randn(operandShape, dtype: ScalarType.Float64).requires_grad_();
        using var other = randn(outputShape, dtype: ScalarType.Float64);
        using var seed = randn(outputShape, dtype: ScalarType.Float64);
        using var product = (operand + other) * 1.0;
        product.backward(new[] { seed });

        using var reduced = Broadcasting.SumToShape(seed, operandShape);

        Assert.Equal(operandShape, reduced.shape);
        Assert.True(reduced.allclose(operand.grad!, rtol: 1e-12, atol: 1e-12));
    }

    [Fact]
    public void A_shape_that_was_not_broadcast_is_rejected_with_both_shapes()
    {
        using var gradient = zeros(4, 3);
        var error = Assert.Throws<ArgumentException>(() => Broadcasting.SumToShape(gradient, new long[] { 2, 3 }));
        Assert.Contains("[4, 3]", error.Message);
        Assert.Contains("[2, 3]", error.Message);
    }
}
