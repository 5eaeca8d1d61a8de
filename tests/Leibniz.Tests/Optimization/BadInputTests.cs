using Leibniz.Optimization;
using static Leibniz.Tests.Optimization.OperatorCases;
using static TorchSharp.torch;

namespace Leibniz.Tests.Optimization;

/// <summary>Null arguments, out-of-range hyperparameters and wrong shapes throw the documented exceptions, naming what is wrong.</summary>
public sealed class BadInputTests
{
    static readonly Tensor Vector = tensor(new[] { 1.0, -2.0, 0.5 });

    [Fact]
    public void Null_arguments_throw_ArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => Prox.Lasso(null!, Scalar(1)));
        Assert.Throws<ArgumentNullException>(() => Prox.ElasticNet(Vector, Scalar(1), null!));
        Assert.Throws<ArgumentNullException>(() => Prox.NonNegative(null!));
        Assert.Throws<ArgumentNullException>(() => Projection.Simplex(Vector, null!));
        Assert.Throws<ArgumentNullException>(() => Projection.Box(Vector, null!, Scalar(1)));
        Assert.Throws<ArgumentNullException>(() => Projection.Affine(Vector, null!, Vector));
        Tensor? dx = null, dt = null;
        Assert.Throws<ArgumentNullException>(() => Prox.LassoPullback(Vector, Scalar(1), null!, ref dx, ref dt));
    }

    [Fact]
    public void Out_of_range_hyperparameters_throw_ArgumentOutOfRangeException_with_the_value()
    {
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => Prox.Lasso(Vector, Scalar(-0.5)));
        Assert.Equal("t", negative.ParamName);
        Assert.Contains("-0.5", negative.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Prox.ElasticNet(Vector, Scalar(0.1), Scalar(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Prox.GroupLasso(Vector, Scalar(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Prox.Ridge(Vector, tensor(new[] { 1.0, -1.0, 0.0 })));
        var sum = Assert.Throws<ArgumentOutOfRangeException>(() => Projection.Simplex(Vector, Scalar(0)));
        Assert.Contains("s > 0", sum.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Projection.L2Ball(Vector, Scalar(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Projection.L1Ball(Vector, Scalar(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Projection.LInfBall(Vector, Scalar(-1)));
        var box = Assert.Throws<ArgumentOutOfRangeException>(() => Projection.Box(Vector, tensor(new[] { 0.0, 2.0, 0.0 }), Scalar(1)));
        Assert.Contains("Swap the bounds", box.Message);
    }

    [Fact]
    public void Wrong_shapes_throw_ArgumentException_naming_the_shape_and_what_is_expected()
    {
        var cube = zeros(2, 2, 2, dtype: ScalarType.Float64);
        var groups = Assert.Throws<ArgumentException>(() => Prox.GroupLasso(cube, Scalar(1)));
        Assert.Contains("[2, 2, 2]", groups.Message);
        Assert.Contains("2-D", groups.Message);
        Assert.Contains("[2, 2, 2]", Assert.Throws<ArgumentException>(() => Projection.L2Ball(cube, Scalar(1))).Message);
        Assert.Throws<ArgumentException>(() => Projection.L1Ball(cube, Scalar(1)));
        Assert.Throws<ArgumentException>(() => Projection.Simplex(Scalar(1), Scalar(1)));
        Assert.Throws<ArgumentException>(() => Projection.Simplex(zeros(2, 3, dtype: ScalarType.Float64), tensor(new[] { 1.0, 1.0 })));
        Assert.Throws<ArgumentException>(() => Prox.Lasso(Vector, tensor(new[] { 1.0, 1.0 })));
        var normal = Assert.Throws<ArgumentException>(() => Projection.Hyperplane(Vector, tensor(new[] { 1.0, 1.0 }), Scalar(0)));
        Assert.Contains("[2]", normal.Message);
        Assert.Contains("[3]", normal.Message);
        Assert.Throws<ArgumentException>(() => Projection.HalfSpace(Vector, zeros(3, dtype: ScalarType.Float64), Scalar(0)));
        Assert.Throws<ArgumentException>(() => Projection.Affine(Vector, zeros(2, 4, dtype: ScalarType.Float64), zeros(2, dtype: ScalarType.Float64)));
        Assert.Throws<ArgumentException>(() => Projection.Affine(Vector, zeros(2, 3, dtype: ScalarType.Float64), zeros(3, dtype: ScalarType.Float64)));
        Assert.Throws<ArgumentException>(() => Projection.Affine(cube, zeros(2, 3, dtype: ScalarType.Float64), zeros(2, dtype: ScalarType.Float64)));
    }
}
