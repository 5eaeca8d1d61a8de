using Leibniz.Generated;
using TorchSharp;
using static Leibniz.Tests.Differentiation.FiniteDifferences;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

/// <summary>
/// The generated tangents and Hessian–vector products of every function in <see cref="ScalarFunctions"/>, each checked
/// three ways: the tangent against 4-point central differences along a random direction; forward against reverse
/// mode, ⟨J·v, w⟩ = ⟨v, Jᵀ·w⟩ with the generated pullback on the other side; and H·v against central differences of
/// the generated gradient, with the symmetry ⟨u, H·v⟩ = ⟨v, H·u⟩ that a wrong second derivative rarely keeps.
/// </summary>
public sealed class ScalarForwardModeTests
{
    delegate double Tangent1(double x, double dx, out double tangent);
    delegate double Pullback1(double x, double seed, ref double dx);
    delegate double Hessian1(double x, double vx, out double gx, out double hvx);
    delegate double Gradient1(double x, out double dx);

    delegate double Tangent2(double x, double y, double dx, double dy, out double tangent);
    delegate double Pullback2(double x, double y, double seed, ref double dx, ref double dy);
    delegate double Hessian2(double x, double y, double vx, double vy, out double gx, out double gy, out double hvx, out double hvy);
    delegate double Gradient2(double x, double y, out double dx, out double dy);

    static void CheckOneArgument(Func<double, double> f, Tangent1 tangent, Pullback1 pullback, Hessian1 hessian, Gradient1 gradient, double x, int seed, double hessianTolerance = 1e-7)
    {
        var random = new Random(seed);
        var v = random.NextDouble() * 2 - 1;
        var w = random.NextDouble() * 2 - 1;

        var value = tangent(x, v, out var jv);
        Assert.Equal(f(x), value);
        AssertClose(Derivative(s => f(x + s * v), 0), jv, what: "tangent vs central differences");

        double adjoint = 0;
        pullback(x, w, ref adjoint);
        AssertClose(jv * w, v * adjoint, 1e-13, "⟨J·v, w⟩ = ⟨v, Jᵀ·w⟩");

        var directional = hessian(x, v, out var g, out var hv);
        AssertClose(jv, directional, 1e-13, "the product's ∇f·v");
        gradient(x, out var expected);
        AssertClose(expected, g, 1e-13, "the product's gradient");
        AssertClose(Derivative(s => { gradient(x + s * v, out var d); return d; }, 0), hv, hessianTolerance, "H·v vs central differences of the gradient");
    }

    static void CheckTwoArguments(Func<double, double, double> f, Tangent2 tangent, Pullback2 pullback, Hessian2 hessian, Gradient2 gradient, double x, double y, int seed)
    {
        var random = new Random(seed);
        var (vx, vy) = (random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1);
        var (ux, uy) = (random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1);
        var w = random.NextDouble() * 2 - 1;

        var value = tangent(x, y, vx, vy, out var jv);
        Assert.Equal(f(x, y), value);
        AssertClose(Derivative(s => f(x + s * vx, y + s * vy), 0), jv, what: "tangent vs central differences");

        double ax = 0, ay = 0;
        pullback(x, y, w, ref ax, ref ay);
        AssertClose(jv * w, vx * ax + vy * ay, 1e-13, "⟨J·v, w⟩ = ⟨v, Jᵀ·w⟩");

        var directional = hessian(x, y, vx, vy, out var gx, out var gy, out var hvx, out var hvy);
        AssertClose(jv, directional, 1e-13, "the product's ∇f·v");
        gradient(x, y, out var ex, out var ey);
        AssertClose(ex, gx, 1e-13, "the product's ∂f/∂x");
        AssertClose(ey, gy, 1e-13, "the product's ∂f/∂y");
        AssertClose(Derivative(s => { gradient(x + s * vx, y + s * vy, out var d, out _); return d; }, 0), hvx, what: "(H·v)ₓ vs central differences of the gradient");
        AssertClose(Derivative(s => { gradient(x + s * vx, y + s * vy, out _, out var d); return d; }, 0), hvy, what: "(H·v)_y vs central differences of the gradient");

        hessian(x, y, ux, uy, out _, out _, out var hux, out var huy);
        AssertClose(ux * hvx + uy * hvy, vx * hux + vy * huy, 1e-12, "⟨u, H·v⟩ = ⟨v, H·u⟩");
    }

