using static Leibniz.Tests.Differentiation.FiniteDifferences;

namespace Leibniz.Tests.Differentiation;

/// <summary>
/// A [Tangent] a user wrote for a function the generator cannot see into: callers' forward mode follows it, and
/// their Hessian–vector products run reverse mode over it. The oracles are central differences of the function
/// and of its gradient (which runs the hand-written pullback, not the tangent).
/// </summary>
public sealed class CustomTangentTests
{
    [Theory]
    [InlineData(0.7, -0.4)]
    [InlineData(-1.3, 0.9)]
    public void A_caller_s_tangent_follows_the_hand_written_tangent(double x, double y)
    {
        const double vx = 0.6, vy = -0.8;
        var value = CustomTangentFunctions.UsesSoftplusTangent(x, y, vx, vy, out var tangent);

        AssertClose(CustomTangentFunctions.UsesSoftplus(x, y), value, 1e-15, "value");
        AssertClose(Derivative(s => CustomTangentFunctions.UsesSoftplus(x + s * vx, y + s * vy), 0), tangent, 1e-9, "∇f·v");
    }

    [Theory]
    [InlineData(0.7, -0.4)]
    [InlineData(-1.3, 0.9)]
    public void A_caller_s_Hessian_vector_product_runs_reverse_mode_over_the_hand_written_tangent(double x, double y)
    {
        const double vx = 0.6, vy = -0.8;
        var directional = CustomTangentFunctions.UsesSoftplusHessianVectorProduct(x, y, vx, vy, out var gx, out var gy, out var hvx, out var hvy);

        CustomTangentFunctions.UsesSoftplusWithGradient(x, y, out var dx, out var dy);
        AssertClose(dx, gx, 1e-14, "∂f/∂x");
        AssertClose(dy, gy, 1e-14, "∂f/∂y");
        AssertClose(dx * vx + dy * vy, directional, 1e-14, "∇f·v");

        double Gradient(double s, int component)
        {
            CustomTangentFunctions.UsesSoftplusWithGradient(x + s * vx, y + s * vy, out var ax, out var ay);
            return component == 0 ? ax : ay;
        }

        AssertClose(Derivative(s => Gradient(s, 0), 0), hvx, 1e-9, "(H·v)ₓ");
        AssertClose(Derivative(s => Gradient(s, 1), 0), hvy, 1e-9, "(H·v)_y");
    }

    [Fact]
    public void An_array_tangent_and_its_Hessian_vector_product_match_central_differences()
    {
        var x = new[] { 0.3, -1.1, 0.8, 2.0 };
        var vx = new[] { 0.5, 0.1, -0.7, 0.2 };
        const double weight = 0.9, vw = -0.3;

        CustomTangentFunctions.UsesSoftplusSumTangent(x, weight, vx, vw, out var tangent);
        double Along(double s) => CustomTangentFunctions.UsesSoftplusSum(x.Select((xi, i) => xi + s * vx[i]).ToArray(), weight + s * vw);
        AssertClose(Derivative(Along, 0), tangent, 1e-9, "∇f·v");

        var (gx, hvx) = (new double[x.Length], new double[x.Length]);
        CustomTangentFunctions.UsesSoftplusSumHessianVectorProduct(x, weight, vx, vw, gx, out var gw, hvx, out var hvw);

        double[] Gradient(double s)
        {
            var g = new double[x.Length + 1];
            var dx = new double[x.Length];
            CustomTangentFunctions.UsesSoftplusSumWithGradient(x.Select((xi, i) => xi + s * vx[i]).ToArray(), weight + s * vw, dx, out var dw);
            dx.CopyTo(g, 0);
            g[x.Length] = dw;
            return g;
        }

        var at = Gradient(0);
        for (var i = 0; i < x.Length; i++)
        {
            var component = i;
            AssertClose(at[i], gx[i], 1e-14, $"∂f/∂x[{i}]");
            AssertClose(Derivative(s => Gradient(s)[component], 0), hvx[i], 1e-9, $"(H·v)[{i}]");
        }

        AssertClose(at[x.Length], gw, 1e-14, "∂f/∂weight");
        AssertClose(Derivative(s => Gradient(s)[x.Length], 0), hvw, 1e-9, "(H·v) for weight");
    }
}
