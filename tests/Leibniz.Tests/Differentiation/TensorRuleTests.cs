using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

/// <summary>
/// The rows of the tensor rule table against TorchSharp autograd in float64. Shapes are non-square (and one is
/// three-dimensional) so that a rule reducing or indexing along the wrong dimension gets a wrong shape or wrong values.
/// </summary>
public sealed class TensorRuleTests
{
    public TensorRuleTests() => manual_seed(23);

    static Tensor Leaf(params long[] shape) => randn(shape, dtype: ScalarType.Float64).requires_grad_();

    [Fact]
    public void A_change_of_element_type_sends_the_adjoint_back_in_the_input_s_type()
    {
        var a = randn(new long[] { 3, 4 }, dtype: ScalarType.Float32);
        var value = TensorRuleFunctions.CastUpAndDownWithGradient(a, out var da);
        var leaf = a.clone().requires_grad_();
        var reference = TensorRuleFunctions.CastUpAndDown(leaf);
        reference.backward();
        Assert.Equal(ScalarType.Float32, da!.dtype);
        Assert.Equal(reference.ToSingle(), value.ToSingle(), 5);
        // d/da (a²/2 + sin a) = a + cos a.
        Assert.True((da - (a + a.cos())).abs().max().ToSingle() < 1e-5f);
        Assert.True((da - leaf.grad!).abs().max().ToSingle() < 1e-6f);
    }

    static Tensor Data(params long[] shape) => randn(shape, dtype: ScalarType.Float64);

    /// <summary>The oracle: the same function under TorchSharp's tape.</summary>
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

    static void AssertMatchesAutograd(Func<Tensor> function, Tensor value, Tensor?[] gradients, params (Tensor Input, string Name)[] inputs)
    {
        var expected = Autograd(function, inputs.Select(i => i.Input).ToArray());
        Assert.Equal(function().ToDouble(), value.ToDouble(), 12);
        for (var i = 0; i < inputs.Length; i++) AssertClose(expected[i], gradients[i], inputs[i].Name);
    }

    [Theory]
    [InlineData(new long[] { 3, 5 })]
    [InlineData(new long[] { 5, 2 })]
    [InlineData(new long[] { 2, 3, 4 })]
    public void Softmax_over_a_dimension_matches_autograd_in_every_form(long[] shape)
    {
        var (x, w) = (Leaf(shape), Data(shape));
        var value = TensorRuleFunctions.SoftmaxesWithGradient(x, w, out var dx);
        AssertMatchesAutograd(() => TensorRuleFunctions.Softmaxes(x, w), value, new[] { dx }, (x, "x"));
    }

    [Theory]
    [InlineData(new long[] { 3, 5 })]
    [InlineData(new long[] { 5, 2 })]
    [InlineData(new long[] { 2, 3, 4 })]
    public void Log_softmax_over_a_dimension_matches_autograd_in_every_form(long[] shape)
    {
        var (x, w) = (Leaf(shape), Data(shape));
        var value = TensorRuleFunctions.LogSoftmaxesWithGradient(x, w, out var dx);
        AssertMatchesAutograd(() => TensorRuleFunctions.LogSoftmaxes(x, w), value, new[] { dx }, (x, "x"));
    }

    [Theory]
    [InlineData(new long[] { 3, 5 })]
    [InlineData(new long[] { 5, 2 })]
    [InlineData(new long[] { 2, 3, 4 })]
    public void Logsumexp_with_and_without_keepdim_matches_autograd(long[] shape)
    {
        var x = Leaf(shape);
        var value = TensorRuleFunctions.LogSumExpsWithGradient(x, out var dx);
        AssertMatchesAutograd(() => TensorRuleFunctions.LogSumExps(x), value, new[] { dx }, (x, "x"));
    }

    [Theory]
    [InlineData(new long[] { 3, 5 })]
    [InlineData(new long[] { 2, 3, 4 })]
    public void Sum_over_a_dimension_with_keepdim_left_to_its_default_matches_autograd(long[] shape)
    {
        var x = Leaf(shape);
        var value = TensorRuleFunctions.SumsOverADimensionWithGradient(x, out var dx);
        AssertMatchesAutograd(() => TensorRuleFunctions.SumsOverADimension(x), value, new[] { dx }, (x, "x"));
    }