    [Theory]
    [InlineData(-2.3)]
    [InlineData(0.0)]
    [InlineData(0.7)]
    [InlineData(4.1)]
    public void Sin_times_x_has_the_closed_form_tangent_and_second_derivative(double x)
    {
        CheckOneArgument(ScalarFunctions.SinTimesX, ScalarFunctions.SinTimesXTangent, ScalarFunctions.SinTimesXPullback, ScalarFunctions.SinTimesXHessianVectorProduct, ScalarFunctions.SinTimesXWithGradient, x, 1);

        ScalarFunctions.SinTimesXTangent(x, 1, out var first);
        ScalarFunctions.SinTimesXHessianVectorProduct(x, 1, out _, out var second);
        AssertClose(Math.Cos(x) * x + Math.Sin(x), first, 1e-14, "f′");
        AssertClose(2 * Math.Cos(x) - x * Math.Sin(x), second, 1e-14, "f″");
    }

    [Theory]
    [MemberData(nameof(ScalarGradientTests.Points), MemberType = typeof(ScalarGradientTests))]
    public void Compound_assignments_have_consistent_forward_and_second_order_derivatives(double x, double y)
        => CheckTwoArguments(ScalarFunctions.CompoundAssignments, ScalarFunctions.CompoundAssignmentsTangent, ScalarFunctions.CompoundAssignmentsPullback,
            ScalarFunctions.CompoundAssignmentsHessianVectorProduct, ScalarFunctions.CompoundAssignmentsWithGradient, x, y, 2);

