using Leibniz.Curvature;
using Leibniz.Generated;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.BadInput;

/// <summary>The runtime's public entry points reject bad tensors in managed code, naming the argument.</summary>
public sealed class RuntimeValidationTests
{
    [Fact]
    public void A_loss_Hessian_product_rejects_a_direction_shaped_unlike_the_output()
    {
        using var logits = randn(4, 3, dtype: ScalarType.Float64);
        using var targets = tensor(new long[] { 0, 2, 1, 0 });
        using var wrong = randn(3, 4, dtype: ScalarType.Float64);
        foreach (var product in new[] { LossCurvature.CrossEntropy(targets), LossCurvature.MeanSquaredError(), LossCurvature.BinaryCrossEntropyWithLogits() })
        {
            var e = Assert.Throws<ArgumentException>(() => product(logits, wrong));
            Assert.Equal("direction", e.ParamName);
            Assert.Contains("[3, 4]", e.Message);
            Assert.Contains("[4, 3]", e.Message);
        }
    }

    [Fact]
    public void A_loss_Hessian_product_rejects_a_direction_of_another_dtype_and_a_disposed_one()
    {
        using var output = randn(4, 3, dtype: ScalarType.Float64);
        using var single = randn(4, 3, dtype: ScalarType.Float32);
        var product = LossCurvature.MeanSquaredError();
        Assert.Equal("direction", Assert.Throws<ArgumentException>(() => product(output, single)).ParamName);

        var disposed = randn(4, 3, dtype: ScalarType.Float64);
        disposed.Dispose();
        Assert.Equal("direction", Assert.Throws<ObjectDisposedException>(() => product(output, disposed)).ObjectName);
        // A good direction still works: H = 2·I/n.
        using var direction = ones(4, 3, dtype: ScalarType.Float64);
        Assert.Equal(2.0 / 12, product(output, direction)[0, 0].ToDouble(), 15);
    }

    [Fact]
    public void The_curvature_operators_reject_disposed_tensors()
    {
        var matrix = eye(3, dtype: ScalarType.Float64);
        var op = SymmetricOperator.FromMatrix(matrix);
        var vector = ones(3, dtype: ScalarType.Float64);
        vector.Dispose();
        Assert.Equal("vector", Assert.Throws<ObjectDisposedException>(() => op.Apply(vector)).ObjectName);

        var layout = ParameterLayout.Of(new[] { ones(2, 2, dtype: ScalarType.Float64) });
        var flat = ones(4, dtype: ScalarType.Float64);
        flat.Dispose();
        Assert.Equal("flat", Assert.Throws<ObjectDisposedException>(() => layout.Unflatten(flat)).ObjectName);

        var parameter = ones(2, dtype: ScalarType.Float64);
        parameter.Dispose();
        Assert.Equal("parameters", Assert.Throws<ObjectDisposedException>(() => ParameterLayout.Of(new[] { parameter })).ObjectName);

        matrix.Dispose();
        Assert.Throws<ObjectDisposedException>(() => SymmetricOperator.FromMatrix(matrix));
    }

    [Fact]
    public void The_validation_helpers_accept_what_matches_and_name_what_does_not()
    {
        using var output = zeros(2, 3, dtype: ScalarType.Float64);
        using var good = ones(2, 3, dtype: ScalarType.Float64);
        Validation.Seed(good, output, "seed", "F");
        Validation.Seed(null, output, "seed", "F");
        using var transposed = ones(3, 2, dtype: ScalarType.Float64);
        Assert.Equal("seed has shape [3, 2] but the output of F has shape [2, 3]; pass a seed shaped like the output (or null for ones). (Parameter 'seed')",
            Assert.Throws<ArgumentException>(() => Validation.Seed(transposed, output, "seed", "F")).Message);
        Validation.Buffer(new double[3], new double[3], "dx", "x");
        Assert.Equal("dx", Assert.Throws<ArgumentException>(() => Validation.Buffer(new double[2], new double[3], "dx", "x")).ParamName);
        Assert.Equal("dx", Assert.Throws<ArgumentNullException>(() => Validation.Buffer(null, new double[3], "dx", "x")).ParamName);
    }
}
