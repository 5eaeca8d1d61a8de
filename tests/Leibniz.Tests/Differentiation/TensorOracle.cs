using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

/// <summary>
/// The two oracles for tensor derivatives in float64: TorchSharp autograd on the same function, and the 4-point central
/// difference of the function along a random direction, which checks a whole gradient with four evaluations.
/// </summary>
internal static class TensorOracle
{
    public static Tensor Leaf(params long[] shape) => randn(shape, dtype: ScalarType.Float64).requires_grad_();

    public static Tensor Data(params long[] shape) => randn(shape, dtype: ScalarType.Float64);

    /// <summary>A leaf of small whole numbers, so that maxima and minima are often tied.</summary>
    public static Tensor TiedLeaf(params long[] shape) => randint(-2, 3, shape, dtype: ScalarType.Float64).requires_grad_();

    public static Tensor?[] Autograd(Func<Tensor> loss, params Tensor[] inputs)
    {
        foreach (var input in inputs) input.grad = null;
        loss().backward();
        return inputs.Select(i => i.grad?.detach().clone()).ToArray();
    }

    public static void AssertClose(Tensor? expected, Tensor? actual, string what)
    {
        Assert.NotNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected!.shape, actual!.shape);
        var difference = (expected - actual).abs().max().ToDouble();
        Assert.True(expected.allclose(actual, rtol: 1e-10, atol: 1e-12), $"{what}: largest difference {difference:E2}");
    }

    /// <summary>The generated value and gradients against the same function run under TorchSharp's tape.</summary>
    public static void AssertMatchesAutograd(Func<Tensor> function, Tensor value, Tensor?[] gradients, params (Tensor Input, string Name)[] inputs)
    {
        var expected = Autograd(function, inputs.Select(i => i.Input).ToArray());
        Assert.Equal(function().ToDouble(), value.ToDouble(), 12);
        for (var i = 0; i < inputs.Length; i++) AssertClose(expected[i], gradients[i], inputs[i].Name);
    }

    /// <summary>
    /// ⟨∇f, v⟩ against (f(x − 2hv) − 8f(x − hv) + 8f(x + hv) − f(x + 2hv)) / 12h for a random unit direction v per input,
    /// all moved together. Good to about 1e-9 relative for smooth functions at h = 1e-3.
    /// </summary>
    public static void AssertMatchesCentralDifferences(Func<Tensor[], Tensor> function, Tensor?[] gradients, params Tensor[] inputs)
    {
        using var _ = no_grad();
        var directions = inputs.Select(x => { var v = randn_like(x); return v / v.norm(); }).ToArray();
        const double h = 1e-3;
        double At(double t) => function(inputs.Select((x, i) => x.detach() + directions[i] * t).ToArray()).ToDouble();
        var numeric = (At(-2 * h) - 8 * At(-h) + 8 * At(h) - At(2 * h)) / (12 * h);
        var analytic = gradients.Select((g, i) => (g! * directions[i]).sum().ToDouble()).Sum();
        FiniteDifferences.AssertClose(numeric, analytic, relative: 1e-8, what: "directional derivative");
    }
}
