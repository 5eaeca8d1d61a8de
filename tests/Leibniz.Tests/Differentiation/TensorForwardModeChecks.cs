using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

/// <summary>
/// One scalar-valued tensor function seen through its generated derivatives, for <see cref="TensorForwardModeChecks.Check"/>.
/// Inputs are the differentiable ones; data (targets, weights) are closed over by the delegates.
/// </summary>
internal sealed record TensorCase(
    string Name,
    Tensor[] Inputs,
    Func<Tensor[], Tensor> Function,
    Func<Tensor[], Tensor[], (Tensor Value, Tensor Tangent)> Tangent,
    Func<Tensor[], Tensor?[]> Gradient,
    Func<Tensor[], Tensor[], (Tensor Directional, Tensor?[] Gradient, Tensor?[] HessianVector)> HessianVectorProduct);

/// <summary>
/// The checks every generated tensor tangent and Hessian–vector product goes through, in float64 against independent
/// oracles: J·v against TorchSharp autograd's gradient dotted with v and against 4-point central differences of the
/// function; forward against reverse mode, ⟨J·v, w⟩ = ⟨v, Jᵀ·w⟩ with the generated gradient; H·v against TorchSharp's
/// double backward (<c>autograd.grad(..., create_graph: true)</c>) and against central differences of the generated gradient.
/// </summary>
internal static class TensorForwardModeChecks
{
    public static Tensor Leaf(params long[] shape) => randn(shape, dtype: ScalarType.Float64);

    public static void Check(TensorCase c, bool secondOrder = true)
    {
        var inputs = c.Inputs.Select(x => x.detach()).ToArray();
        var directions = inputs.Select(x => randn_like(x)).ToArray();

        var (value, tangent) = c.Tangent(inputs, directions);
        using (no_grad())
            Assert.Equal(c.Function(inputs).ToDouble(), value.ToDouble(), 12);
        Assert.Equal(value.shape, tangent.shape);

        // Oracle 1: TorchSharp's tape, ∇f·v.
        var leaves = inputs.Select(x => x.clone().requires_grad_()).ToArray();
        var output = c.Function(leaves);
        var gradients = Used(torch.autograd.grad(new[] { output }, leaves, retain_graph: secondOrder, create_graph: secondOrder, allow_unused: true));
        var jvOracle = Dot(gradients, directions);
        AssertNumberClose(jvOracle.ToDouble(), tangent.ToDouble(), 1e-10, $"{c.Name}: J·v vs autograd ∇f·v");

        // Oracle 2: central differences of the function along v.
        double Along(double s)
        {
            using var _ = no_grad();
            return c.Function(inputs.Select((x, i) => x + s * directions[i]).ToArray()).ToDouble();
        }

        AssertNumberClose(FiniteDifferences.Derivative(Along, 0), tangent.ToDouble(), 1e-7, $"{c.Name}: J·v vs central differences");

        // Forward against reverse: ⟨J·v, w⟩ = ⟨v, Jᵀ·w⟩, Jᵀ·1 being the generated gradient.
        var generated = c.Gradient(inputs);
        AssertNumberClose(tangent.ToDouble(), Dot(generated, directions).ToDouble(), 1e-11, $"{c.Name}: ⟨J·v, 1⟩ = ⟨v, Jᵀ·1⟩");

        if (!secondOrder) return;
        var (directional, productGradient, hv) = c.HessianVectorProduct(inputs, directions);
        AssertNumberClose(tangent.ToDouble(), directional.ToDouble(), 1e-11, $"{c.Name}: the product's ∇f·v");
        for (var i = 0; i < inputs.Length; i++)
            AssertTensorClose(generated[i], productGradient[i], inputs[i], 1e-11, $"{c.Name}: the product's gradient {i}");

        // Oracle 3: TorchSharp's double backward.
        // A gradient that does not depend on the inputs (piecewise-linear functions) has no graph: H·v is zero.
        var curvature = Dot(gradients, directions);
        var hvOracle = curvature.requires_grad ? Used(torch.autograd.grad(new[] { curvature }, leaves, allow_unused: true)) : new Tensor?[inputs.Length];
        for (var i = 0; i < inputs.Length; i++)
            AssertTensorClose(hvOracle[i], hv[i], inputs[i], 1e-9, $"{c.Name}: (H·v)[{i}] vs TorchSharp double backward");

        // Oracle 4: central differences of the generated gradient along v.
        var steps = new[] { -2.0, -1.0, 1.0, 2.0 }.Select(k => c.Gradient(inputs.Select((x, i) => x + k * 1e-3 * directions[i]).ToArray())).ToArray();
        for (var i = 0; i < inputs.Length; i++)
        {
            Tensor At(int step) => steps[step][i] ?? zeros_like(inputs[i]);
            var difference = (At(0) - 8 * At(1) + 8 * At(2) - At(3)) / (12 * 1e-3);
            AssertTensorClose(difference, hv[i], inputs[i], 1e-6, $"{c.Name}: (H·v)[{i}] vs central differences of the gradient");
        }
    }

    /// <summary>TorchSharp answers an unused input with an empty tensor handle; here it is null, like a generated gradient.</summary>
    public static Tensor?[] Used(IList<Tensor> gradients) => gradients.Select(g => g is null || g.IsInvalid ? null : g).ToArray();

    static Tensor Dot(IList<Tensor?> gradients, Tensor[] directions)
    {
        var total = tensor(0.0, dtype: ScalarType.Float64);
        for (var i = 0; i < directions.Length; i++)
            if (gradients[i] is { } g) total = total + (g * directions[i]).sum();
        return total;
    }

    static void AssertNumberClose(double expected, double actual, double relative, string what)
        => Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(1, Math.Abs(expected)),
            $"{what}: expected {expected:R}, got {actual:R} (difference {Math.Abs(expected - actual):E2})");

    /// <summary>A missing derivative (null) stands for zeros of the input's shape.</summary>
    public static void AssertTensorClose(Tensor? expected, Tensor? actual, Tensor like, double relative, string what)
    {
        var e = expected ?? zeros_like(like);
        var a = actual ?? zeros_like(like);
        Assert.Equal(e.shape, a.shape);
        var difference = (e - a).abs().max().ToDouble();
        Assert.True(e.allclose(a, rtol: relative, atol: relative * 1e-2), $"{what}: largest difference {difference:E2}");
    }
}
