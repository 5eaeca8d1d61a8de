using Leibniz.Generated;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

/// <summary>
/// conv2d, max_pool2d and dropout in the generated backward against TorchSharp autograd in float64. Spatial sizes are
/// odd and non-square, and channels differ from the batch, so an adjoint that swaps height and width, drops the rows a
/// stride leaves unread, or mixes batch and channels gets a wrong shape or wrong values.
/// </summary>
[Collection(SeededDraws.Name)]
public sealed class LayerRuleTests
{
    public LayerRuleTests() => manual_seed(29);

    static Tensor Leaf(params long[] shape) => randn(shape, dtype: ScalarType.Float64).requires_grad_();

    static Tensor Data(params long[] shape) => randn(shape, dtype: ScalarType.Float64);

    static void AssertClose(Tensor? expected, Tensor? actual, string what)
    {
        Assert.NotNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected!.shape, actual!.shape);
        var difference = (expected - actual).abs().max().ToDouble();
        Assert.True(expected.allclose(actual, rtol: 1e-10, atol: 1e-12), $"{what}: largest difference {difference:E2}");
    }

    /// <summary>Autograd's gradients of <paramref name="function"/> next to the generated ones, and the values.</summary>
    static void AssertMatchesAutograd(Func<Tensor> function, Tensor value, Tensor?[] gradients, params (Tensor Input, string Name)[] inputs)
    {
        foreach (var (input, _) in inputs) input.grad = null;
        using var oracle = function();
        oracle.backward();
        Assert.Equal(oracle.ToDouble(), value.ToDouble(), 10);
        for (var i = 0; i < inputs.Length; i++) AssertClose(inputs[i].Input.grad, gradients[i], inputs[i].Name);
    }

    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().ToBoolean();

    // ---- conv2d ----

    public static TheoryData<long[]> ConvolutionInputs => new()
    {
        new long[] { 2, 3, 7, 9 },
        new long[] { 3, 3, 6, 5 },
        new long[] { 3, 7, 8 },
    };

    [Theory]
    [MemberData(nameof(ConvolutionInputs))]
    public void Conv2d_with_defaults_matches_autograd_batched_and_unbatched(long[] shape)
    {
        var (x, weight) = (Leaf(shape), Leaf(4, 3, 3, 2));
        var value = LayerRuleFunctions.Conv2dDefaultsWithGradient(x, weight, out var dx, out var dweight);
        AssertMatchesAutograd(() => LayerRuleFunctions.Conv2dDefaults(x, weight), value, new[] { dx, dweight }, (x, "input"), (weight, "weight"));
    }

    [Theory]
    [MemberData(nameof(ConvolutionInputs))]
    public void Conv2d_with_a_bias_sums_its_adjoint_over_batch_height_and_width(long[] shape)
    {
        var (x, weight, bias) = (Leaf(shape), Leaf(4, 3, 2, 3), Leaf(4));
        var value = LayerRuleFunctions.Conv2dWithBiasWithGradient(x, weight, bias, out var dx, out var dweight, out var dbias);
        AssertMatchesAutograd(() => LayerRuleFunctions.Conv2dWithBias(x, weight, bias), value, new[] { dx, dweight, dbias },
            (x, "input"), (weight, "weight"), (bias, "bias"));
    }

    [Fact]
    public void Conv2d_with_an_explicit_null_bias_and_padding_matches_autograd()
    {
        var (x, weight) = (Leaf(2, 3, 7, 9), Leaf(5, 3, 3, 3));
        var value = LayerRuleFunctions.Conv2dExplicitNullBiasWithGradient(x, weight, out var dx, out var dweight);
        AssertMatchesAutograd(() => LayerRuleFunctions.Conv2dExplicitNullBias(x, weight), value, new[] { dx, dweight }, (x, "input"), (weight, "weight"));
    }

    [Theory]
    [InlineData(2, 3, 7, 9)]
    [InlineData(3, 3, 8, 6)]
    public void Conv2d_with_stride_2_and_padding_1_matches_autograd(long n, long c, long h, long w)
    {
        var (x, weight, bias) = (Leaf(n, c, h, w), Leaf(4, c, 3, 3), Leaf(4));
        var value = LayerRuleFunctions.Conv2dStride2Padding1WithGradient(x, weight, bias, out var dx, out var dweight, out var dbias);
        AssertMatchesAutograd(() => LayerRuleFunctions.Conv2dStride2Padding1(x, weight, bias), value, new[] { dx, dweight, dbias },
            (x, "input"), (weight, "weight"), (bias, "bias"));
    }

    [Theory]
    [InlineData(2, 3, 9, 11)]
    [InlineData(3, 2, 10, 13)]
    public void Conv2d_with_different_stride_padding_and_dilation_per_dimension_matches_autograd(long n, long c, long h, long w)
    {
        var (x, weight, bias) = (Leaf(n, c, h, w), Leaf(4, c, 3, 2), Leaf(4));
        var value = LayerRuleFunctions.Conv2dAsymmetricWithGradient(x, weight, bias, out var dx, out var dweight, out var dbias);
        AssertMatchesAutograd(() => LayerRuleFunctions.Conv2dAsymmetric(x, weight, bias), value, new[] { dx, dweight, dbias },
            (x, "input"), (weight, "weight"), (bias, "bias"));
    }

    [Fact]
    public void Conv2d_with_dilation_2_matches_autograd()
    {
        var (x, weight) = (Leaf(2, 3, 7, 10), Leaf(4, 3, 3, 2));
        var value = LayerRuleFunctions.Conv2dDilatedWithGradient(x, weight, out var dx, out var dweight);
        AssertMatchesAutograd(() => LayerRuleFunctions.Conv2dDilated(x, weight), value, new[] { dx, dweight }, (x, "input"), (weight, "weight"));
    }

    [Theory]
    [InlineData(new long[] { 2, 4, 7, 9 })]
    [InlineData(new long[] { 3, 6, 8, 5 })]
    [InlineData(new long[] { 4, 9, 8 })]
    public void Conv2d_in_two_groups_keeps_each_groups_weights_apart(long[] shape)
    {
        var channels = shape[^3];
        var (x, weight, bias) = (Leaf(shape), Leaf(6, channels / 2, 3, 2), Leaf(6));
        var value = LayerRuleFunctions.Conv2dTwoGroupsWithGradient(x, weight, bias, out var dx, out var dweight, out var dbias);
        AssertMatchesAutograd(() => LayerRuleFunctions.Conv2dTwoGroups(x, weight, bias), value, new[] { dx, dweight, dbias },
            (x, "input"), (weight, "weight"), (bias, "bias"));
    }

    [Theory]
    [InlineData(2, 9, 7)]
    [InlineData(5, 8, 11)]
    public void Depthwise_conv2d_strided_and_dilated_matches_autograd(long n, long h, long w)
    {
        var (x, weight, bias) = (Leaf(n, 3, h, w), Leaf(6, 1, 3, 2), Leaf(6));
        var value = LayerRuleFunctions.Conv2dDepthwiseWithGradient(x, weight, bias, out var dx, out var dweight, out var dbias);
        AssertMatchesAutograd(() => LayerRuleFunctions.Conv2dDepthwise(x, weight, bias), value, new[] { dx, dweight, dbias },
            (x, "input"), (weight, "weight"), (bias, "bias"));
    }

    [Theory]
    [InlineData(new long[] { 2, 4, 7, 9 })]
    [InlineData(new long[] { 4, 7, 6 })]
    public void Conv2d_with_padding_wider_than_the_kernel_and_every_option_together_matches_autograd(long[] shape)
    {
        var (x, weight, bias) = (Leaf(shape), Leaf(6, 2, 2, 3), Leaf(6));
        var value = LayerRuleFunctions.Conv2dWidePaddingWithGradient(x, weight, bias, out var dx, out var dweight, out var dbias);
        AssertMatchesAutograd(() => LayerRuleFunctions.Conv2dWidePadding(x, weight, bias), value, new[] { dx, dweight, dbias },
            (x, "input"), (weight, "weight"), (bias, "bias"));
    }

    // ---- max_pool2d ----

    public static TheoryData<long[], bool> PoolingInputs => new()
    {
        { new long[] { 2, 3, 7, 9 }, false },
        { new long[] { 3, 2, 8, 5 }, false },
        { new long[] { 3, 7, 6 }, false },
        // Few distinct values: windows hold ties, which PyTorch breaks by the first maximum in scan order.
        { new long[] { 2, 3, 7, 9 }, true },
        { new long[] { 3, 2, 8, 5 }, true },
    };

    static Tensor PoolInput(long[] shape, bool ties)
        => (ties ? randint(0, 3, shape, dtype: ScalarType.Float64) : randn(shape, dtype: ScalarType.Float64)).requires_grad_();

    [Theory]
    [MemberData(nameof(PoolingInputs))]
    public void Max_pool2d_with_a_square_kernel_and_default_stride_matches_autograd(long[] shape, bool ties)
    {
        var x = PoolInput(shape, ties);
        var w = Data(nn.functional.max_pool2d(x, 2).shape);
        var value = LayerRuleFunctions.MaxPoolKernel2WithGradient(x, w, out var dx);
        AssertMatchesAutograd(() => LayerRuleFunctions.MaxPoolKernel2(x, w), value, new[] { dx }, (x, "input"));
    }

    [Theory]
    [MemberData(nameof(PoolingInputs))]
    public void Max_pool2d_over_overlapping_windows_sums_the_adjoints_of_a_shared_maximum(long[] shape, bool ties)
    {
        var x = PoolInput(shape, ties);
        var w = Data(nn.functional.max_pool2d(x, 3, stride: 1).shape);
        var value = LayerRuleFunctions.MaxPoolOverlappingWithGradient(x, w, out var dx);
        AssertMatchesAutograd(() => LayerRuleFunctions.MaxPoolOverlapping(x, w), value, new[] { dx }, (x, "input"));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Max_pool2d_with_a_window_size_from_a_variable_matches_autograd(int size)
    {
        var x = PoolInput(new long[] { 2, 3, 7, 9 }, ties: true);
        var w = Data(nn.functional.max_pool2d(x, size, stride: 1).shape);
        var value = LayerRuleFunctions.MaxPoolSizedWithGradient(x, w, size, out var dx);
        AssertMatchesAutograd(() => LayerRuleFunctions.MaxPoolSized(x, w, size), value, new[] { dx }, (x, "input"));
    }

    [Theory]
    [MemberData(nameof(PoolingInputs))]
    public void Max_pool2d_in_ceil_mode_counts_the_last_partial_window(long[] shape, bool ties)
    {
        var x = PoolInput(shape, ties);
        var w = Data(nn.functional.max_pool2d(x, 2, ceil_mode: true).shape);
        Assert.NotEqual(nn.functional.max_pool2d(x, 2).shape, w.shape);
        var value = LayerRuleFunctions.MaxPoolCeilModeWithGradient(x, w, out var dx);
        AssertMatchesAutograd(() => LayerRuleFunctions.MaxPoolCeilMode(x, w), value, new[] { dx }, (x, "input"));
    }

    [Theory]
    [MemberData(nameof(PoolingInputs))]
    public void Max_pool2d_with_tuple_sizes_and_padding_matches_autograd(long[] shape, bool ties)
    {
        var x = PoolInput(shape, ties);
        var w = Data(nn.functional.max_pool2d(x, (3, 2), stride: (2, 1), padding: (1, 0)).shape);
        var value = LayerRuleFunctions.MaxPoolTuplesWithGradient(x, w, out var dx);
        AssertMatchesAutograd(() => LayerRuleFunctions.MaxPoolTuples(x, w), value, new[] { dx }, (x, "input"));
    }

    [Theory]
    [MemberData(nameof(PoolingInputs))]
    public void Max_pool2d_with_array_sizes_dilation_padding_and_ceil_mode_matches_autograd(long[] shape, bool ties)
    {
        var x = PoolInput(shape, ties);
        var w = Data(nn.functional.max_pool2d(x, new long[] { 3, 2 }, new long[] { 2, 2 }, new long[] { 1, 1 }, new long[] { 2, 1 }, ceil_mode: true).shape);
        var value = LayerRuleFunctions.MaxPoolArraysWithGradient(x, w, out var dx);
        AssertMatchesAutograd(() => LayerRuleFunctions.MaxPoolArrays(x, w), value, new[] { dx }, (x, "input"));
    }

    [Fact]
    public void Max_pool2d_values_read_at_the_kept_indices_equal_torchsharps_exactly()
    {
        using var x = randint(0, 4, new long[] { 2, 3, 7, 9 }, dtype: ScalarType.Float64);
        using var expected = nn.functional.max_pool2d(x, (3, 2), stride: (2, 1), padding: (1, 0));
        using var indices = MaxPool2dSelection.Indices(x, (3, 2), stride: (2, 1), padding: (1, 0));
        using var actual = MaxPool2dSelection.Gather(x, indices);
        Assert.Equal(ScalarType.Int64, indices.dtype);
        Assert.True(Same(expected, actual));
    }

    // ---- dropout ----

    /// <summary>The mask <see cref="DropoutMask.Draw"/> gives after <c>manual_seed(seed)</c>, for the oracle.</summary>
    static Tensor ReplayMask(long seed, Tensor like, double p)
    {
        manual_seed(seed);
        using var noGrad = no_grad();
        return DropoutMask.Draw(like, p);
    }

    [Theory]
    [InlineData(new long[] { 6, 11 })]
    [InlineData(new long[] { 2, 3, 5, 4 })]
    public void Dropout_backward_multiplies_by_the_mask_the_forward_drew_zero_inputs_included(long[] shape)
    {
        var data = randn(shape, dtype: ScalarType.Float64);
        data.view(-1).narrow(0, 0, 5).zero_();
        var x = data.requires_grad_();
        using var seed = randn(shape, dtype: ScalarType.Float64);

        manual_seed(7);
        Tensor? dx = null;
        var y = LayerRuleFunctions.DropoutPullback(x, seed, ref dx);
        using var mask = ReplayMask(7, x, 0.3);

        Assert.True(Same(y.detach(), x.detach() * mask), "the forward is x times the replayed mask");
        x.grad = null;
        (x * mask * seed).sum().backward();
        AssertClose(x.grad, dx, "input");
    }

    [Fact]
    public void Dropout_in_a_longer_function_reads_the_same_mask_in_both_sweeps()
    {
        var x = Leaf(5, 7);
        var w = Data(5, 7);
        manual_seed(11);
        var value = LayerRuleFunctions.DropoutThenMoreWithGradient(x, w, out var dx);
        using var mask = ReplayMask(11, x, 0.4);

        AssertMatchesAutograd(() =>
        {
            var h = x.tanh() * mask;
            return (h * w + h.square() * x).sum();
        }, value, new[] { dx }, (x, "input"));
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.85)]
    public void Dropout_zeroes_a_fraction_p_and_scales_the_rest_by_one_over_one_minus_p(double p)
    {
        const int n = 200_000;
        using var x = ones(n, dtype: ScalarType.Float64);
        using var seed = ones(n, dtype: ScalarType.Float64);
        Tensor? dx = null;
        double dp = 0;
        using var y = LayerRuleFunctions.DropoutWhenPullback(x, true, p, seed, ref dx, ref dp);

        using var kept = y.ne(0);
        var zeroFraction = 1 - kept.to_type(ScalarType.Float64).mean().ToDouble();
        // Five standard deviations of a binomial fraction: a wrong probability (1 − p for p) is far outside.
        var tolerance = 5 * Math.Sqrt(p * (1 - p) / n);
        Assert.InRange(zeroFraction, p - tolerance, p + tolerance);
        Assert.True(y.masked_select(kept).eq(1 / (1 - p)).all().ToBoolean(), "kept elements are x/(1 − p)");
        Assert.True(Same(dx!, y), "with x = 1 and seed 1 the gradient is the mask itself");
        Assert.InRange(y.mean().ToDouble(), 1 - 5 * Math.Sqrt(p / (1 - p) / n), 1 + 5 * Math.Sqrt(p / (1 - p) / n));
    }

    [Fact]
    public void Dropout_with_the_default_p_drops_half()
    {
        const int n = 100_000;
        using var x = ones(n, dtype: ScalarType.Float64);
        using var seed = ones(n, dtype: ScalarType.Float64);
        Tensor? dx = null;
        using var y = LayerRuleFunctions.DropoutDefaultPPullback(x, seed, ref dx);
        Assert.InRange(y.eq(0).to_type(ScalarType.Float64).mean().ToDouble(), 0.5 - 5 * Math.Sqrt(0.25 / n), 0.5 + 5 * Math.Sqrt(0.25 / n));
        Assert.True(y.masked_select(y.ne(0)).eq(2.0).all().ToBoolean());
    }

    [Fact]
    public void Dropout_outside_training_or_with_p_zero_is_the_identity()
    {
        var x = Leaf(4, 6);
        using var seed = randn(4, 6, dtype: ScalarType.Float64);

        Tensor? dx = null;
        double dp = 0;
        var y = LayerRuleFunctions.DropoutWhenPullback(x, false, 0.5, seed, ref dx, ref dp);
        Assert.True(Same(y, x), "training: false leaves the value");
        Assert.True(Same(dx!, seed), "training: false passes the adjoint through");
        Assert.Equal(0.0, dp);

        dx = null;
        y = LayerRuleFunctions.DropoutWhenPullback(x, true, 0.0, seed, ref dx, ref dp);
        Assert.True(Same(y, x) && Same(dx!, seed), "p = 0 at run time is the identity");
        // At p = 0 every element is kept and scaled by 1/(1 − p), whose derivative there is 1.
        Assert.Equal((seed * x).sum().ToDouble(), dp, 12);

        var evaluation = LayerRuleFunctions.DropoutInEvaluationWithGradient(x, out var dEvaluation);
        AssertMatchesAutograd(() => x.sin().sum(), evaluation.sum(), new[] { dEvaluation }, (x, "input (constant training: false)"));
        var nothing = LayerRuleFunctions.DropoutOfNothingWithGradient(x, out var dNothing);
        AssertMatchesAutograd(() => x.sin().sum(), nothing.sum(), new[] { dNothing }, (x, "input (constant p: 0)"));
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.6)]
    public void Dropout_differentiated_with_respect_to_p_holds_the_draw_fixed_as_autograd_does(double p)
    {
        var x = Leaf(5, 8);
        using var seed = randn(5, 8, dtype: ScalarType.Float64);
        manual_seed(13);
        Tensor? dx = null;
        double dp = 0;
        LayerRuleFunctions.DropoutWhenPullback(x, true, p, seed, ref dx, ref dp);

        // The oracle: the same Bernoulli draw b, and m = b/(1 − p) with p a tensor autograd follows.
        manual_seed(13);
        using var kept = empty_like(x).bernoulli_(1 - p);
        var probability = tensor(p, dtype: ScalarType.Float64).requires_grad_();
        x.grad = null;
        (x * kept / (1 - probability) * seed).sum().backward();

        AssertClose(x.grad, dx, "input");
        Assert.Equal(probability.grad!.ToDouble(), dp, 10);
        Assert.NotEqual(0.0, dp);
    }

    [Fact]
    public void Dropout_with_p_one_drops_everything_and_p_outside_zero_one_is_refused()
    {
        var x = Leaf(3, 4);
        using var seed = randn(3, 4, dtype: ScalarType.Float64);
        Tensor? dx = null;
        double dp = 0;
        var y = LayerRuleFunctions.DropoutWhenPullback(x, true, 1.0, seed, ref dx, ref dp);
        Assert.True(y.eq(0).all().ToBoolean() && dx!.eq(0).all().ToBoolean());
        Assert.Equal(0.0, dp);

        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => { Tensor? d = null; double e = 0; LayerRuleFunctions.DropoutWhenPullback(x, true, 1.5, seed, ref d, ref e); });
        Assert.Contains("1.5", refused.Message);
        refused = Assert.Throws<ArgumentOutOfRangeException>(() => { Tensor? d = null; double e = 0; LayerRuleFunctions.DropoutWhenPullback(x, true, -0.1, seed, ref d, ref e); });
        Assert.Contains("-0.1", refused.Message);
    }

    [Fact]
    public void On_the_cpu_the_generated_forward_draws_the_mask_torchsharps_dropout_draws()
    {
        using var x = randn(7, 9, dtype: ScalarType.Float64);
        manual_seed(5);
        using var expected = nn.functional.dropout(x, 0.3);
        manual_seed(5);
        using var seed = ones(7, 9, dtype: ScalarType.Float64);
        Tensor? dx = null;
        using var actual = LayerRuleFunctions.DropoutPullback(x, seed, ref dx);
        Assert.True(Same(expected, actual));
    }
}
