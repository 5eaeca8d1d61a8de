using Leibniz.Generated;
using static Leibniz.Tests.Differentiation.FiniteDifferences;
using F = Leibniz.Tests.Differentiation.ReverseSweepStateFunctions;

namespace Leibniz.Tests.Differentiation;

/// <summary>
/// Regression tests for wrong gradients and uncompilable output the differential tester found (tests/Leibniz.Fuzzing.Tests):
/// each program is checked against central differences, its closed form where it has one, forward mode and the tapes.
/// </summary>
public class ReverseSweepStateTests
{
    [Theory]
    [InlineData(0.3)]
    [InlineData(-1.2)]
    public void A_value_overwritten_after_a_loop_is_read_as_the_loop_saw_it(double x)
    {
        F.IntOverwrittenAfterLoopWithGradient(x, out var dx);
        AssertClose(2 * Math.Cos(x + 1), dx, 1e-14, "d/dx of Σ sin(x + k) with k = 1 during the loop");
        AssertClose(Derivative(F.IntOverwrittenAfterLoop, x), dx);

        F.ConstantOverwrittenAfterLoopWithGradient(x, out var dc);
        AssertClose(4 * 3 * Math.Cos(x + 0.5), dc, 1e-14, "d/dx of 4·Σ sin(x + 0.5)");

        const double y = 0.7;
        F.ParameterOverwrittenAfterLoopWithGradient(x, y, out var px, out var py);
        AssertClose(y * (Math.Cos(x * y) + Math.Cos(x * y + 1)), px, 1e-14, "∂/∂x with y as passed");
        AssertClose(x * (Math.Cos(x * y) + Math.Cos(x * y + 1)), py, 1e-14, "∂/∂y, although y is overwritten after the loop");
    }