    [Theory]
    [InlineData(new long[] { 7 })]
    [InlineData(new long[] { 3, 5 })]
    [InlineData(new long[] { 2, 3, 4 })]
    public void Gelu_leaky_relu_elu_and_softplus_match_autograd(long[] shape)
    {
        var w = Data(shape);
        using var spread = randn(shape, dtype: ScalarType.Float64) * 3.0;
        var x = spread.detach().requires_grad_();

        var gelu = TensorRuleFunctions.GelusWithGradient(x, w, out var dGelu);
        AssertMatchesAutograd(() => TensorRuleFunctions.Gelus(x, w), gelu, new[] { dGelu }, (x, "gelu"));
        var leaky = TensorRuleFunctions.LeakyRelusWithGradient(x, w, out var dLeaky);
        AssertMatchesAutograd(() => TensorRuleFunctions.LeakyRelus(x, w), leaky, new[] { dLeaky }, (x, "leaky_relu"));
        var elu = TensorRuleFunctions.ElusWithGradient(x, w, out var dElu);
        AssertMatchesAutograd(() => TensorRuleFunctions.Elus(x, w), elu, new[] { dElu }, (x, "elu"));
        var softplus = TensorRuleFunctions.SoftplusesWithGradient(x, w, out var dSoftplus);
        AssertMatchesAutograd(() => TensorRuleFunctions.Softpluses(x, w), softplus, new[] { dSoftplus }, (x, "softplus"));
    }

    [Fact]
    public void Piecewise_activations_take_pytorchs_branch_at_zero_and_softplus_is_linear_above_its_threshold()
    {
        // σ(20.5) differs from 1 by 1.2e-9, far above the tolerance, so a smooth softplus derivative would fail here.
        var x = tensor(new[] { -30.0, -1.0, 0.0, 1e-300, 1.0, 19.5, 20.5, 21.0, 22.5, 40.0 }, dtype: ScalarType.Float64).requires_grad_();
        var w = tensor(new[] { 1.0, -2.0, 0.5, 3.0, -1.5, 2.5, -0.5, 1.5, 0.75, -3.0 }, dtype: ScalarType.Float64);

        var softplus = TensorRuleFunctions.SoftplusesWithGradient(x, w, out var dSoftplus);
        AssertMatchesAutograd(() => TensorRuleFunctions.Softpluses(x, w), softplus, new[] { dSoftplus }, (x, "softplus"));
        var leaky = TensorRuleFunctions.LeakyRelusWithGradient(x, w, out var dLeaky);
        AssertMatchesAutograd(() => TensorRuleFunctions.LeakyRelus(x, w), leaky, new[] { dLeaky }, (x, "leaky_relu"));
        var elu = TensorRuleFunctions.ElusWithGradient(x, w, out var dElu);
        AssertMatchesAutograd(() => TensorRuleFunctions.Elus(x, w), elu, new[] { dElu }, (x, "elu"));
    }

    [Theory]
    [InlineData(new long[] { 7 })]
    [InlineData(new long[] { 3, 5 })]
    [InlineData(new long[] { 2, 3, 4 })]
    public void Clamp_passes_the_gradient_only_where_the_value_is_inside_the_bounds(long[] shape)
    {
        var (x, w) = (Leaf(shape), Data(shape));
        var value = TensorRuleFunctions.ClampsWithGradient(x, w, out var dx);
        AssertMatchesAutograd(() => TensorRuleFunctions.Clamps(x, w), value, new[] { dx }, (x, "x"));
    }

    [Fact]
    public void Clamp_at_a_bound_passes_the_gradient_as_pytorch_does()
    {
        var x = tensor(new[] { -0.5, 0.8, 0.3, -0.2, 0.1, -0.1, 2.0, -2.0 }, dtype: ScalarType.Float64).requires_grad_();
        var w = tensor(new[] { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0 }, dtype: ScalarType.Float64);
        var value = TensorRuleFunctions.ClampsWithGradient(x, w, out var dx);
        AssertMatchesAutograd(() => TensorRuleFunctions.Clamps(x, w), value, new[] { dx }, (x, "x"));
    }

    [Theory]
    [InlineData(3, 5)]
    [InlineData(5, 2)]
    public void Where_sends_each_branch_its_share_and_sums_a_broadcast_branch_back(long m, long n)
    {
        var (a, b) = (Leaf(m, n), Leaf(1, n));
        using var condition = rand(m, n) > 0.5;
        var w = Data(m, n);

        var value = TensorRuleFunctions.WheresWithGradient(a, b, condition, w, out var da, out var db);
        AssertMatchesAutograd(() => TensorRuleFunctions.Wheres(a, b, condition, w), value, new[] { da, db }, (a, "a"), (b, "b (1×n)"));
    }

    [Fact]
    public void Expand_sums_the_gradient_back_over_the_expanded_dimensions()
    {
        var (row, column, vector) = (Leaf(1, 5), Leaf(3, 1), Leaf(5));
        var w = Data(3, 5);

        var value = TensorRuleFunctions.ExpandsWithGradient(row, column, vector, w, out var drow, out var dcolumn, out var dvector);
        AssertMatchesAutograd(() => TensorRuleFunctions.Expands(row, column, vector, w), value, new[] { drow, dcolumn, dvector },
            (row, "row (1×5)"), (column, "column (3×1)"), (vector, "vector (5)"));
    }

