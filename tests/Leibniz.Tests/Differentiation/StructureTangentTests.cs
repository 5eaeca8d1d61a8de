using TorchSharp;
using static Leibniz.Tests.Differentiation.TensorForwardModeChecks;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

/// <summary>
/// Tangents and Hessian–vector products of the list-argument, extremum and layer rules, through
/// <see cref="TensorForwardModeChecks.Check"/>: against TorchSharp autograd, central differences, the generated
/// reverse mode (⟨J·v, w⟩ = ⟨v, Jᵀ·w⟩) and TorchSharp's double backward, in float64.
/// </summary>
/// <remarks>Dropout's tests draw masks from TorchSharp's one global generator, so no other test may draw meanwhile.</remarks>
[Collection(SeededDraws.Name)]
public sealed class StructureTangentTests
{
    public StructureTangentTests() => manual_seed(41);

    [Fact]
    public void Sums_and_means_over_lists_of_dimensions()
        => Check(new("sums and means", new[] { Leaf(2, 3, 4) }, a => StructureTangentFunctions.SumsAndMeansOverDimensions(a[0]),
            (a, d) => (StructureTangentFunctions.SumsAndMeansOverDimensionsTangent(a[0], d[0], out var t), t),
            a => { StructureTangentFunctions.SumsAndMeansOverDimensionsWithGradient(a[0], out var g); return new[] { g }; },
            (a, d) => (StructureTangentFunctions.SumsAndMeansOverDimensionsHessianVectorProduct(a[0], d[0], out var g, out var h), new[] { g }, new[] { h })));

    [Fact]
    public void Amax_and_amin_over_lists_of_dimensions()
        => Check(new("amax/amin", new[] { Leaf(2, 3, 4) }, a => StructureTangentFunctions.ExtremaOverDimensions(a[0]),
            (a, d) => (StructureTangentFunctions.ExtremaOverDimensionsTangent(a[0], d[0], out var t), t),
            a => { StructureTangentFunctions.ExtremaOverDimensionsWithGradient(a[0], out var g); return new[] { g }; },
            (a, d) => (StructureTangentFunctions.ExtremaOverDimensionsHessianVectorProduct(a[0], d[0], out var g, out var h), new[] { g }, new[] { h })));

    [Fact]
    public void Amax_s_tangent_at_a_tie_is_the_mean_of_the_tied_tangents()
    {
        var x = tensor(new[] { 1.0, 3.0, 3.0, -2.0, 0.5, 0.5 }, dtype: ScalarType.Float64).reshape(2, 3);
        var dx = tensor(new[] { 5.0, 0.4, -0.2, 7.0, 1.0, 3.0 }, dtype: ScalarType.Float64).reshape(2, 3);
        StructureTangentFunctions.ExtremaOverDimensionsTangent(x.reshape(2, 3, 1).expand(2, 3, 4).contiguous(), dx.reshape(2, 3, 1).expand(2, 3, 4).contiguous(), out var tangent);
        StructureTangentFunctions.ExtremaOverDimensionsWithGradient(x.reshape(2, 3, 1).expand(2, 3, 4).contiguous(), out var gradient);
        Assert.Equal((gradient! * dx.reshape(2, 3, 1).expand(2, 3, 4)).sum().ToDouble(), tangent.ToDouble(), 10);
    }

    [Theory]
    [InlineData(3, 5)]
    [InlineData(5, 2)]
    public void Maxima_and_minima_along_a_dimension_follow_the_index_they_picked(long m, long n)
        => Check(new("max/min along a dimension", new[] { Leaf(m, n) }, a => StructureTangentFunctions.ExtremaAlongADimension(a[0]),
            (a, d) => (StructureTangentFunctions.ExtremaAlongADimensionTangent(a[0], d[0], out var t), t),
            a => { StructureTangentFunctions.ExtremaAlongADimensionWithGradient(a[0], out var g); return new[] { g }; },
            (a, d) => (StructureTangentFunctions.ExtremaAlongADimensionHessianVectorProduct(a[0], d[0], out var g, out var h), new[] { g }, new[] { h })));

