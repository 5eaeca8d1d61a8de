using Leibniz.Solvers;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Solvers;

public sealed class BisectionTests
{
    [Fact]
    public void Bisection_finds_the_fixed_point_of_the_cosine()
    {
        using var result = Bisection.FindRoot(x => Math.Cos(x) - x, 0, 1).EnsureConverged();
        Assert.Equal(0.7390851332151607, result.Solution.ToDouble(), 9);
        Assert.True(result.Residual <= 1e-10);
        Assert.InRange(result.Iterations, 30, 40);
    }

    [Fact]
    public void Bisection_stops_converged_when_the_bracket_cannot_shrink_further()
    {
        using var result = Bisection.FindRoot(x => x * x - 2, 1, 2, new SolverOptions { Tolerance = 1e-300 });
        Assert.True(result.Converged);
        Assert.Equal(Math.Sqrt(2), result.Solution.ToDouble(), 15);
    }

    [Fact]
    public void Elementwise_bisection_finds_cube_roots()
    {
        var c = tensor(new[] { 1.0, 8.0, -27.0, 2.0, 0.0, 5.5 }, new long[] { 2, 3 }, ScalarType.Float64);
        using var result = Bisection.FindRoot(
            x => x.pow(3) - c,
            full(2, 3, -4.0, dtype: ScalarType.Float64),
            full(2, 3, 4.0, dtype: ScalarType.Float64),
            new SolverOptions { Tolerance = 1e-12 }).EnsureConverged();
        var expected = c.sign() * c.abs().pow(1.0 / 3);
        Assert.Equal(new long[] { 2, 3 }, result.Solution.shape);
        Assert.True((result.Solution - expected).abs().max().ToDouble() <= 1e-11);
    }

    [Fact]
    public void Elementwise_bisection_handles_decreasing_elements()
    {
        var c = tensor(new[] { 1.0, 2.0 }, ScalarType.Float64);
        var direction = tensor(new[] { 1.0, -1.0 }, ScalarType.Float64);
        using var result = Bisection.FindRoot(x => direction * (x - c), zeros(2, dtype: ScalarType.Float64), full(2, 3.0, dtype: ScalarType.Float64)).EnsureConverged();
        Assert.True((result.Solution - c).abs().max().ToDouble() <= 1e-10);
    }

    [Fact]
    public void A_bracket_without_a_sign_change_is_rejected_naming_both_values()
    {
        var e = Assert.Throws<ArgumentException>(() => Bisection.FindRoot(x => x * x + 1, -1, 2));
        Assert.Contains("f(lower)", e.Message);
        Assert.Contains("= 2", e.Message);
        Assert.Contains("= 5", e.Message);

        var t = Assert.Throws<ArgumentException>(() => Bisection.FindRoot(
            x => x.pow(2) + 1, zeros(3, dtype: ScalarType.Float64), ones(3, dtype: ScalarType.Float64)));
        Assert.Contains("f(lower)", t.Message);
        Assert.Contains("f(upper)", t.Message);
    }
}