    [Theory]
    [InlineData(3, 5)]
    [InlineData(4, 2)]
    public void Squeeze_of_a_dimension_of_size_one_or_of_another_reshapes_the_gradient_back(long m, long n)
    {
        var (x, w) = (Leaf(m, 1, n), Data(m, n));
        var value = TensorRuleFunctions.SqueezesWithGradient(x, w, out var dx);
        AssertMatchesAutograd(() => TensorRuleFunctions.Squeezes(x, w), value, new[] { dx }, (x, "x"));
    }

    [Theory]
    [InlineData(new long[] { 3, 5 })]
    [InlineData(new long[] { 2, 4 })]
    [InlineData(new long[] { 4, 6, 5 })]
    public void Narrow_writes_the_gradient_into_the_slice_it_read(long[] shape)
    {
        var x = Leaf(shape);
        var value = TensorRuleFunctions.NarrowsWithGradient(x, out var dx);
        AssertMatchesAutograd(() => TensorRuleFunctions.Narrows(x), value, new[] { dx }, (x, "x"));
    }

    [Theory]
    [InlineData(3, 5)]
    [InlineData(4, 3)]
    public void Index_select_adds_the_gradient_back_at_each_selected_index_repeats_included(long m, long n)
    {
        var x = Leaf(m, n);
        using var columns = tensor(new long[] { n - 1, 0, n - 1, 1 });
        using var rows = tensor(new long[] { 1, 1, m - 1 });

        var value = TensorRuleFunctions.IndexSelectsWithGradient(x, columns, rows, out var dx);
        AssertMatchesAutograd(() => TensorRuleFunctions.IndexSelects(x, columns, rows), value, new[] { dx }, (x, "x"));
    }

    [Theory]
    [InlineData(3, 5)]
    [InlineData(4, 3)]
    public void Gather_scatters_the_gradient_back_along_its_dimension(long m, long n)
    {
        var x = Leaf(m, n);
        using var alongColumns = randint(n, new[] { m, 4L }, dtype: ScalarType.Int64);
        using var alongRows = randint(m, new[] { 2L, n }, dtype: ScalarType.Int64);

        var value = TensorRuleFunctions.GathersWithGradient(x, alongColumns, alongRows, out var dx);
        AssertMatchesAutograd(() => TensorRuleFunctions.Gathers(x, alongColumns, alongRows), value, new[] { dx }, (x, "x"));
    }

    [Theory]
    [InlineData(3, 4, 5)]
    [InlineData(5, 2, 3)]
    public void Addmm_with_default_and_explicit_scales_matches_autograd(long m, long k, long n)
    {
        var (bias, a, b, c) = (Leaf(n), Leaf(m, k), Leaf(k, n), Leaf(m, n));
        var value = TensorRuleFunctions.AddmmsWithGradient(bias, a, b, c, out var dbias, out var da, out var db, out var dc);
        AssertMatchesAutograd(() => TensorRuleFunctions.Addmms(bias, a, b, c), value, new[] { dbias, da, db, dc },
            (bias, "bias (n, broadcast)"), (a, "a"), (b, "b"), (c, "c"));
    }

    [Theory]
    [InlineData(new long[] { 4, 3 }, false)]
    [InlineData(new long[] { 3, 5 }, true)]
    [InlineData(new long[] { 2, 3, 4 }, false)]
    [InlineData(new long[] { 3, 4, 2 }, true)]
    public void Cross_entropy_over_class_indices_matches_autograd_ignored_targets_included(long[] shape, bool ignoreSome)
    {
        var logits = Leaf(shape);
        var targetShape = shape.Where((_, i) => i != 1).ToArray();
        using var target = randint(shape[1], targetShape, dtype: ScalarType.Int64);
        if (ignoreSome) target.view(-1)[0] = tensor(-100L);

        var value = TensorRuleFunctions.CrossEntropyWithGradient(logits, target, out var dlogits);
        AssertMatchesAutograd(() => TensorRuleFunctions.CrossEntropy(logits, target), value, new[] { dlogits }, (logits, "logits"));
    }

    [Theory]
    [InlineData(new long[] { 7 })]
    [InlineData(new long[] { 3, 5 })]
    [InlineData(new long[] { 2, 3, 4 })]
    public void Binary_cross_entropy_with_logits_matches_autograd_for_logits_and_targets(long[] shape)
    {
        var logits = Leaf(shape);
        using var probabilities = rand(shape, dtype: ScalarType.Float64);
        var target = probabilities.detach().requires_grad_();

        var value = TensorRuleFunctions.BinaryCrossEntropyWithLogitsWithGradient(logits, target, out var dlogits, out var dtarget);
        AssertMatchesAutograd(() => TensorRuleFunctions.BinaryCrossEntropyWithLogits(logits, target), value, new[] { dlogits, dtarget },
            (logits, "logits"), (target, "target"));
    }
}
