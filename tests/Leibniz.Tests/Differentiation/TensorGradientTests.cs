using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

public sealed class TensorGradientTests
{
    public TensorGradientTests() => manual_seed(11);

    static Tensor Leaf(params long[] shape) => randn(shape, dtype: ScalarType.Float64).requires_grad_();

    /// <summary>The oracle: the same expression under TorchSharp's tape, in float64.</summary>
    static Tensor?[] Autograd(Func<Tensor> loss, params Tensor[] inputs)
    {
        foreach (var input in inputs) input.grad = null;
        loss().backward();
        return inputs.Select(i => i.grad?.detach().clone()).ToArray();
    }

    static void AssertClose(Tensor? expected, Tensor? actual, string what)
    {
        Assert.NotNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected!.shape, actual!.shape);
        var difference = (expected - actual).abs().max().ToDouble();
        Assert.True(expected.allclose(actual, rtol: 1e-10, atol: 1e-12), $"{what}: largest difference {difference:E2}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void A_two_layer_perceptron_matches_autograd(int batch)
    {
        var (x, w1, b1, w2, b2) = (Leaf(batch, 3), Leaf(5, 3), Leaf(5), Leaf(2, 5), Leaf(2));
        using var target = randn(batch, 2, dtype: ScalarType.Float64);

        var loss = TensorFunctions.MlpWithGradient(x, w1, b1, w2, b2, target, out var dx, out var dw1, out var db1, out var dw2, out var db2);
        var expected = Autograd(() => TensorFunctions.Mlp(x, w1, b1, w2, b2, target), x, w1, b1, w2, b2);

        Assert.Equal(TensorFunctions.Mlp(x, w1, b1, w2, b2, target).ToDouble(), loss.ToDouble(), 12);
        AssertClose(expected[0], dx, "x");
        AssertClose(expected[1], dw1, "w1");
        AssertClose(expected[2], db1, "b1");
        AssertClose(expected[3], dw2, "w2");
        AssertClose(expected[4], db2, "b2");
    }

    [Fact]
    public void Broadcast_operands_and_a_scalar_get_gradients_of_their_own_shape()
    {
        var (a, row, column) = (Leaf(4, 3), Leaf(1, 3), Leaf(4, 1));
        const double s = 0.7;
        using var sTensor = tensor(s, dtype: ScalarType.Float64).requires_grad_();

        TensorFunctions.BroadcastsWithGradient(a, row, column, s, out var da, out var drow, out var dcolumn, out var ds);
        var expected = Autograd(() => ((a * row + column) / (row * row + 1.0) - a * sTensor).tanh().sum(), a, row, column, sTensor);

        AssertClose(expected[0], da, "a");
        AssertClose(expected[1], drow, "row (1×3)");
        AssertClose(expected[2], dcolumn, "column (4×1)");
        Assert.Equal(expected[3]!.ToDouble(), ds, 10);
    }

    [Fact]
    public void Elementwise_rules_match_autograd()
    {
        using var positive = rand(3, 4, dtype: ScalarType.Float64) + 0.5;
        var x = positive.detach().requires_grad_();

        TensorFunctions.ElementwiseWithGradient(x, out var dx);

        AssertClose(Autograd(() => TensorFunctions.Elementwise(x), x)[0], dx, "x");
    }

    [Fact]
    public void Reductions_over_dimensions_with_and_without_keepdim_match_autograd()
    {
        var x = Leaf(3, 4);
        TensorFunctions.ReductionsWithGradient(x, out var dx);
        AssertClose(Autograd(() => TensorFunctions.Reductions(x), x)[0], dx, "x");
    }

    [Fact]
    public void Shape_operations_route_gradients_back_to_their_inputs()
    {
        var (x, w) = (Leaf(3, 4), Leaf(2, 5));
        TensorFunctions.ShapesWithGradient(x, w, out var dx, out var dw);
        var expected = Autograd(() => TensorFunctions.Shapes(x, w), x, w);
        AssertClose(expected[0], dx, "x");
        AssertClose(expected[1], dw, "w");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void A_loop_over_tensors_keeps_each_iterations_values_on_the_tape(int depth)
    {
        var (x, w) = (Leaf(2, 3), Leaf(3, 3));
        TensorFunctions.RepeatedLayerWithGradient(x, w, depth, out var dx, out var dw);
        var expected = Autograd(() => TensorFunctions.RepeatedLayer(x, w, depth), x, w);

        AssertClose(expected[0], dx, "x");
        if (depth == 0) Assert.True(dw is null && expected[1] is null, "w does not reach the result without a layer");
        else AssertClose(expected[1], dw, "w");
    }

    [Fact]
    public void Compound_assignments_on_tensors_keep_the_old_value_for_the_backward()
    {
        var (x, w) = (Leaf(3, 4), Leaf(4, 2));
        TensorFunctions.AccumulatesWithGradient(x, w, out var dx, out var dw);
        var expected = Autograd(() => TensorFunctions.Accumulates(x, w), x, w);
        AssertClose(expected[0], dx, "x");
        AssertClose(expected[1], dw, "w");
    }

    [Fact]
    public void Integer_variables_pass_to_long_parameters()
    {
        var x = Leaf(4);
        TensorFunctions.IntegerSizesWithGradient(x, 3, out var dx);
        AssertClose(Autograd(() => TensorFunctions.IntegerSizes(x, 3), x)[0], dx, "x");
    }

    [Fact]
    public void Masks_and_signs_steer_without_a_derivative_of_their_own()
    {
        var (x, w) = (Leaf(4, 3), Leaf(3, 5));
        TensorFunctions.PiecewiseByMaskWithGradient(x, w, out var dx, out var dw);
        var expected = Autograd(() => TensorFunctions.PiecewiseByMask(x, w), x, w);
        AssertClose(expected[0], dx, "x");
        AssertClose(expected[1], dw, "w");
    }
}
