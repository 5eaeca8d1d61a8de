using static Leibniz.Tests.Differentiation.FiniteDifferences;

namespace Leibniz.Tests.Differentiation;

/// <summary>
/// A loop whose iterations' reverses are independent runs them inside the forward loop; the others keep a separate
/// reverse loop. Either way the gradient matches 4-point central differences, for empty, short and long inputs.
/// </summary>
public class LoopFusionTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(9)]
    [InlineData(64)]
    public void Fused_and_separate_reverse_loops_give_the_gradient(int n)
    {
        var x = RandomPoint(n, seed: 7 * n + 1);
        AssertGradient(LoopFusionFunctions.Rosenbrock, LoopFusionFunctions.RosenbrockWithGradient, x);
        AssertGradient(LoopFusionFunctions.Product, LoopFusionFunctions.ProductWithGradient, x);
        AssertGradient(LoopFusionFunctions.IndexAdvancedInTheBody, LoopFusionFunctions.IndexAdvancedInTheBodyWithGradient, x);
        AssertGradient(LoopFusionFunctions.SquaredAfterTheLoop, LoopFusionFunctions.SquaredAfterTheLoopWithGradient, x);
        AssertGradient(LoopFusionFunctions.Carried, LoopFusionFunctions.CarriedWithGradient, x);
    }

    [Theory]
    [InlineData(0, 0.3)]
    [InlineData(1, -1.2)]
    [InlineData(17, 0.8)]
    public void A_value_computed_before_a_fused_loop_gets_every_iteration_s_contribution(int n, double w)
    {
        var x = RandomPoint(n, seed: n + 40);
        var gradient = new double[n];
        var value = LoopFusionFunctions.SharedScaleWithGradient(x, w, gradient, out var dw);
        AssertClose(LoopFusionFunctions.SharedScale(x, w), value, 1e-14, "value");
        AssertClose(Derivative(v => LoopFusionFunctions.SharedScale(x, v), w), dw, what: "∂/∂w");
        if (n > 0)
        {
            var direction = UnitVector(new Random(n), n);
            AssertClose(Directional(v => LoopFusionFunctions.SharedScale(v, w), x, direction), gradient.Zip(direction, (g, d) => g * d).Sum(), what: "∂/∂x along a direction");
        }
    }

    [Fact]
    public void The_pullback_adds_seed_times_the_gradient_when_the_reverse_runs_inside_the_loop()
    {
        var x = RandomPoint(12, seed: 3);
        var once = new double[12];
        LoopFusionFunctions.RosenbrockWithGradient(x, once);
        var accumulated = Enumerable.Repeat(1.0, 12).ToArray();
        LoopFusionFunctions.RosenbrockPullback(x, 2.5, accumulated);
        for (var i = 0; i < 12; i++) AssertClose(1 + 2.5 * once[i], accumulated[i], 1e-13, $"component {i}");
    }
}
