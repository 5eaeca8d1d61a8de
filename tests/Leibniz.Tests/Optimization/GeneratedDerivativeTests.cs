using static Leibniz.Tests.Optimization.OperatorCases;
using static TorchSharp.torch;

namespace Leibniz.Tests.Optimization;

/// <summary>
/// The generator finds the <c>[Derivative]</c> and <c>[Tangent]</c> methods of the runtime's operators: the generated
/// gradient and Jacobian–vector product of user methods calling them (<see cref="ProximalStepFunctions"/>) match float64
/// central differences of the methods themselves.
/// </summary>
public sealed class GeneratedDerivativeTests
{
    const double Step = 1e-5;

    static Tensor[] StepInputs()
    {
        var random = new Random(41);
        // Entries of a similar size, so that the simplex projection keeps several of them: at a vertex its Jacobian vanishes
        // and nothing would reach λ.
        return [Uniform(random, [6], -0.5, 0.5), Uniform(random, [6], -0.5, 0.5), Scalar(0.1), Scalar(0.5)];
    }

    static Tensor[] ProjectionInputs()
    {
        var random = new Random(43);
        // A point three units from the origin and a plane through points of norm at most one: the plane's projection
        // lies outside the ball of radius 0.8.
        var x = Uniform(random, [5], -1, 1);
        return [x / x.norm() * 3, Uniform(random, [5], -1, 1), Scalar(0.2), Scalar(0.8)];
    }

    [Fact]
    public void The_generated_gradient_runs_the_hand_written_pullbacks()
    {
        var inputs = StepInputs();
        var value = ProximalStepFunctions.ProximalStepWithGradient(inputs[0], inputs[1], inputs[2], inputs[3], out var dw, out var dg, out var dlambda, out var deta);
        Assert.Equal(ProximalStepFunctions.ProximalStep(inputs[0], inputs[1], inputs[2], inputs[3]).item<double>(), value.item<double>(), 14);
        AssertGradient(p => ProximalStepFunctions.ProximalStep(p[0], p[1], p[2], p[3]), inputs, [dw, dg, dlambda, deta], ["w", "g", "lambda", "eta"]);
        Assert.NotEqual(0, dlambda!.item<double>());
    }

    [Fact]
    public void The_generated_gradient_of_a_three_parameter_projection_runs_its_pullback()
    {
        var p = ProjectionInputs();
        ProximalStepFunctions.ProjectedStepWithGradient(p[0], p[1], p[2], p[3], out var dx, out var da, out var db, out var dr);
        AssertGradient(q => ProximalStepFunctions.ProjectedStep(q[0], q[1], q[2], q[3]), p, [dx, da, db, dr], ["x", "a", "b", "r"]);
    }

    [Fact]
    public void The_generated_jacobian_vector_product_runs_the_hand_written_tangents()
    {
        var inputs = StepInputs();
        var random = new Random(47);
        var v = inputs.Select(x => Uniform(random, x.shape, -1, 1)).ToArray();
        var product = ProximalStepFunctions.ProximalStepJacobianVectorProduct(inputs[0], inputs[1], inputs[2], inputs[3], v[0], v[1], v[2], v[3]);
        var expected = CentralDifference(p => ProximalStepFunctions.ProximalStep(p[0], p[1], p[2], p[3]), inputs, v);
        AssertClose(expected, product.item<double>(), "JVP of the proximal step");

        var q = ProjectionInputs();
        var u = q.Select(x => Uniform(random, x.shape, -1, 1)).ToArray();
        var projected = ProximalStepFunctions.ProjectedStepJacobianVectorProduct(q[0], q[1], q[2], q[3], u[0], u[1], u[2], u[3]);
        AssertClose(CentralDifference(p => ProximalStepFunctions.ProjectedStep(p[0], p[1], p[2], p[3]), q, u), projected.item<double>(), "JVP of the projected step");
    }

    static void AssertGradient(Func<Tensor[], Tensor> f, Tensor[] inputs, Tensor?[] gradients, string[] names)
    {
        var random = new Random(53);
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.NotNull(gradients[i]);
            Assert.Equal(inputs[i].shape, gradients[i]!.shape);
            var directions = inputs.Select((x, j) => j == i ? Uniform(random, x.shape, -1, 1) : zeros_like(x)).ToArray();
            AssertClose(CentralDifference(f, inputs, directions), (gradients[i]! * directions[i]).sum().item<double>(), $"gradient in {names[i]}");
        }
    }

    static double CentralDifference(Func<Tensor[], Tensor> f, Tensor[] inputs, Tensor[] directions)
    {
        double At(double h) => f(inputs.Select((x, i) => x + directions[i] * h).ToArray()).item<double>();
        return (At(-2 * Step) - 8 * At(-Step) + 8 * At(Step) - At(2 * Step)) / (12 * Step);
    }

    static void AssertClose(double expected, double actual, string what)
    {
        var tolerance = 1e-8 * Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R}");
    }
}
