using Leibniz.Generated;
using static Leibniz.Tests.Differentiation.FiniteDifferences;

namespace Leibniz.Tests.Differentiation;

public class LoopShapeTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(100)]
    public void Counters_recomputed_from_the_iteration_count_give_exact_gradients(int n)
    {
        var x = Input(n, seed: n);
        CheckGradient(LoopShapeFunctions.BackwardsStrided, LoopShapeFunctions.BackwardsStridedWithGradient, x);
        CheckGradient(LoopShapeFunctions.Triangular, LoopShapeFunctions.TriangularWithGradient, x);
        CheckGradient(LoopShapeFunctions.Converging, LoopShapeFunctions.ConvergingWithGradient, x);
        CheckGradient(LoopShapeFunctions.ConditionShared, LoopShapeFunctions.ConditionSharedWithGradient, x);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(100)]
    public void A_counter_with_a_data_dependent_step_goes_through_the_tape(int n)
    {
        var x = Input(n, seed: 100 + n);
        Assert.True(n < 2 || x.Any(v => v > 0) && x.Any(v => v <= 0), "both steps are taken");
        var before = Tape<int>.Current.Count;
        CheckGradient(LoopShapeFunctions.DataDependentStep, LoopShapeFunctions.DataDependentStepWithGradient, x);
        Assert.Equal(before, Tape<int>.Current.Count);
    }

    [Theory]
    [InlineData(0.4, 0.3, -0.2)]
    [InlineData(-0.9, 0.2, 1.3)]
    [InlineData(0.1, 0.8, 0.6)]
    public void Repeated_reads_share_a_value_only_while_nothing_changes_it(double x0, double x1, double y)
    {
        var x = new[] { x0, x1 };
        var dx = new double[2];
        var value = LoopShapeFunctions.RepeatedReadsWithGradient(x, y, dx, out var dy);

        AssertClose(LoopShapeFunctions.RepeatedReads(x, y), value, 1e-15, "value");
        for (var k = 0; k < 2; k++)
        {
            var unit = new double[2];
            unit[k] = 1;
            AssertClose(Directional(v => LoopShapeFunctions.RepeatedReads(v, y), x, unit), dx[k], what: $"∂/∂x[{k}]");
        }

        AssertClose(Derivative(t => LoopShapeFunctions.RepeatedReads(x, t), y), dy, what: "∂/∂y");
    }

    static double[] Input(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
    }

    static void CheckGradient(Func<double[], double> f, Func<double[], double[], double> withGradient, double[] x)
    {
        var gradient = Enumerable.Repeat(double.NaN, x.Length).ToArray();
        var value = withGradient(x, gradient);
        AssertClose(f(x), value, 1e-14, "value");
        var random = new Random(x.Length);
        for (var trial = 0; trial < 3 && x.Length > 0; trial++)
        {
            var direction = UnitVector(random, x.Length);
            var expected = Directional(f, x, direction);
            var actual = gradient.Zip(direction, (g, d) => g * d).Sum();
            AssertClose(expected, actual, what: $"directional derivative {trial} at n = {x.Length}");
        }
    }
}