    [Theory]
    [MemberData(nameof(ScalarGradientTests.Points), MemberType = typeof(ScalarGradientTests))]
    public void Every_arm_of_the_branches_has_consistent_forward_and_second_order_derivatives(double x, double y)
        => CheckTwoArguments(ScalarFunctions.Branches, ScalarFunctions.BranchesTangent, ScalarFunctions.BranchesPullback,
            ScalarFunctions.BranchesHessianVectorProduct, ScalarFunctions.BranchesWithGradient, x, y, 3);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(30)]
    public void A_loop_with_a_run_time_trip_count_has_the_closed_form_tangent_and_second_derivative(int n)
    {
        const double x = 1.013;
        CheckOneArgument(t => ScalarFunctions.LoopedPower(t, n), (double t, double dt, out double tangent) => ScalarFunctions.LoopedPowerTangent(t, n, dt, out tangent),
            (double t, double seed, ref double dt) => ScalarFunctions.LoopedPowerPullback(t, n, seed, ref dt),
            (double t, double v, out double g, out double hv) => ScalarFunctions.LoopedPowerHessianVectorProduct(t, n, v, out g, out hv),
            (double t, out double d) => ScalarFunctions.LoopedPowerWithGradient(t, n, out d), x, n);

        ScalarFunctions.LoopedPowerHessianVectorProduct(x, n, 1, out var first, out var second);
        AssertClose(n == 0 ? 0 : n * Math.Pow(x, n - 1), first, 1e-12, "f′");
        AssertClose(n < 2 ? 0 : n * (n - 1) * Math.Pow(x, n - 2), second, 1e-12, "f″");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public void A_while_loop_on_integer_state_has_consistent_forward_and_second_order_derivatives(int iterations)
    {
        const double x = 2.7;
        CheckOneArgument(t => ScalarFunctions.HeronSquareRoot(t, iterations), (double t, double dt, out double tangent) => ScalarFunctions.HeronSquareRootTangent(t, iterations, dt, out tangent),
            (double t, double seed, ref double dt) => ScalarFunctions.HeronSquareRootPullback(t, iterations, seed, ref dt),
            (double t, double v, out double g, out double hv) => ScalarFunctions.HeronSquareRootHessianVectorProduct(t, iterations, v, out g, out hv),
            (double t, out double d) => ScalarFunctions.HeronSquareRootWithGradient(t, iterations, out d), x, iterations);

        if (iterations == 7)
        {
            ScalarFunctions.HeronSquareRootHessianVectorProduct(x, iterations, 1, out _, out var second);
            AssertClose(-0.25 * Math.Pow(x, -1.5), second, 1e-10, "converged second derivative of √x");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(100)]
    public void Rosenbrock_tangent_and_Hessian_vector_product_match_differences_and_torch_double_backward(int n)
    {
        var random = new Random(n);
        var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var v = UnitVector(random, n);
        var w = random.NextDouble() * 2 - 1;

        var value = ScalarFunctions.RosenbrockTangent(x, v, out var jv);
        Assert.Equal(ScalarFunctions.Rosenbrock(x), value);
        AssertClose(Directional(ScalarFunctions.Rosenbrock, x, v), jv, what: "tangent vs central differences");

        var adjoint = new double[n];
        ScalarFunctions.RosenbrockPullback(x, w, adjoint);
        AssertClose(jv * w, v.Zip(adjoint, (a, b) => a * b).Sum(), 1e-12, "⟨J·v, w⟩ = ⟨v, Jᵀ·w⟩");

        var (gradient, hv) = (new double[n], new double[n]);
        AssertClose(jv, ScalarFunctions.RosenbrockHessianVectorProduct(x, v, gradient, hv), 1e-12, "the product's ∇f·v");
        var expected = new double[n];
        ScalarFunctions.RosenbrockWithGradient(x, expected);
        for (var i = 0; i < n; i++) AssertClose(expected[i], gradient[i], 1e-13, $"∂f/∂x[{i}]");
        for (var i = 0; i < n; i++)
        {
            var component = i;
            AssertClose(Derivative(s => { var g = new double[n]; ScalarFunctions.RosenbrockWithGradient(x.Select((xi, k) => xi + s * v[k]).ToArray(), g); return g[component]; }, 0),
                hv[i], what: $"(H·v)[{i}] vs central differences of the gradient");
        }

        // The independent oracle: TorchSharp's tape differentiated twice (create_graph), in float64.
        using var t = tensor(x, dtype: ScalarType.Float64).requires_grad_();
        using var direction = tensor(v, dtype: ScalarType.Float64);
        using var head = t.narrow(0, 1, Math.Max(n - 1, 0));
        using var tail = t.narrow(0, 0, Math.Max(n - 1, 0));
        using var f = (100 * (head - tail * tail).square() + (1 - tail).square()).sum();
        var g1 = torch.autograd.grad(new[] { f }, new[] { t }, retain_graph: true, create_graph: true)[0];
        var oracle = torch.autograd.grad(new[] { (g1 * direction).sum() }, new[] { t }, allow_unused: true)[0];
        var hvOracle = oracle is null ? new double[n] : oracle.data<double>().ToArray();
        for (var i = 0; i < n; i++) AssertClose(hvOracle[i], hv[i], 1e-12, $"(H·v)[{i}] vs TorchSharp double backward");
    }

    [Fact]
    public void Nested_loops_over_an_array_with_data_weights_have_consistent_forward_and_second_order_derivatives()
    {
        var random = new Random(5);
        var x = Enumerable.Range(0, 6).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var weights = Enumerable.Range(0, 7).Select(_ => random.NextDouble()).ToArray();
        var (v, u) = (UnitVector(random, 6), UnitVector(random, 6));
        var w = random.NextDouble();

        var value = ScalarFunctions.QuadraticFormTangent(x, weights, v, out var jv);
        AssertClose(ScalarFunctions.QuadraticForm(x, weights), value, 1e-15, "value");
        AssertClose(Directional(a => ScalarFunctions.QuadraticForm(a, weights), x, v), jv, what: "tangent vs central differences");

        var adjoint = new double[6];
        ScalarFunctions.QuadraticFormPullback(x, weights, w, adjoint);
        AssertClose(jv * w, v.Zip(adjoint, (a, b) => a * b).Sum(), 1e-13, "⟨J·v, w⟩ = ⟨v, Jᵀ·w⟩");

        var (gradient, hv, hu) = (new double[6], new double[6], new double[6]);
        ScalarFunctions.QuadraticFormHessianVectorProduct(x, weights, v, gradient, hv);
        ScalarFunctions.QuadraticFormHessianVectorProduct(x, weights, u, new double[6], hu);
        for (var i = 0; i < 6; i++)
        {
            var component = i;
            AssertClose(Derivative(s => { var g = new double[6]; ScalarFunctions.QuadraticFormWithGradient(x.Select((xi, k) => xi + s * v[k]).ToArray(), weights, g); return g[component]; }, 0),
                hv[i], what: $"(H·v)[{i}]");
        }

        AssertClose(u.Zip(hv, (a, b) => a * b).Sum(), v.Zip(hu, (a, b) => a * b).Sum(), 1e-12, "⟨u, H·v⟩ = ⟨v, H·u⟩");
    }

    [Theory]
    [MemberData(nameof(ScalarGradientTests.Points), MemberType = typeof(ScalarGradientTests))]
    public void Every_math_rule_has_a_tangent_and_a_second_derivative(double x, double y)
    {
        if (Math.Abs(x - y) < 1e-2 || Math.Abs(x * y) is > 0.49 and < 0.51 || Math.Abs(x - 2 * y) < 1e-2) return; // away from kinks
        CheckTwoArguments(ScalarFunctions.Transcendental, ScalarFunctions.TranscendentalTangent, ScalarFunctions.TranscendentalPullback,
            ScalarFunctions.TranscendentalHessianVectorProduct, ScalarFunctions.TranscendentalWithGradient, x, y, 4);
    }

    [Theory]
    [InlineData(0.3f, 0.4f)]
    [InlineData(-1.1f, 0.8f)]
    [InlineData(2.0f, -0.5f)]
    public void Single_precision_tangents_and_products_use_MathF_rules(float x, float y)
    {
        var value = ScalarFunctions.SinglePrecisionTangent(x, y, 0.6f, -0.8f, out var jv);
        Assert.Equal(ScalarFunctions.SinglePrecision(x, y), value);
        double F(double a, double b) => Math.Sin(a) * Math.Exp(b) + Math.Sqrt(a * a + b * b) - Math.Pow(a + 2, 1.5);
        AssertClose(Derivative(s => F(x + 0.6 * s, y - 0.8 * s), 0), jv, 1e-5, "tangent");

        ScalarFunctions.SinglePrecisionHessianVectorProduct(x, y, 0.6f, -0.8f, out _, out _, out var hvx, out var hvy);
        double Dx(double a, double b) => Math.Cos(a) * Math.Exp(b) + a / Math.Sqrt(a * a + b * b) - 1.5 * Math.Sqrt(a + 2);
        double Dy(double a, double b) => Math.Sin(a) * Math.Exp(b) + b / Math.Sqrt(a * a + b * b);
        AssertClose(Derivative(s => Dx(x + 0.6 * s, y - 0.8 * s), 0), hvx, 1e-4, "(H·v)ₓ");
        AssertClose(Derivative(s => Dy(x + 0.6 * s, y - 0.8 * s), 0), hvy, 1e-4, "(H·v)_y");
    }

    [Fact]
    public void Wrt_restricts_the_Hessian_vector_product_to_the_named_inputs_while_the_tangent_takes_every_one()
    {
        const double x = 1.5, y = 0.25, scale = 3.0;
        ScalarFunctions.OnlyXTangent(x, y, scale, 0.4, -0.7, out var jv);
        AssertClose(scale * y * 0.4 + (scale * x + Math.Cos(y)) * -0.7, jv, 1e-15, "tangent");

        var directional = ScalarFunctions.OnlyXHessianVectorProduct(x, y, scale, 0.4, out var gx, out var hvx);
        AssertClose(scale * y * 0.4, directional, 1e-15, "∂f/∂x·v");
        AssertClose(scale * y, gx, 1e-15, "∂f/∂x");
        Assert.Equal(0, hvx);
        var signature = typeof(ScalarFunctions).GetMethod(nameof(ScalarFunctions.OnlyXHessianVectorProduct))!.GetParameters();
        Assert.Equal(new[] { "x", "y", "scale", "vx", "gx", "hvx" }, signature.Select(p => p.Name));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    public void Recursive_functions_follow_their_own_tangent(int depth)
        => CheckOneArgument(t => ScalarFunctions.Recursive(t, depth), (double t, double dt, out double tangent) => ScalarFunctions.RecursiveTangent(t, depth, dt, out tangent),
            (double t, double seed, ref double dt) => ScalarFunctions.RecursivePullback(t, depth, seed, ref dt),
            (double t, double v, out double g, out double hv) => ScalarFunctions.RecursiveHessianVectorProduct(t, depth, v, out g, out hv),
            (double t, out double d) => ScalarFunctions.RecursiveWithGradient(t, depth, out d), 0.9, depth);

    [Theory]
    [MemberData(nameof(ScalarGradientTests.Points), MemberType = typeof(ScalarGradientTests))]
    public void Calls_into_another_class_chain_their_tangents(double x, double y)
        => CheckTwoArguments(ScalarFunctions.CallsOtherClass, ScalarFunctions.CallsOtherClassTangent, ScalarFunctions.CallsOtherClassPullback,
            ScalarFunctions.CallsOtherClassHessianVectorProduct, ScalarFunctions.CallsOtherClassWithGradient, x, y, 5);

    [Fact]
    public void NoDerivative_and_integer_conversions_contribute_no_tangent()
    {
        ScalarFunctions.StopsGradientTangent(1.234, 2.0, out var tangent);
        AssertClose(2 * 1.234, tangent, 1e-15, "only the first factor carries a derivative");
        ScalarFunctions.StopsGradientHessianVectorProduct(1.234, 1.0, out _, out var second);
        Assert.Equal(0, second);
    }

    [Fact]
    public void A_data_array_passed_to_a_callee_that_takes_its_tangent_gets_zeros()
    {
        var a = new[] { 0.5f, -1.25f, 2f };
        var weights = new[] { 3f, 0.5f, -1f };
        var da = new[] { 0.1f, 0.2f, -0.3f };

        var value = OtherFunctions.WeightedDotTangent(a, weights, da, out var tangent);

        Assert.Equal(OtherFunctions.WeightedDot(a, weights), value);
        Assert.Equal(2f * da.Zip(weights, (d, w) => d * w).Sum(), tangent, 5);
        OtherFunctions.DotTangent(a, weights, da, new[] { 1f, 0f, 0f }, out var both);
        Assert.Equal(da.Zip(weights, (d, w) => d * w).Sum() + a[0], both, 5);
    }

    [Theory]
    [InlineData(0.3, 0.4)]
    [InlineData(-1.1, 0.8)]
    [InlineData(2.0, -0.5)]
    public void Forward_and_reverse_agree_for_the_remaining_functions(double x, double y)
    {
        var random = new Random(6);
        var (vx, vy, w) = (random.NextDouble() - 0.5, random.NextDouble() - 0.5, random.NextDouble() - 0.5);

        // ⟨J·v, w⟩ = ⟨v, Jᵀ·w⟩ with the generated pullback, function by function.
        ScalarFunctions.SinglePrecisionTangent((float)x, (float)y, (float)vx, (float)vy, out var single);
        float sx = 0, sy = 0;
        ScalarFunctions.SinglePrecisionPullback((float)x, (float)y, (float)w, ref sx, ref sy);
        AssertClose(single * w, (float)vx * sx + (float)vy * sy, 1e-5, "SinglePrecision");

        ScalarFunctions.OnlyXTangent(x, y, 1.7, vx, vy, out var onlyX);
        double ox = 0, oy = 0;
        ScalarFunctions.OnlyXPullback(x, y, 1.7, w, ref ox, ref oy);
        AssertClose(onlyX * w, vx * ox + vy * oy, 1e-13, "OnlyX");

        ScalarFunctions.StopsGradientTangent(x, vx, out var stops);
        double st = 0;
        ScalarFunctions.StopsGradientPullback(x, w, ref st);
        AssertClose(stops * w, vx * st, 1e-13, "StopsGradient");

        OtherFunctions.ScaledTangent(x, y, vx, vy, out var scaled);
        double cx = 0, cy = 0;
        OtherFunctions.ScaledPullback(x, y, w, ref cx, ref cy);
        AssertClose(scaled * w, vx * cx + vy * cy, 1e-13, "Scaled");
        AssertClose(Derivative(s => OtherFunctions.Scaled(x + s * vx, y + s * vy), 0), scaled, what: "Scaled vs central differences");

        var (a, b) = (new[] { (float)x, (float)y, 0.5f }, new[] { (float)y, -1f, (float)x });
        var (da, db) = (new[] { (float)vx, 0.25f, (float)vy }, new[] { -0.5f, (float)vy, 0.75f });
        OtherFunctions.DotTangent(a, b, da, db, out var dot);
        var (ga, gb) = (new float[3], new float[3]);
        OtherFunctions.DotPullback(a, b, (float)w, ga, gb);
        AssertClose(dot * w, da.Zip(ga, (p, q) => p * q).Sum() + db.Zip(gb, (p, q) => p * q).Sum(), 1e-5, "Dot");

        OtherFunctions.WeightedDotTangent(a, b, da, out var weighted);
        var gw = new float[3];
        OtherFunctions.WeightedDotPullback(a, b, (float)w, gw);
        AssertClose(weighted * w, da.Zip(gw, (p, q) => p * q).Sum(), 1e-5, "WeightedDot");
    }

    [Fact]
    public void A_tangent_of_the_wrong_length_is_rejected_with_both_lengths()
    {
        var error = Assert.Throws<ArgumentException>(() => ScalarFunctions.RosenbrockTangent(new double[4], new double[3], out _));
        Assert.Contains("3", error.Message);
        Assert.Contains("4", error.Message);
        Assert.Equal("dx", error.ParamName);
        Assert.Throws<ArgumentException>(() => ScalarFunctions.RosenbrockHessianVectorProduct(new double[4], new double[5], new double[4], new double[4]));
    }

    [Theory]
    [InlineData(0.8, 0.3)]
    [InlineData(-1.2, 2.0)]
    public void The_Hessian_over_several_scalar_inputs_is_the_central_differences_of_the_gradient(double x, double y)
    {
        var hessian = new double[2, 2];
        ScalarFunctions.CompoundAssignmentsHessian(x, y, hessian);

        double Gradient(double a, double b, int component)
        {
            ScalarFunctions.CompoundAssignmentsWithGradient(a, b, out var dx, out var dy);
            return component == 0 ? dx : dy;
        }

        for (var j = 0; j < 2; j++)
        {
            AssertClose(Derivative(s => Gradient(x + s, y, j), 0), hessian[j, 0], 1e-8, $"H[{j}, 0]");
            AssertClose(Derivative(s => Gradient(x, y + s, j), 0), hessian[j, 1], 1e-8, $"H[{j}, 1]");
        }

        Assert.Equal(hessian[0, 1], hessian[1, 0], 12);
        Assert.Throws<ArgumentException>(() => ScalarFunctions.CompoundAssignmentsHessian(x, y, new double[2, 3]));
    }

    [Fact]
    public void Forward_mode_keeps_the_tape_balanced()
    {
        var x = new double[] { 0.1, -0.4, 0.3 };
        var before = (Tape<double>.Current.Count, Tape<int>.Current.Count);
        ScalarFunctions.RosenbrockTangent(x, x, out _);
        ScalarFunctions.RosenbrockHessianVectorProduct(x, x, new double[3], new double[3]);
        ScalarFunctions.RecursiveHessianVectorProduct(0.5, 3, 1, out _, out _);
        Assert.Equal(before, (Tape<double>.Current.Count, Tape<int>.Current.Count));
    }
}
