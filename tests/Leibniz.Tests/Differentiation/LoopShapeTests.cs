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
        var x = RandomPoint(n, seed: n);
        AssertGradient(LoopShapeFunctions.BackwardsStrided, LoopShapeFunctions.BackwardsStridedWithGradient, x);
        AssertGradient(LoopShapeFunctions.Triangular, LoopShapeFunctions.TriangularWithGradient, x);
        AssertGradient(LoopShapeFunctions.Converging, LoopShapeFunctions.ConvergingWithGradient, x);
        AssertGradient(LoopShapeFunctions.ConditionShared, LoopShapeFunctions.ConditionSharedWithGradient, x);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(100)]
    public void A_counter_with_a_data_dependent_step_goes_through_the_tape(int n)
    {
        var x = RandomPoint(n, seed: 100 + n);
        Assert.True(n < 2 || x.Any(v => v > 0) && x.Any(v => v <= 0), "both steps are taken");
        var before = Tape<int>.Current.Count;
        AssertGradient(LoopShapeFunctions.DataDependentStep, LoopShapeFunctions.DataDependentStepWithGradient, x);
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
}
