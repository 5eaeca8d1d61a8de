using Leibniz.Generated;
using TorchSharp;
using static Leibniz.Tests.Differentiation.FiniteDifferences;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

public sealed class ScalarGradientTests
{
    [Theory]
    [InlineData(-2.3)]
    [InlineData(0.0)]
    [InlineData(0.7)]
    [InlineData(4.1)]
    public void Sin_times_x_matches_the_closed_form_and_central_differences(double x)
    {
        var value = ScalarFunctions.SinTimesXWithGradient(x, out var dx);

        Assert.Equal(ScalarFunctions.SinTimesX(x), value);
        AssertClose(Math.Cos(x) * x + Math.Sin(x), dx, 1e-14, "closed form");
        AssertClose(Derivative(ScalarFunctions.SinTimesX, x), dx);
    }

    public static TheoryData<double, double> Points() => new()
    {
        { 0.8, 0.3 }, { 0.2, 0.9 }, { -0.7, 0.4 }, { 0.5, 1.7 }, { 1.9, -0.6 }, { -1.2, -0.3 }, { 0.2, 0.6 }, { -1.3, 2.0 },
    };

    static void CheckTwoArguments(Func<double, double, double> f, double x, double y, double value, double dx, double dy)
    {
        Assert.Equal(f(x, y), value);
        AssertClose(Derivative(t => f(t, y), x), dx, what: "∂/∂x");
        AssertClose(Derivative(t => f(x, t), y), dy, what: "∂/∂y");
    }

    [Theory]
    [MemberData(nameof(Points))]
    public void Compound_assignments_differentiate_correctly(double x, double y)
    {
        var value = ScalarFunctions.CompoundAssignmentsWithGradient(x, y, out var dx, out var dy);
        CheckTwoArguments(ScalarFunctions.CompoundAssignments, x, y, value, dx, dy);
    }

    [Theory]
    [MemberData(nameof(Points))]
    public void Every_arm_of_the_branches_differentiates_correctly(double x, double y)
    {
        var value = ScalarFunctions.BranchesWithGradient(x, y, out var dx, out var dy);
        CheckTwoArguments(ScalarFunctions.Branches, x, y, value, dx, dy);
    }

