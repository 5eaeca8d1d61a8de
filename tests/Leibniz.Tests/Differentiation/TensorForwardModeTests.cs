using TorchSharp;
using static Leibniz.Tests.Differentiation.TensorForwardModeChecks;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

/// <summary>
/// The generated tangents and Hessian–vector products of every function in <see cref="TensorRuleFunctions"/> and
/// <see cref="TensorFunctions"/>, so every tensor rule's tangent, and that tangent differentiated again, meets
/// TorchSharp autograd (single and double backward) and central differences. Shapes are non-square, and broadcast
/// where the rule allows it, as in the reverse-mode tests.
/// </summary>
public sealed class TensorForwardModeTests
{
    public TensorForwardModeTests() => manual_seed(29);

    public static TheoryData<long[]> Shapes() => new() { new long[] { 3, 5 }, new long[] { 5, 2 }, new long[] { 2, 3, 4 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Softmax_and_log_softmax_in_every_form(long[] shape)
    {
        var w = Leaf(shape);
        Check(new("softmax", new[] { Leaf(shape) }, a => TensorRuleFunctions.Softmaxes(a[0], w),
            (a, d) => (TensorRuleFunctions.SoftmaxesTangent(a[0], w, d[0], out var t), t),
            a => { TensorRuleFunctions.SoftmaxesWithGradient(a[0], w, out var g); return new[] { g }; },
            (a, d) => (TensorRuleFunctions.SoftmaxesHessianVectorProduct(a[0], w, d[0], out var g, out var h), new[] { g }, new[] { h })));
        Check(new("log_softmax", new[] { Leaf(shape) }, a => TensorRuleFunctions.LogSoftmaxes(a[0], w),
            (a, d) => (TensorRuleFunctions.LogSoftmaxesTangent(a[0], w, d[0], out var t), t),
            a => { TensorRuleFunctions.LogSoftmaxesWithGradient(a[0], w, out var g); return new[] { g }; },
            (a, d) => (TensorRuleFunctions.LogSoftmaxesHessianVectorProduct(a[0], w, d[0], out var g, out var h), new[] { g }, new[] { h })));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Logsumexp_and_sums_over_a_dimension_with_and_without_keepdim(long[] shape)
    {
        Check(new("logsumexp", new[] { Leaf(shape) }, a => TensorRuleFunctions.LogSumExps(a[0]),
            (a, d) => (TensorRuleFunctions.LogSumExpsTangent(a[0], d[0], out var t), t),
            a => { TensorRuleFunctions.LogSumExpsWithGradient(a[0], out var g); return new[] { g }; },
            (a, d) => (TensorRuleFunctions.LogSumExpsHessianVectorProduct(a[0], d[0], out var g, out var h), new[] { g }, new[] { h })));
        Check(new("sum(d)", new[] { Leaf(shape) }, a => TensorRuleFunctions.SumsOverADimension(a[0]),
            (a, d) => (TensorRuleFunctions.SumsOverADimensionTangent(a[0], d[0], out var t), t),
            a => { TensorRuleFunctions.SumsOverADimensionWithGradient(a[0], out var g); return new[] { g }; },
            (a, d) => (TensorRuleFunctions.SumsOverADimensionHessianVectorProduct(a[0], d[0], out var g, out var h), new[] { g }, new[] { h })));
    }

    [Theory]
    [InlineData(new long[] { 7 })]
    [InlineData(new long[] { 3, 5 })]
    [InlineData(new long[] { 2, 3, 4 })]
    public void Gelu_leaky_relu_elu_softplus_and_clamp(long[] shape)
    {
        var w = Leaf(shape);
        Tensor Spread() => Leaf(shape) * 3.0;
        Check(new("gelu", new[] { Spread() }, a => TensorRuleFunctions.Gelus(a[0], w),
            (a, d) => (TensorRuleFunctions.GelusTangent(a[0], w, d[0], out var t), t),
            a => { TensorRuleFunctions.GelusWithGradient(a[0], w, out var g); return new[] { g }; },
            (a, d) => (TensorRuleFunctions.GelusHessianVectorProduct(a[0], w, d[0], out var g, out var h), new[] { g }, new[] { h })));
        Check(new("leaky_relu", new[] { Spread() }, a => TensorRuleFunctions.LeakyRelus(a[0], w),
            (a, d) => (TensorRuleFunctions.LeakyRelusTangent(a[0], w, d[0], out var t), t),
            a => { TensorRuleFunctions.LeakyRelusWithGradient(a[0], w, out var g); return new[] { g }; },
            (a, d) => (TensorRuleFunctions.LeakyRelusHessianVectorProduct(a[0], w, d[0], out var g, out var h), new[] { g }, new[] { h })));
        Check(new("elu", new[] { Spread() }, a => TensorRuleFunctions.Elus(a[0], w),
            (a, d) => (TensorRuleFunctions.ElusTangent(a[0], w, d[0], out var t), t),
            a => { TensorRuleFunctions.ElusWithGradient(a[0], w, out var g); return new[] { g }; },
            (a, d) => (TensorRuleFunctions.ElusHessianVectorProduct(a[0], w, d[0], out var g, out var h), new[] { g }, new[] { h })));
        Check(new("softplus", new[] { Spread() }, a => TensorRuleFunctions.Softpluses(a[0], w),
            (a, d) => (TensorRuleFunctions.SoftplusesTangent(a[0], w, d[0], out var t), t),
            a => { TensorRuleFunctions.SoftplusesWithGradient(a[0], w, out var g); return new[] { g }; },
            (a, d) => (TensorRuleFunctions.SoftplusesHessianVectorProduct(a[0], w, d[0], out var g, out var h), new[] { g }, new[] { h })));
        Check(new("clamp", new[] { Leaf(shape) }, a => TensorRuleFunctions.Clamps(a[0], w),
            (a, d) => (TensorRuleFunctions.ClampsTangent(a[0], w, d[0], out var t), t),
            a => { TensorRuleFunctions.ClampsWithGradient(a[0], w, out var g); return new[] { g }; },
            (a, d) => (TensorRuleFunctions.ClampsHessianVectorProduct(a[0], w, d[0], out var g, out var h), new[] { g }, new[] { h })));
    }

    [Theory]
    [InlineData(3, 5)]
    [InlineData(5, 2)]
    public void Where_with_a_broadcast_branch(long m, long n)
    {
        using var condition = rand(m, n) > 0.5;
        var w = Leaf(m, n);
        Check(new("where", new[] { Leaf(m, n), Leaf(1, n) }, a => TensorRuleFunctions.Wheres(a[0], a[1], condition, w),
            (a, d) => (TensorRuleFunctions.WheresTangent(a[0], a[1], condition, w, d[0], d[1], out var t), t),
            a => { TensorRuleFunctions.WheresWithGradient(a[0], a[1], condition, w, out var ga, out var gb); return new[] { ga, gb }; },
            (a, d) => (TensorRuleFunctions.WheresHessianVectorProduct(a[0], a[1], condition, w, d[0], d[1], out var ga, out var gb, out var ha, out var hb), new[] { ga, gb }, new[] { ha, hb })));
    }

    [Fact]
    public void Expand_and_squeeze()
    {
        var w = Leaf(3, 5);
        Check(new("expand", new[] { Leaf(1, 5), Leaf(3, 1), Leaf(5) }, a => TensorRuleFunctions.Expands(a[0], a[1], a[2], w),
            (a, d) => (TensorRuleFunctions.ExpandsTangent(a[0], a[1], a[2], w, d[0], d[1], d[2], out var t), t),
            a => { TensorRuleFunctions.ExpandsWithGradient(a[0], a[1], a[2], w, out var g0, out var g1, out var g2); return new[] { g0, g1, g2 }; },
            (a, d) =>
            {
                var r = TensorRuleFunctions.ExpandsHessianVectorProduct(a[0], a[1], a[2], w, d[0], d[1], d[2], out var g0, out var g1, out var g2, out var h0, out var h1, out var h2);
                return (r, new[] { g0, g1, g2 }, new[] { h0, h1, h2 });
            }));
        Check(new("squeeze", new[] { Leaf(3, 1, 5) }, a => TensorRuleFunctions.Squeezes(a[0], w),
            (a, d) => (TensorRuleFunctions.SqueezesTangent(a[0], w, d[0], out var t), t),
            a => { TensorRuleFunctions.SqueezesWithGradient(a[0], w, out var g); return new[] { g }; },
            (a, d) => (TensorRuleFunctions.SqueezesHessianVectorProduct(a[0], w, d[0], out var g, out var h), new[] { g }, new[] { h })));
    }

    [Theory]
    [InlineData(new long[] { 3, 5 })]
    [InlineData(new long[] { 4, 6, 5 })]
    public void Narrow_index_select_and_gather(long[] shape)
    {
        Check(new("narrow", new[] { Leaf(shape) }, a => TensorRuleFunctions.Narrows(a[0]),
            (a, d) => (TensorRuleFunctions.NarrowsTangent(a[0], d[0], out var t), t),
            a => { TensorRuleFunctions.NarrowsWithGradient(a[0], out var g); return new[] { g }; },
            (a, d) => (TensorRuleFunctions.NarrowsHessianVectorProduct(a[0], d[0], out var g, out var h), new[] { g }, new[] { h })));

        var (m, n) = (shape[0], shape[1]);
        using var columns = tensor(new long[] { n - 1, 0, n - 1, 1 });
        using var rows = tensor(new long[] { 1, 1, m - 1 });
        var x2 = new[] { Leaf(m, n) };
        Check(new("index_select", x2, a => TensorRuleFunctions.IndexSelects(a[0], columns, rows),
            (a, d) => (TensorRuleFunctions.IndexSelectsTangent(a[0], columns, rows, d[0], out var t), t),
            a => { TensorRuleFunctions.IndexSelectsWithGradient(a[0], columns, rows, out var g); return new[] { g }; },
            (a, d) => (TensorRuleFunctions.IndexSelectsHessianVectorProduct(a[0], columns, rows, d[0], out var g, out var h), new[] { g }, new[] { h })));

        using var alongColumns = randint(n, new[] { m, 4L }, dtype: ScalarType.Int64);
        using var alongRows = randint(m, new[] { 2L, n }, dtype: ScalarType.Int64);
        Check(new("gather", new[] { Leaf(m, n) }, a => TensorRuleFunctions.Gathers(a[0], alongColumns, alongRows),
            (a, d) => (TensorRuleFunctions.GathersTangent(a[0], alongColumns, alongRows, d[0], out var t), t),
            a => { TensorRuleFunctions.GathersWithGradient(a[0], alongColumns, alongRows, out var g); return new[] { g }; },
            (a, d) => (TensorRuleFunctions.GathersHessianVectorProduct(a[0], alongColumns, alongRows, d[0], out var g, out var h), new[] { g }, new[] { h })));
    }

    [Theory]
    [InlineData(3, 4, 5)]
    [InlineData(5, 2, 3)]
    public void Addmm_with_default_and_explicit_scales_and_a_broadcast_bias(long m, long k, long n)
        => Check(new("addmm", new[] { Leaf(n), Leaf(m, k), Leaf(k, n), Leaf(m, n) }, a => TensorRuleFunctions.Addmms(a[0], a[1], a[2], a[3]),
            (a, d) => (TensorRuleFunctions.AddmmsTangent(a[0], a[1], a[2], a[3], d[0], d[1], d[2], d[3], out var t), t),
            a => { TensorRuleFunctions.AddmmsWithGradient(a[0], a[1], a[2], a[3], out var g0, out var g1, out var g2, out var g3); return new[] { g0, g1, g2, g3 }; },
            (a, d) =>
            {
                var r = TensorRuleFunctions.AddmmsHessianVectorProduct(a[0], a[1], a[2], a[3], d[0], d[1], d[2], d[3],
                    out var g0, out var g1, out var g2, out var g3, out var h0, out var h1, out var h2, out var h3);
                return (r, new[] { g0, g1, g2, g3 }, new[] { h0, h1, h2, h3 });
            }));

    [Theory]
    [InlineData(new long[] { 4, 3 }, false)]
    [InlineData(new long[] { 3, 5 }, true)]
    [InlineData(new long[] { 2, 3, 4 }, false)]
    [InlineData(new long[] { 3, 4, 2 }, true)]
    public void Cross_entropy_over_class_indices_ignored_targets_included(long[] shape, bool ignoreSome)
    {
        var targetShape = shape.Where((_, i) => i != 1).ToArray();
        using var target = randint(shape[1], targetShape, dtype: ScalarType.Int64);
        if (ignoreSome) target.view(-1)[0] = tensor(-100L);
        Check(new("cross_entropy", new[] { Leaf(shape) }, a => TensorRuleFunctions.CrossEntropy(a[0], target),
            (a, d) => (TensorRuleFunctions.CrossEntropyTangent(a[0], target, d[0], out var t), t),
            a => { TensorRuleFunctions.CrossEntropyWithGradient(a[0], target, out var g); return new[] { g }; },
            (a, d) => (TensorRuleFunctions.CrossEntropyHessianVectorProduct(a[0], target, d[0], out var g, out var h), new[] { g }, new[] { h })));
    }

    [Theory]
    [InlineData(new long[] { 7 })]
    [InlineData(new long[] { 3, 5 })]
    [InlineData(new long[] { 2, 3, 4 })]
    public void Binary_cross_entropy_with_logits_for_logits_and_targets(long[] shape)
        => Check(new("binary_cross_entropy_with_logits", new[] { Leaf(shape), rand(shape, dtype: ScalarType.Float64) },
            a => TensorRuleFunctions.BinaryCrossEntropyWithLogits(a[0], a[1]),
            (a, d) => (TensorRuleFunctions.BinaryCrossEntropyWithLogitsTangent(a[0], a[1], d[0], d[1], out var t), t),
            a => { TensorRuleFunctions.BinaryCrossEntropyWithLogitsWithGradient(a[0], a[1], out var g0, out var g1); return new[] { g0, g1 }; },
            (a, d) => (TensorRuleFunctions.BinaryCrossEntropyWithLogitsHessianVectorProduct(a[0], a[1], d[0], d[1], out var g0, out var g1, out var h0, out var h1), new[] { g0, g1 }, new[] { h0, h1 })));

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void A_two_layer_perceptron_with_relu_and_mse(int batch)
    {
        using var target = randn(batch, 2, dtype: ScalarType.Float64);
        Check(new("mlp", new[] { Leaf(batch, 3), Leaf(5, 3), Leaf(5), Leaf(2, 5), Leaf(2) }, a => TensorFunctions.Mlp(a[0], a[1], a[2], a[3], a[4], target),
            (a, d) => (TensorFunctions.MlpTangent(a[0], a[1], a[2], a[3], a[4], target, d[0], d[1], d[2], d[3], d[4], out var t), t),
            a => { TensorFunctions.MlpWithGradient(a[0], a[1], a[2], a[3], a[4], target, out var g0, out var g1, out var g2, out var g3, out var g4); return new[] { g0, g1, g2, g3, g4 }; },
            (a, d) =>
            {
                var r = TensorFunctions.MlpHessianVectorProduct(a[0], a[1], a[2], a[3], a[4], target, d[0], d[1], d[2], d[3], d[4],
                    out var g0, out var g1, out var g2, out var g3, out var g4, out var h0, out var h1, out var h2, out var h3, out var h4);
                return (r, new[] { g0, g1, g2, g3, g4 }, new[] { h0, h1, h2, h3, h4 });
            }));
    }

    [Fact]
    public void Elementwise_rules_reductions_and_shapes()
    {
        Check(new("elementwise", new[] { rand(3, 4, dtype: ScalarType.Float64) + 0.5 }, a => TensorFunctions.Elementwise(a[0]),
            (a, d) => (TensorFunctions.ElementwiseTangent(a[0], d[0], out var t), t),
            a => { TensorFunctions.ElementwiseWithGradient(a[0], out var g); return new[] { g }; },
            (a, d) => (TensorFunctions.ElementwiseHessianVectorProduct(a[0], d[0], out var g, out var h), new[] { g }, new[] { h })));
        Check(new("reductions", new[] { Leaf(3, 4) }, a => TensorFunctions.Reductions(a[0]),
            (a, d) => (TensorFunctions.ReductionsTangent(a[0], d[0], out var t), t),
            a => { TensorFunctions.ReductionsWithGradient(a[0], out var g); return new[] { g }; },
            (a, d) => (TensorFunctions.ReductionsHessianVectorProduct(a[0], d[0], out var g, out var h), new[] { g }, new[] { h })));
        Check(new("shapes", new[] { Leaf(3, 4), Leaf(2, 5) }, a => TensorFunctions.Shapes(a[0], a[1]),
            (a, d) => (TensorFunctions.ShapesTangent(a[0], a[1], d[0], d[1], out var t), t),
            a => { TensorFunctions.ShapesWithGradient(a[0], a[1], out var g0, out var g1); return new[] { g0, g1 }; },
            (a, d) => (TensorFunctions.ShapesHessianVectorProduct(a[0], a[1], d[0], d[1], out var g0, out var g1, out var h0, out var h1), new[] { g0, g1 }, new[] { h0, h1 })));
        Check(new("integer sizes", new[] { Leaf(4) }, a => TensorFunctions.IntegerSizes(a[0], 3),
            (a, d) => (TensorFunctions.IntegerSizesTangent(a[0], 3, d[0], out var t), t),
            a => { TensorFunctions.IntegerSizesWithGradient(a[0], 3, out var g); return new[] { g }; },
            (a, d) => (TensorFunctions.IntegerSizesHessianVectorProduct(a[0], 3, d[0], out var g, out var h), new[] { g }, new[] { h })));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void A_loop_over_tensors(int depth)
        => Check(new("repeated layer", new[] { Leaf(2, 3), Leaf(3, 3) }, a => TensorFunctions.RepeatedLayer(a[0], a[1], depth),
            (a, d) => (TensorFunctions.RepeatedLayerTangent(a[0], a[1], depth, d[0], d[1], out var t), t),
            a => { TensorFunctions.RepeatedLayerWithGradient(a[0], a[1], depth, out var g0, out var g1); return new[] { g0, g1 }; },
            (a, d) => (TensorFunctions.RepeatedLayerHessianVectorProduct(a[0], a[1], depth, d[0], d[1], out var g0, out var g1, out var h0, out var h1), new[] { g0, g1 }, new[] { h0, h1 })));

    [Fact]
    public void Compound_assignments_and_masks()
    {
        Check(new("accumulates", new[] { Leaf(3, 4), Leaf(4, 2) }, a => TensorFunctions.Accumulates(a[0], a[1]),
            (a, d) => (TensorFunctions.AccumulatesTangent(a[0], a[1], d[0], d[1], out var t), t),
            a => { TensorFunctions.AccumulatesWithGradient(a[0], a[1], out var g0, out var g1); return new[] { g0, g1 }; },
            (a, d) => (TensorFunctions.AccumulatesHessianVectorProduct(a[0], a[1], d[0], d[1], out var g0, out var g1, out var h0, out var h1), new[] { g0, g1 }, new[] { h0, h1 })));
        Check(new("piecewise by mask", PiecewiseInputsAwayFromJumps(), a => TensorFunctions.PiecewiseByMask(a[0], a[1]),
            (a, d) => (TensorFunctions.PiecewiseByMaskTangent(a[0], a[1], d[0], d[1], out var t), t),
            a => { TensorFunctions.PiecewiseByMaskWithGradient(a[0], a[1], out var g0, out var g1); return new[] { g0, g1 }; },
            (a, d) => (TensorFunctions.PiecewiseByMaskHessianVectorProduct(a[0], a[1], d[0], d[1], out var g0, out var g1, out var h0, out var h1), new[] { g0, g1 }, new[] { h0, h1 })));
    }

    /// <summary>
    /// Inputs of PiecewiseByMask at which central differences see no jump: it jumps where an element of x·w or of x
    /// crosses zero, and a difference quotient across a jump is no derivative. Drawn from a generator of their own, so
    /// they do not depend on what other tests drew first.
    /// </summary>
    static Tensor[] PiecewiseInputsAwayFromJumps()
    {
        var generator = new torch.Generator(20261206);
        while (true)
        {
            var x = randn(new long[] { 4, 3 }, dtype: ScalarType.Float64, generator: generator);
            var w = randn(new long[] { 3, 5 }, dtype: ScalarType.Float64, generator: generator);
            if (x.abs().min().ToDouble() > 0.2 && x.matmul(w).abs().min().ToDouble() > 0.2) return new[] { x, w };
        }
    }

    [Fact]
    public void Broadcast_operands_and_a_number_get_tangents_and_products_of_their_own_shape()
    {
        var (a, row, column) = (Leaf(4, 3), Leaf(1, 3), Leaf(4, 1));
        const double s = 0.7, ds = -0.4;
        var (da, drow, dcolumn) = (randn_like(a), randn_like(row), randn_like(column));

        var value = TensorFunctions.BroadcastsTangent(a, row, column, s, da, drow, dcolumn, ds, out var tangent);
        Assert.Equal(TensorFunctions.Broadcasts(a, row, column, s).ToDouble(), value.ToDouble(), 12);

        var leaves = new[] { a, row, column, tensor(s, dtype: ScalarType.Float64) }.Select(t => t.clone().requires_grad_()).ToArray();
        Tensor F(Tensor[] x) => ((x[0] * x[1] + x[2]) / (x[1] * x[1] + 1.0) - x[0] * x[3]).tanh().sum();
        var directions = new[] { da, drow, dcolumn, tensor(ds, dtype: ScalarType.Float64) };
        var gradients = torch.autograd.grad(new[] { F(leaves) }, leaves, retain_graph: true, create_graph: true);
        var jv = gradients.Zip(directions, (g, d) => (g * d).sum()).Aggregate((p, q) => p + q);
        Assert.Equal(jv.ToDouble(), tangent.ToDouble(), 10);

        var directional = TensorFunctions.BroadcastsHessianVectorProduct(a, row, column, s, da, drow, dcolumn, ds, out _, out _, out _, out var gs, out var ha, out var hrow, out var hcolumn, out var hs);
        Assert.Equal(jv.ToDouble(), directional.ToDouble(), 10);
        Assert.Equal(gradients[3].ToDouble(), gs, 10);
        var oracle = Used(torch.autograd.grad(new[] { jv }, leaves, allow_unused: true));
        AssertTensorClose(oracle[0], ha, a, 1e-9, "(H·v) for a");
        AssertTensorClose(oracle[1], hrow, row, 1e-9, "(H·v) for row (1×3)");
        AssertTensorClose(oracle[2], hcolumn, column, 1e-9, "(H·v) for column (4×1)");
        Assert.Equal(oracle[3]?.ToDouble() ?? 0, hs, 10);
    }

    [Fact]
    public void A_Hessian_vector_product_over_Wrt_inputs_only_matches_double_backward()
    {
        var (x, w1, b1, w2, target) = (Leaf(6, 3), Leaf(5, 3), Leaf(5), Leaf(2, 5), Leaf(6, 2));
        var (v1, vb, v2) = (randn_like(w1), randn_like(b1), randn_like(w2));

        var directional = TensorFunctions.WeightsOnlyHessianVectorProduct(x, w1, b1, w2, target, v1, vb, v2, out var g1, out var gb, out var g2, out var h1, out var hb, out var h2);

        // The input is differentiable, but outside Wrt its direction is zero: the oracle holds it fixed.
        var leaves = new[] { w1, b1, w2 }.Select(t => t.clone().requires_grad_()).ToArray();
        var loss = nn.functional.mse_loss(nn.functional.linear(nn.functional.linear(x, leaves[0], leaves[1]).tanh(), leaves[2]), target);
        var gradients = torch.autograd.grad(new[] { loss }, leaves, retain_graph: true, create_graph: true);
        var jv = gradients.Zip(new[] { v1, vb, v2 }, (g, d) => (g * d).sum()).Aggregate((p, q) => p + q);
        var oracle = torch.autograd.grad(new[] { jv }, leaves, retain_graph: true);

        Assert.Equal(jv.ToDouble(), directional.ToDouble(), 10);
        AssertTensorClose(gradients[0].detach(), g1, w1, 1e-11, "∇ w1");
        AssertTensorClose(gradients[1].detach(), gb, b1, 1e-11, "∇ b1");
        AssertTensorClose(gradients[2].detach(), g2, w2, 1e-11, "∇ w2");
        AssertTensorClose(oracle[0], h1, w1, 1e-10, "(H·v) for w1");
        AssertTensorClose(oracle[1], hb, b1, 1e-10, "(H·v) for b1");
        AssertTensorClose(oracle[2], h2, w2, 1e-10, "(H·v) for w2");
    }

    [Fact]
    public void The_joint_Hessian_over_several_inputs_is_the_tape_s_second_derivative_block_by_block()
    {
        var (x, w1, b1, w2, target) = (Leaf(4, 2), Leaf(3, 2), Leaf(3), Leaf(2, 3), Leaf(4, 2));

        var hessian = TensorFunctions.WeightsOnlyHessian(x, w1, b1, w2, target);

        // Column by column on the tape: double backward along each unit direction of the flattened (w1, b1, w2).
        var leaves = new[] { w1, b1, w2 }.Select(t => t.clone().requires_grad_()).ToArray();
        var loss = nn.functional.mse_loss(nn.functional.linear(nn.functional.linear(x, leaves[0], leaves[1]).tanh(), leaves[2]), target);
        var gradient = cat(torch.autograd.grad(new[] { loss }, leaves, retain_graph: true, create_graph: true).Select(g => g.reshape(-1)).ToArray(), 0);
        var n = gradient.shape[0];
        Assert.Equal(new[] { n, n }, hessian.shape);
        for (var j = 0; j < n; j++)
        {
            var column = cat(torch.autograd.grad(new[] { gradient[j] }, leaves, retain_graph: true).Select(g => g.reshape(-1)).ToArray(), 0);
            AssertTensorClose(column, hessian[.., j], column, 1e-10, $"column {j}");
        }

        Assert.True(hessian.allclose(hessian.t(), rtol: 1e-12, atol: 1e-14), "the Hessian is symmetric");
    }

    [Fact]
    public void A_tangent_of_the_wrong_shape_is_rejected_instead_of_broadcast()
    {
        var x = Leaf(3, 4);
        var error = Assert.Throws<ArgumentException>(() => TensorFunctions.ReductionsTangent(x, Leaf(1, 4), out _));
        Assert.Contains("[1, 4]", error.Message);
        Assert.Contains("[3, 4]", error.Message);
        Assert.Equal("dx", error.ParamName);
    }
}
