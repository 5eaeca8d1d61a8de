using Leibniz.Generated;
using TorchSharp;
using static Leibniz.Tests.Differentiation.TensorOracle;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

/// <summary>
/// The rows for lists of dimensions, joins, indexing and scalars off their defaults, against TorchSharp autograd in
/// float64 and, where the function is smooth, central differences. Every shape is non-square and its dimensions
/// differ, so a rule that reduces, restores, joins or indexes along the wrong one gets a wrong shape or wrong values.
/// </summary>
public sealed class TensorStructureRuleTests
{
    public TensorStructureRuleTests() => manual_seed(29);

    [Theory]
    [InlineData(2, 3, 4)]
    [InlineData(4, 2, 3)]
    public void Sum_and_mean_over_lists_of_dimensions_restore_the_reduced_ones(long a, long b, long c)
    {
        var x = Leaf(a, b, c);
        var value = TensorStructureFunctions.SumsAndMeansOverDimensionsWithGradient(x, out var dx);
        AssertMatchesAutograd(() => TensorStructureFunctions.SumsAndMeansOverDimensions(x), value, new[] { dx }, (x, "x"));
        AssertMatchesCentralDifferences(i => TensorStructureFunctions.SumsAndMeansOverDimensions(i[0]), new[] { dx }, x);
    }

    [Fact]
    public void An_empty_list_of_dimensions_reduces_every_dimension_as_in_pytorch()
    {
        var x = Leaf(3, 2, 4);
        var value = TensorStructureFunctions.EmptyDimensionListsWithGradient(x, out var dx);
        AssertMatchesAutograd(() => TensorStructureFunctions.EmptyDimensionLists(x), value, new[] { dx }, (x, "x"));
    }

    [Theory]
    [InlineData(2, 3, 4, false)]
    [InlineData(4, 2, 3, false)]
    [InlineData(2, 3, 4, true)]
    [InlineData(3, 5, 2, true)]
    public void Amax_amin_max_and_min_share_the_gradient_evenly_among_ties(long a, long b, long c, bool tied)
    {
        var x = tied ? TiedLeaf(a, b, c) : Leaf(a, b, c);
        var value = TensorStructureFunctions.ExtremaWithGradient(x, out var dx);
        AssertMatchesAutograd(() => TensorStructureFunctions.Extrema(x), value, new[] { dx }, (x, "x"));
    }

    [Theory]
    [InlineData(3, 5, false)]
    [InlineData(5, 2, false)]
    [InlineData(4, 6, true)]
    public void Max_and_min_along_a_dimension_send_the_gradient_to_the_index_they_return(long m, long n, bool tied)
    {
        var x = tied ? TiedLeaf(m, n) : Leaf(m, n);
        var value = TensorStructureFunctions.ExtremaAlongADimensionWithGradient(x, out var dx);
        AssertMatchesAutograd(() => TensorStructureFunctions.ExtremaAlongADimension(x), value, new[] { dx }, (x, "x"));
    }