    [Fact]
    public void The_branch_points_cover_every_arm()
    {
        // x > y; x < 0 with z > 2; x ≥ 0 with z > 2; x < 0 with z ≤ 2; x ≥ 0 with z ≤ 2.
        static int Arm(double x, double y)
        {
            if (x > y) return 0;
            var z = x < 0 ? -x * y : Math.Exp(x) + y;
            return z > 2 ? (x < 0 ? 1 : 2) : (x < 0 ? 3 : 4);
        }

        var arms = Points().Select(p => Arm((double)p[0], (double)p[1])).ToHashSet();
        Assert.Superset(new HashSet<int> { 0, 1, 2, 3, 4 }, arms);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(100)]
    public void A_loop_with_a_run_time_trip_count_differentiates_correctly(int n)
    {
        const double x = 1.013;
        var value = ScalarFunctions.LoopedPowerWithGradient(x, n, out var dx);

        AssertClose(Math.Pow(x, n), value, 1e-12, "value");
        AssertClose(n == 0 ? 0 : n * Math.Pow(x, n - 1), dx, 1e-12, "closed form");
        // x¹⁰⁰ has a fifth derivative large enough to cost the stencil its last digits.
        AssertClose(Derivative(t => ScalarFunctions.LoopedPower(t, n), x), dx, n == 100 ? 1e-5 : 1e-8);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public void A_while_loop_on_integer_state_differentiates_the_iteration(int iterations)
    {
        const double x = 2.7;
        var value = ScalarFunctions.HeronSquareRootWithGradient(x, iterations, out var dx);

        Assert.Equal(ScalarFunctions.HeronSquareRoot(x, iterations), value);
        AssertClose(Derivative(t => ScalarFunctions.HeronSquareRoot(t, iterations), x), dx);
        if (iterations == 7) AssertClose(0.5 / Math.Sqrt(x), dx, 1e-12, "converged derivative");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(100)]
    public void Rosenbrock_gradient_matches_directional_differences_and_torch_autograd(int n)
    {
        var random = new Random(n);
        var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var gradient = new double[n];

        var value = ScalarFunctions.RosenbrockWithGradient(x, gradient);

        Assert.Equal(ScalarFunctions.Rosenbrock(x), value);
        for (var trial = 0; trial < 3; trial++)
        {
            var direction = UnitVector(random, n);
            AssertClose(Directional(ScalarFunctions.Rosenbrock, x, direction), gradient.Zip(direction, (g, d) => g * d).Sum(), what: "directional derivative");
        }

        using var t = tensor(x, dtype: ScalarType.Float64).requires_grad_();
        using var head = t.narrow(0, 1, Math.Max(n - 1, 0));
        using var tail = t.narrow(0, 0, Math.Max(n - 1, 0));
        using var f = (100 * (head - tail * tail).square() + (1 - tail).square()).sum();
        f.backward();
        var oracle = t.grad!.data<double>().ToArray();
        for (var i = 0; i < n; i++) AssertClose(oracle[i], gradient[i], 1e-12, $"∂/∂x[{i}] vs TorchSharp autograd");
    }

    [Fact]
    public void Nested_loops_over_an_array_with_data_weights_differentiate_correctly()
    {
        var random = new Random(5);
        var x = Enumerable.Range(0, 6).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var weights = Enumerable.Range(0, 7).Select(_ => random.NextDouble()).ToArray();
        var gradient = new double[x.Length];

        var value = ScalarFunctions.QuadraticFormWithGradient(x, weights, gradient);

        AssertClose(ScalarFunctions.QuadraticForm(x, weights), value, 1e-14, "value");
        for (var i = 0; i < x.Length; i++)
        {
            var unit = new double[x.Length];
            unit[i] = 1;
            AssertClose(Directional(v => ScalarFunctions.QuadraticForm(v, weights), x, unit), gradient[i], what: $"∂/∂x[{i}]");
        }
    }

    [Theory]
    [MemberData(nameof(Points))]
    public void Every_math_rule_differentiates_correctly(double x, double y)
    {
        if (Math.Abs(x - y) < 1e-2 || Math.Abs(x * y) is > 0.49 and < 0.51 || Math.Abs(x - 2 * y) < 1e-2) return; // away from kinks
        var value = ScalarFunctions.TranscendentalWithGradient(x, y, out var dx, out var dy);
        CheckTwoArguments(ScalarFunctions.Transcendental, x, y, value, dx, dy);
    }

    [Theory]
    [InlineData(0.3f, 0.4f)]
    [InlineData(-1.1f, 0.8f)]
    [InlineData(2.0f, -0.5f)]
    public void Single_precision_functions_use_MathF_rules(float x, float y)
    {
        var value = ScalarFunctions.SinglePrecisionWithGradient(x, y, out var dx, out var dy);

        Assert.Equal(ScalarFunctions.SinglePrecision(x, y), value);
        double F(double a, double b) => Math.Sin(a) * Math.Exp(b) + Math.Sqrt(a * a + b * b) - Math.Pow(a + 2, 1.5);
        AssertClose(Derivative(t => F(t, y), x), dx, 1e-5, "∂/∂x");
        AssertClose(Derivative(t => F(x, t), y), dy, 1e-5, "∂/∂y");
    }

    [Fact]
    public void Wrt_and_NoDerivative_restrict_the_gradient_to_the_named_inputs()
    {
        var value = ScalarFunctions.OnlyXWithGradient(1.5, 0.25, 3.0, out var dx);

        Assert.Equal(ScalarFunctions.OnlyX(1.5, 0.25, 3.0), value);
        AssertClose(3.0 * 0.25, dx, 1e-15);
        var signature = typeof(ScalarFunctions).GetMethod(nameof(ScalarFunctions.OnlyXWithGradient))!.GetParameters();
        Assert.Equal(new[] { "x", "y", "scale", "dx" }, signature.Select(p => p.Name));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    public void Recursive_functions_differentiate_through_their_own_pullback(int depth)
    {
        var value = ScalarFunctions.RecursiveWithGradient(0.9, depth, out var dx);

        Assert.Equal(ScalarFunctions.Recursive(0.9, depth), value);
        AssertClose(Derivative(t => ScalarFunctions.Recursive(t, depth), 0.9), dx);
    }

    [Theory]
    [MemberData(nameof(Points))]
    public void Calls_into_another_class_chain_their_pullbacks(double x, double y)
    {
        var value = ScalarFunctions.CallsOtherClassWithGradient(x, y, out var dx, out var dy);
        CheckTwoArguments(ScalarFunctions.CallsOtherClass, x, y, value, dx, dy);
    }

    [Fact]
    public void NoDerivative_and_integer_conversions_contribute_no_derivative()
    {
        ScalarFunctions.StopsGradientWithGradient(1.234, out var dx);
        AssertClose(1.234, dx, 1e-15, "only the first factor carries a derivative");
    }

    [Fact]
    public void A_pullback_accumulates_seed_times_gradient_and_can_run_twice()
    {
        ScalarFunctions.CompoundAssignmentsWithGradient(0.8, 0.3, out var dx, out var dy);
        double ax = 0.5, ay = -1;

        ScalarFunctions.CompoundAssignmentsPullback(0.8, 0.3, 2.0, ref ax, ref ay);
        ScalarFunctions.CompoundAssignmentsPullback(0.8, 0.3, 2.0, ref ax, ref ay);

        AssertClose(0.5 + 4 * dx, ax, 1e-14, "x adjoint");
        AssertClose(-1 + 4 * dy, ay, 1e-14, "y adjoint");
    }

    [Fact]
    public void A_gradient_buffer_of_the_wrong_length_is_rejected_with_both_lengths()
    {
        var error = Assert.Throws<ArgumentException>(() => ScalarFunctions.RosenbrockWithGradient(new double[4], new double[3]));
        Assert.Contains("3", error.Message);
        Assert.Contains("4", error.Message);
    }

    [Fact]
    public void The_tape_is_balanced_after_a_gradient()
    {
        var x = new double[] { 0.1, -0.4, 0.3 };
        var before = (Tape<double>.Current.Count, Tape<int>.Current.Count);
        ScalarFunctions.RosenbrockWithGradient(x, new double[3]);
        ScalarFunctions.RecursiveWithGradient(0.5, 3, out _);
        Assert.Equal(before, (Tape<double>.Current.Count, Tape<int>.Current.Count));
    }

    [Fact]
    public void A_loop_free_gradient_allocates_nothing_and_a_looped_one_nothing_after_warm_up()
    {
        var x = Enumerable.Range(0, 100).Select(i => Math.Sin(i)).ToArray();
        var gradient = new double[100];
        ScalarFunctions.RosenbrockWithGradient(x, gradient);
        ScalarFunctions.TranscendentalWithGradient(0.3, 0.4, out _, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            ScalarFunctions.RosenbrockWithGradient(x, gradient);
            ScalarFunctions.TranscendentalWithGradient(0.3, 0.4, out _, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_hand_written_derivative_is_used_wherever_its_function_is_called()
    {
        const double x = 0.3, y = 0.6;
        var before = CustomDerivativeFunctions.PullbackCalls;

        var value = CustomDerivativeFunctions.UsesSmoothStepWithGradient(x, y, out var dx, out var dy);

        static double Smooth(double t) => t * t * (3 - 2 * t);
        Assert.Equal(CustomDerivativeFunctions.UsesSmoothStep(x, y), value, 14);
        AssertClose(Derivative(t => Smooth(t) * y + Math.Sin(Smooth(y)), x), dx, what: "∂/∂x");
        AssertClose(Derivative(t => Smooth(x) * t + Math.Sin(Smooth(t)), y), dy, what: "∂/∂y");
        Assert.Equal(before + 2, CustomDerivativeFunctions.PullbackCalls);
    }

    [Fact]
    public void A_data_array_passed_to_a_differentiable_callee_leaves_its_own_values_alone()
    {
        var a = new[] { 0.5f, -1.25f, 2f };
        var weights = new[] { 3f, 0.5f, -1f };
        var copy = (float[])weights.Clone();
        var gradient = new float[3];

        var value = OtherFunctions.WeightedDotWithGradient(a, weights, gradient);

        Assert.Equal(OtherFunctions.WeightedDot(a, weights), value);
        Assert.Equal(weights.Select(w => 2f * w), gradient);
        Assert.Equal(copy, weights);
    }
}