    [Fact]
    public void Activations_read_their_scalars_when_the_call_sets_them()
    {
        var w = Leaf(3, 4);
        Check(new("scaled activations", new[] { Leaf(3, 4) }, a => StructureTangentFunctions.ScaledActivations(a[0], w),
            (a, d) => (StructureTangentFunctions.ScaledActivationsTangent(a[0], w, d[0], out var t), t),
            a => { StructureTangentFunctions.ScaledActivationsWithGradient(a[0], w, out var g); return new[] { g }; },
            (a, d) => (StructureTangentFunctions.ScaledActivationsHessianVectorProduct(a[0], w, d[0], out var g, out var h), new[] { g }, new[] { h })));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_keepdim_known_only_at_run_time(bool keep)
        => Check(new("max(dim, keep)", new[] { Leaf(3, 4) }, a => StructureTangentFunctions.MaximaKeptOrNot(a[0], keep),
            (a, d) => (StructureTangentFunctions.MaximaKeptOrNotTangent(a[0], keep, d[0], out var t), t),
            a => { StructureTangentFunctions.MaximaKeptOrNotWithGradient(a[0], keep, out var g); return new[] { g }; },
            (a, d) => (StructureTangentFunctions.MaximaKeptOrNotHessianVectorProduct(a[0], keep, d[0], out var g, out var h), new[] { g }, new[] { h })));

    [Fact]
    public void Maxima_and_minima_of_everything()
        => Check(new("max/min of all", new[] { Leaf(3, 4) }, a => StructureTangentFunctions.ExtremaOfEverything(a[0]),
            (a, d) => (StructureTangentFunctions.ExtremaOfEverythingTangent(a[0], d[0], out var t), t),
            a => { StructureTangentFunctions.ExtremaOfEverythingWithGradient(a[0], out var g); return new[] { g }; },
            (a, d) => (StructureTangentFunctions.ExtremaOfEverythingHessianVectorProduct(a[0], d[0], out var g, out var h), new[] { g }, new[] { h })));

    [Fact]
    public void A_tie_shares_the_tangent_as_the_gradient_shares_the_adjoint()
    {
        // Two equal maxima: the tangent is the mean of theirs, consistent with the reverse rule's even share.
        var x = tensor(new[] { 1.0, 3.0, 3.0, -2.0 }, dtype: ScalarType.Float64).reshape(2, 2);
        var dx = tensor(new[] { 5.0, 0.4, -0.2, 7.0 }, dtype: ScalarType.Float64).reshape(2, 2);
        StructureTangentFunctions.ExtremaOfEverythingTangent(x, dx, out var tangent);
        StructureTangentFunctions.ExtremaOfEverythingWithGradient(x, out var gradient);
        Assert.Equal((gradient! * dx).sum().ToDouble(), tangent.ToDouble(), 12);
    }

    [Fact]
    public void Permutations()
    {
        var w = Leaf(4, 2, 3);
        Check(new("permute", new[] { Leaf(2, 3, 4) }, a => StructureTangentFunctions.Permutes(a[0], w),
            (a, d) => (StructureTangentFunctions.PermutesTangent(a[0], w, d[0], out var t), t),
            a => { StructureTangentFunctions.PermutesWithGradient(a[0], w, out var g); return new[] { g }; },
            (a, d) => (StructureTangentFunctions.PermutesHessianVectorProduct(a[0], w, d[0], out var g, out var h), new[] { g }, new[] { h })));
    }

    [Fact]
    public void Joins_with_an_element_that_does_not_vary()
    {
        var c = Leaf(3, 1);
        Check(new("cat/stack", new[] { Leaf(3, 2), Leaf(3, 4) }, a => StructureTangentFunctions.Joins(a[0], a[1], c),
            (a, d) => (StructureTangentFunctions.JoinsTangent(a[0], a[1], c, d[0], d[1], out var t), t),
            a => { StructureTangentFunctions.JoinsWithGradient(a[0], a[1], c, out var g0, out var g1); return new[] { g0, g1 }; },
            (a, d) => (StructureTangentFunctions.JoinsHessianVectorProduct(a[0], a[1], c, d[0], d[1], out var g0, out var g1, out var h0, out var h1), new[] { g0, g1 }, new[] { h0, h1 })));
    }

    [Fact]
    public void Slices_selections_and_indexing()
        => Check(new("slices", new[] { Leaf(4, 5, 3) }, a => StructureTangentFunctions.Slices(a[0]),
            (a, d) => (StructureTangentFunctions.SlicesTangent(a[0], d[0], out var t), t),
            a => { StructureTangentFunctions.SlicesWithGradient(a[0], out var g); return new[] { g }; },
            (a, d) => (StructureTangentFunctions.SlicesHessianVectorProduct(a[0], d[0], out var g, out var h), new[] { g }, new[] { h })));

    [Fact]
    public void Convolutions_in_input_weight_and_bias()
    {
        Check(new("conv2d", new[] { Leaf(2, 4, 6, 7), Leaf(6, 2, 3, 2), Leaf(6) }, a => StructureTangentFunctions.Convolution(a[0], a[1], a[2]),
            (a, d) => (StructureTangentFunctions.ConvolutionTangent(a[0], a[1], a[2], d[0], d[1], d[2], out var t), t),
            a => { StructureTangentFunctions.ConvolutionWithGradient(a[0], a[1], a[2], out var g0, out var g1, out var g2); return new[] { g0, g1, g2 }; },
            (a, d) => (StructureTangentFunctions.ConvolutionHessianVectorProduct(a[0], a[1], a[2], d[0], d[1], d[2], out var g0, out var g1, out var g2, out var h0, out var h1, out var h2),
                new[] { g0, g1, g2 }, new[] { h0, h1, h2 })));
        Check(new("conv2d without bias", new[] { Leaf(1, 2, 5, 4), Leaf(3, 2, 3, 3) }, a => StructureTangentFunctions.ConvolutionWithoutBias(a[0], a[1]),
            (a, d) => (StructureTangentFunctions.ConvolutionWithoutBiasTangent(a[0], a[1], d[0], d[1], out var t), t),
            a => { StructureTangentFunctions.ConvolutionWithoutBiasWithGradient(a[0], a[1], out var g0, out var g1); return new[] { g0, g1 }; },
            (a, d) => (StructureTangentFunctions.ConvolutionWithoutBiasHessianVectorProduct(a[0], a[1], d[0], d[1], out var g0, out var g1, out var h0, out var h1),
                new[] { g0, g1 }, new[] { h0, h1 })));
    }

    [Fact]
    public void Max_pooling_reads_the_tangent_at_the_window_maxima()
    {
        var w = Leaf(2, 3, 4, 5);
        // Distinct values 0.05 apart: the central differences' steps never change which element is a window's maximum.
        var x = (randperm(2 * 3 * 6 * 7, dtype: ScalarType.Float64) - 126) * 0.05;
        Check(new("max_pool2d", new[] { x.reshape(2, 3, 6, 7) }, a => StructureTangentFunctions.Pooling(a[0], w),
            (a, d) => (StructureTangentFunctions.PoolingTangent(a[0], w, d[0], out var t), t),
            a => { StructureTangentFunctions.PoolingWithGradient(a[0], w, out var g); return new[] { g }; },
            (a, d) => (StructureTangentFunctions.PoolingHessianVectorProduct(a[0], w, d[0], out var g, out var h), new[] { g }, new[] { h })));
    }

    [Fact]
    public void Dropout_s_tangent_keeps_the_mask_of_its_own_forward()
    {
        // Every generated call draws a mask; the same seed before each gives every arm, and the oracles, the same one.
        var w = Leaf(4, 5);
        T Seeded<T>(Func<T> f) { manual_seed(11); return f(); }
        Check(new("dropout", new[] { Leaf(4, 5) }, a => Seeded(() => StructureTangentFunctions.Dropped(a[0], w)),
            (a, d) => Seeded(() => (StructureTangentFunctions.DroppedTangent(a[0], w, d[0], out var t), t)),
            a => Seeded(() => { StructureTangentFunctions.DroppedWithGradient(a[0], w, out var g); return new[] { g }; }),
            (a, d) => Seeded(() => (StructureTangentFunctions.DroppedHessianVectorProduct(a[0], w, d[0], out var g, out var h), new[] { g }, new[] { h }))));
    }

    [Fact]
    public void A_differentiated_dropout_probability_has_the_tangent_its_gradient_implies()
    {
        // Central differences would redraw the mask as p moves; the oracle is the generated reverse mode (its own rule).
        var x = Leaf(6, 7);
        const double p = 0.6, dp = 0.7;
        manual_seed(3);
        StructureTangentFunctions.DropoutOfProbabilityTangent(x, p, zeros_like(x), dp, out var tangent);
        manual_seed(3);
        StructureTangentFunctions.DropoutOfProbabilityWithGradient(x, p, out _, out var dP);
        Assert.Equal(dP * dp, tangent.ToDouble(), 10);
        Assert.NotEqual(0, dP);
    }
}