    [Fact]
    public void Permute_sends_the_gradient_back_through_the_inverse_permutation_negative_dimensions_included()
    {
        var (x, w) = (Leaf(2, 3, 4), Data(4, 2, 3));
        var value = TensorStructureFunctions.PermutesWithGradient(x, w, out var dx);
        AssertMatchesAutograd(() => TensorStructureFunctions.Permutes(x, w), value, new[] { dx }, (x, "x"));
        AssertMatchesCentralDifferences(i => TensorStructureFunctions.Permutes(i[0], w), new[] { dx }, x);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void Cat_and_stack_give_each_input_its_own_part_of_the_gradient(long m)
    {
        var (a, b, c) = (Leaf(m, 2), Leaf(m, 4), Leaf(m, 1));
        var value = TensorStructureFunctions.JoinsWithGradient(a, b, c, out var da, out var db, out var dc);
        AssertMatchesAutograd(() => TensorStructureFunctions.Joins(a, b, c), value, new[] { da, db, dc }, (a, "a (m×2)"), (b, "b (m×4)"), (c, "c (m×1)"));
        AssertMatchesCentralDifferences(i => TensorStructureFunctions.Joins(i[0], i[1], i[2]), new[] { da, db, dc }, a, b, c);
    }

    [Theory]
    [InlineData(4, 5, 3)]
    [InlineData(3, 6, 2)]
    public void Indexing_slicing_and_select_write_the_gradient_back_where_they_read(long a, long b, long c)
    {
        var x = Leaf(a, b, c);
        var value = TensorStructureFunctions.SlicesWithGradient(x, out var dx);
        AssertMatchesAutograd(() => TensorStructureFunctions.Slices(x), value, new[] { dx }, (x, "x"));
        AssertMatchesCentralDifferences(i => TensorStructureFunctions.Slices(i[0]), new[] { dx }, x);
    }

    [Theory]
    [InlineData(4, 6)]
    [InlineData(1, 3)]
    [InlineData(5, 5)]
    public void Indices_that_change_every_iteration_are_read_per_iteration_by_the_backward(int rows, long n)
    {
        var x = Leaf(rows, n);
        var value = TensorStructureFunctions.RowsInALoopWithGradient(x, rows, out var dx);
        AssertMatchesAutograd(() => TensorStructureFunctions.RowsInALoop(x, rows), value, new[] { dx }, (x, "x"));
    }

    [Theory]
    [InlineData(new long[] { 7 })]
    [InlineData(new long[] { 3, 5 })]
    [InlineData(new long[] { 2, 3, 4 })]
    public void Leaky_relu_softplus_and_elu_with_scalars_set_or_left_to_their_defaults_match_autograd(long[] shape)
    {
        var w = Data(shape);
        using var spread = randn(shape, dtype: ScalarType.Float64) * 3.0;
        var x = spread.detach().requires_grad_();
        var value = TensorStructureFunctions.ScaledActivationsWithGradient(x, w, out var dx);
        AssertMatchesAutograd(() => TensorStructureFunctions.ScaledActivations(x, w), value, new[] { dx }, (x, "x"));
    }

    [Fact]
    public void Softplus_is_linear_exactly_where_beta_times_x_passes_its_threshold()
    {
        // softplus(x, 2, 3) turns at x = 1.5; softplus(x, β = 1, t = 1.5) at 1.5; softplus(x, −1.5, 2) below −4/3;
        // softplus(x, 0.5) at 40. σ at those points differs from 1 by far more than the tolerance.
        var x = tensor(new[] { -40.0, -1.4, -4.0 / 3, -1.3, 0.0, 1.4, 1.5, 1.6, 39.0, 40.0, 41.0 }, dtype: ScalarType.Float64).requires_grad_();
        var w = tensor(new[] { 1.0, -2.0, 0.5, 3.0, -1.5, 2.5, -0.5, 1.5, 0.75, -3.0, 2.0 }, dtype: ScalarType.Float64);
        var value = TensorStructureFunctions.ScaledActivationsWithGradient(x, w, out var dx);
        AssertMatchesAutograd(() => TensorStructureFunctions.ScaledActivations(x, w), value, new[] { dx }, (x, "x"));
    }

    [Theory]
    [InlineData(3, 4, 5)]
    [InlineData(5, 2, 3)]
    public void Addmm_with_alpha_and_beta_set_scales_each_adjoint_by_its_own(long m, long k, long n)
    {
        var (bias, c, a, b) = (Leaf(n), Leaf(m, n), Leaf(m, k), Leaf(k, n));
        var value = TensorStructureFunctions.ScaledAddmmsWithGradient(bias, c, a, b, out var dbias, out var dc, out var da, out var db);
        AssertMatchesAutograd(() => TensorStructureFunctions.ScaledAddmms(bias, c, a, b), value, new[] { dbias, dc, da, db },
            (bias, "bias (n, broadcast)"), (c, "c"), (a, "a"), (b, "b"));
        AssertMatchesCentralDifferences(i => TensorStructureFunctions.ScaledAddmms(i[0], i[1], i[2], i[3]), new[] { dbias, dc, da, db }, bias, c, a, b);
    }

    [Fact]
    public void Float32_inputs_get_float32_gradients_that_match_autograd()
    {
        // A rule that mixed in a double tensor would hand back a float64 gradient (or fail to add into one).
        static Tensor Single(params long[] shape) => randn(shape, dtype: ScalarType.Float32).requires_grad_();
        static void Check(Func<Tensor> function, Tensor value, Tensor?[] gradients, params Tensor[] inputs)
        {
            var expected = Autograd(function, inputs);
            Assert.Equal(function().ToSingle(), value.ToSingle(), 3);
            for (var i = 0; i < inputs.Length; i++)
            {
                Assert.Equal(ScalarType.Float32, gradients[i]!.dtype);
                Assert.True(expected[i]!.allclose(gradients[i]!, rtol: 1e-4, atol: 1e-5), $"input {i}");
            }
        }

        var x = Single(2, 3, 4);
        Check(() => TensorStructureFunctions.SumsAndMeansOverDimensions(x), TensorStructureFunctions.SumsAndMeansOverDimensionsWithGradient(x, out var d1), new[] { d1 }, x);
        Check(() => TensorStructureFunctions.Extrema(x), TensorStructureFunctions.ExtremaWithGradient(x, out var d2), new[] { d2 }, x);
        var (a, b, c) = (Single(3, 2), Single(3, 4), Single(3, 1));
        Check(() => TensorStructureFunctions.Joins(a, b, c), TensorStructureFunctions.JoinsWithGradient(a, b, c, out var da, out var db, out var dc), new[] { da, db, dc }, a, b, c);
        var y = Single(4, 5, 3);
        Check(() => TensorStructureFunctions.Slices(y), TensorStructureFunctions.SlicesWithGradient(y, out var d3), new[] { d3 }, y);
        var (z, w) = (Single(3, 5), randn(3, 5));
        Check(() => TensorStructureFunctions.ScaledActivations(z, w), TensorStructureFunctions.ScaledActivationsWithGradient(z, w, out var d4), new[] { d4 }, z);
    }

    [Fact]
    public void Inverse_permutation_reads_negative_dimensions_and_rejects_a_non_permutation()
    {
        Assert.Equal(new long[] { 1, 2, 0 }, Permutations.Inverse(2, 0, 1));
        Assert.Equal(new long[] { 1, 2, 0 }, Permutations.Inverse(-1, -3, 1));
        var error = Assert.Throws<ArgumentException>(() => Permutations.Inverse(0, 0, 1));
        Assert.Contains("not a permutation", error.Message);
    }

    [Fact]
    public void Kept_shape_sets_each_reduced_dimension_to_one()
    {
        Assert.Equal(new long[] { 1, 3, 1 }, Reductions.KeptShape(new long[] { 2, 3, 4 }, new long[] { 0, -1 }));
        Assert.Equal(new long[] { 1, 1, 1 }, Reductions.KeptShape(new long[] { 2, 3, 4 }, Array.Empty<long>()));
        Assert.Throws<ArgumentOutOfRangeException>(() => Reductions.KeptShape(new long[] { 2, 3 }, new long[] { 2 }));
    }
}