    [Fact]
    public void An_index_overwritten_after_a_loop_sends_the_adjoint_to_the_element_the_loop_read()
    {
        var a = new[] { 0.1, -0.4, 0.9, 0.3, -0.7 };
        var da = new double[a.Length];
        F.IndexOverwrittenAfterLoopWithGradient(a, da);
        Assert.Equal(new[] { 0, 0, 3 * Math.Cos(0.9), 1, 0 }, da);
        CheckArrayGradient(F.IndexOverwrittenAfterLoop, (v, d) => F.IndexOverwrittenAfterLoopWithGradient(v, d), a);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Row_major_indexing_in_nested_loops_stays_in_range_and_exact(int columns)
    {
        var random = new Random(columns);
        var a = Enumerable.Range(0, 6).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var da = new double[a.Length];
        F.RowMajorWithGradient(a, columns, da);
        for (var i = 0; i < a.Length; i++) AssertClose((i / columns + 1) * Math.Cos(a[i]), da[i], 1e-14, $"∂/∂a[{i}]");
    }

    [Theory]
    [InlineData(0.2, 0.5)]
    [InlineData(-0.8, 1.3)]
    public void A_time_loop_over_two_counters_differentiates_exactly(double u, double x)
    {
        F.TimeLoopWithGradient(u, x, out var du, out var dx);
        AssertClose(Derivative(v => F.TimeLoop(v, x), u), du, what: "∂/∂u");
        AssertClose(Derivative(v => F.TimeLoop(u, v), x), dx, what: "∂/∂x");
        F.TimeLoopTangent(u, x, 0.6, -0.8, out var tangent);
        AssertClose(0.6 * du - 0.8 * dx, tangent, 1e-12, "forward mode against reverse mode");
    }

    [Theory]
    [InlineData(0.4)]
    [InlineData(-2.1)]
    public void A_later_loop_without_adjoint_code_restores_what_earlier_code_reads_and_leaves_the_tape_balanced(double x)
    {
        var before = (Tape<double>.Current.Count, Tape<int>.Current.Count);
        F.LaterLoopWithoutAdjointWithGradient(x, out var dx);
        Assert.Equal(0.5, dx);
        Assert.Equal(before, (Tape<double>.Current.Count, Tape<int>.Current.Count));

        F.CallsLaterLoopWithGradient(x, out var dc);
        AssertClose(Derivative(F.CallsLaterLoop, x), dc, what: "a caller's gradient after the callee's loop");
        Assert.Equal(before, (Tape<double>.Current.Count, Tape<int>.Current.Count));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Ints_in_double_arithmetic_compile_and_differentiate_in_every_spelling(int n)
    {
        var x = new[] { 0.3, -0.6, 1.1, 0.4 };
        CheckArrayGradient(v => F.IntsInArithmetic(v, n), (v, d) => F.IntsInArithmeticWithGradient(v, n, d), x);
    }

    [Theory]
    [InlineData(0.7)]
    [InlineData(-1.4)]
    public void Constant_conditions_and_self_assignments_keep_their_meaning(double x)
    {
        F.ConstantConditionsWithGradient(x, out var dx);
        AssertClose(3 * x * x + 1, dx, 1e-14, "d/dx (x² + 1)·x");
    }

    [Theory]
    [InlineData(0.7, 0.75)]
    [InlineData(-1.3, 2.0)]
    public void A_data_input_reassigned_with_an_active_value_has_an_exact_hessian_vector_product(double x, double s)
    {
        // f = x·s·(s − sin x): f' = s(s − sin x) − x·s·cos x, f'' = s(x·sin x − 2cos x).
        var derivative = F.DataInputReassignedHessianVectorProduct(x, s, 1.0, out var gradient, out var curvature);
        AssertClose(s * (s - Math.Sin(x)) - x * s * Math.Cos(x), gradient, 1e-14, "f'");
        AssertClose(gradient, derivative, 1e-14, "⟨∇f, v⟩");
        AssertClose(s * (x * Math.Sin(x) - 2 * Math.Cos(x)), curvature, 1e-14, "f''");
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(-2.0)]
    public void Constants_folded_to_infinity_compile_and_differentiate(double x)
    {
        // x·atan(∞) + x² (the NaN sits in the branch not taken).
        F.NonFiniteConstantsWithGradient(x, out var dx);
        Assert.Equal(Math.PI / 2 + 2 * x, dx, 14);
        Assert.Equal(x * Math.PI / 2 + x * x, F.NonFiniteConstants(x), 14);
    }

    [Theory]
    [InlineData(0.4, 2)]
    [InlineData(-1.1, 3)]
    public void A_negative_zero_operand_differentiates_like_zero(double x, int n)
    {
        F.NegativeZeroWithGradient(x, n, out var dx);
        AssertClose(n * 2 / (x * x + 4), dx, 1e-14, "n·∂atan2(x, 2)/∂x");
        F.NegativeZeroTangent(x, n, 1.0, out var tangent);
        AssertClose(dx, tangent, 1e-14, "forward mode");
    }

    [Fact]
    public void A_power_of_zero_gives_its_exponent_no_gradient_rather_than_nan()
    {
        F.PowerOfAbsoluteWithGradient(0, 2.5, out var dx, out var dy);
        Assert.Equal(0, dx);
        Assert.Equal(0, dy);
        F.PowerOfAbsoluteTangent(0, 2.5, 1, 1, out var tangent);
        Assert.Equal(0, tangent);

        F.PowerOfAbsoluteWithGradient(-0.8, 2.5, out dx, out dy);
        AssertClose(Derivative(v => F.PowerOfAbsolute(v, 2.5), -0.8), dx);
        AssertClose(Math.Pow(0.8, 2.5) * Math.Log(0.8), dy, 1e-14, "∂/∂y away from zero");
    }

    static void CheckArrayGradient(Func<double[], double> f, Action<double[], double[]> withGradient, double[] x)
    {
        var gradient = new double[x.Length];
        withGradient(x, gradient);
        var random = new Random(x.Length);
        for (var trial = 0; trial < 3; trial++)
        {
            var direction = UnitVector(random, x.Length);
            AssertClose(Directional(f, x, direction), gradient.Zip(direction, (g, d) => g * d).Sum(), what: $"directional derivative {trial}");
        }
    }
}
