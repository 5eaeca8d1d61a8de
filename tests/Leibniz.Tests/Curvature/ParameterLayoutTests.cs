using Leibniz.Curvature;
using Leibniz.Tests.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Curvature;

public sealed class ParameterLayoutTests
{
    [Fact]
    public void A_model_s_parameters_flatten_in_parameters_order_and_unflatten_to_views()
    {
        manual_seed(1);
        using var model = new TwoLayer(inputs: 3, hidden: 4, outputs: 2);
        var parameters = model.parameters().Cast<Tensor>().ToArray();

        var layout = ParameterLayout.Of(model);

        Assert.Equal(4, layout.Count);
        Assert.Equal(4 * 3 + 4 + 2 * 4 + 2, layout.Dimension);
        Assert.Equal(new long[] { 4, 3 }, layout.Shape(0));
        Assert.Equal(new long[] { 0, 12, 16, 24 }, Enumerable.Range(0, 4).Select(layout.Offset));
        Assert.Equal(ScalarType.Float32, layout.DType);

        using var flat = layout.Flatten(parameters);
        Assert.Equal(parameters[0].reshape(-1).data<float>().ToArray(), flat[..12].data<float>().ToArray());
        Assert.Equal(parameters[3].data<float>().ToArray(), flat[24..].data<float>().ToArray());

        var views = layout.Unflatten(flat);
        Assert.Equal(parameters.Select(p => p.shape), views.Select(v => v.shape));
        Assert.All(Enumerable.Range(0, 4), i => Assert.True(views[i].allclose(parameters[i].detach(), rtol: 0, atol: 0)));
        views[2][1, 3] = tensor(42f);
        Assert.Equal(42f, flat[16 + 1 * 4 + 3].item<float>());
    }

    [Fact]
    public void A_product_over_parameters_acts_on_the_flat_vector()
    {
        using var a = randn(3, 2, dtype: ScalarType.Float64);
        using var b = randn(5, dtype: ScalarType.Float64);
        var layout = ParameterLayout.Of(new[] { a, b });
        // Scales the first parameter's block by 2 and the second's by −1: a diagonal operator.
        var op = SymmetricOperator.OverParameters(layout, v => new[] { v[0] * 2, -v[1] });

        using var x = arange(11, dtype: ScalarType.Float64);
        using var y = op.Apply(x);

        Assert.Equal(new[] { 0.0, 2, 4, 6, 8, 10, -6, -7, -8, -9, -10 }, y.data<double>().ToArray());
        Assert.Equal(11, op.Dimension);
        Assert.Equal(ScalarType.Float64, op.DType);
    }

    [Fact]
    public void Mismatched_parameters_and_products_are_rejected_with_the_offending_index()
    {
        using var single = zeros(2, 3);
        using var @double = zeros(4, dtype: ScalarType.Float64);
        using var integer = zeros(4, dtype: ScalarType.Int64);

        Assert.Contains("Parameter 1 is Float64 but parameter 0 is Float32", Assert.Throws<ArgumentException>(() => ParameterLayout.Of(new[] { single, @double })).Message);
        Assert.Contains("Parameter 0 is Int64", Assert.Throws<ArgumentException>(() => ParameterLayout.Of(new[] { integer })).Message);
        Assert.Contains("no parameters", Assert.Throws<ArgumentException>(() => ParameterLayout.Of(Array.Empty<Tensor>())).Message);

        var layout = ParameterLayout.Of(new[] { single });
        Assert.Contains("Tensor 0 has shape [3, 2]; parameter 0 has shape [2, 3]", Assert.Throws<ArgumentException>(() => layout.Flatten(new[] { zeros(3, 2) })).Message);
        Assert.Contains("Got 2 tensors for a layout of 1", Assert.Throws<ArgumentException>(() => layout.Flatten(new[] { single, single })).Message);
        Assert.Contains("needs [6]", Assert.Throws<ArgumentException>(() => layout.Unflatten(zeros(7))).Message);

        var op = SymmetricOperator.OverParameters(layout, v => new[] { v[0].t() });
        Assert.Contains("shape [3, 2]", Assert.Throws<ArgumentException>(() => op.Apply(zeros(6))).Message);
    }

    [Fact]
    public void An_operator_rejects_what_it_cannot_act_on()
    {
        Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => new SymmetricOperator(0, v => v)).ParamName);
        Assert.Contains("Int32", Assert.Throws<ArgumentOutOfRangeException>(() => new SymmetricOperator(3, v => v, ScalarType.Int32)).Message);

        using var rectangle = zeros(2, 3, dtype: ScalarType.Float64);
        Assert.Contains("square", Assert.Throws<ArgumentException>(() => SymmetricOperator.FromMatrix(rectangle)).Message);
        using var skew = tensor(new[] { 1.0, 2, 0, 1 }, new long[] { 2, 2 });
        Assert.Contains("not symmetric", Assert.Throws<ArgumentException>(() => SymmetricOperator.FromMatrix(skew)).Message);

        var op = new SymmetricOperator(3, v => v);
        Assert.Contains("shape [4]", Assert.Throws<ArgumentException>(() => op.Apply(zeros(4, dtype: ScalarType.Float64))).Message);
        Assert.Contains("Float32", Assert.Throws<ArgumentException>(() => op.Apply(zeros(3))).Message);
    }
}
