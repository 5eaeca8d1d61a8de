using Leibniz.Curvature;
using Leibniz.Tests.Differentiation;
using TorchSharp;
using static Leibniz.Tests.Differentiation.TensorForwardModeChecks;
using static TorchSharp.torch;

namespace Leibniz.Tests.Models;

/// <summary>
/// A <c>[Model]</c>'s generated tangent and Hessian–vector product over its input and parameter fields, and the
/// Gauss–Newton product of the model with a loss, Jᵀ·H_ℓ·J·v over the parameters, against TorchSharp's tape.
/// </summary>
public sealed class CurvatureModelTests
{
    public CurvatureModelTests() => manual_seed(37);

    [Fact]
    public void A_models_tangent_over_input_and_parameters_matches_the_tape()
    {
        using var model = new CurvatureMlp(3, 5, 2);
        var x = Leaf(4, 3);
        var weights = model.Weights();
        var dx = randn_like(x);
        var dw = weights.Select(w => randn_like(w)).ToArray();

        var value = model.ForwardTangent(x, dx, dw[0], dw[1], dw[2], dw[3], out var tangent);
        Assert.True(value.allclose(CurvatureMlp.Reference(x, weights), rtol: 1e-14, atol: 0));

        // J·v on the tape: the derivative of a vector–Jacobian product in its seed.
        var leaves = new[] { x }.Concat(weights).Select(t => t.clone().requires_grad_()).ToArray();
        var output = CurvatureMlp.Reference(leaves[0], leaves.Skip(1).ToArray());
        var u = zeros_like(output).requires_grad_();
        var vjp = torch.autograd.grad(new[] { output }, leaves, new[] { u }, create_graph: true);
        var inner = vjp.Zip(new[] { dx }.Concat(dw), (g, v) => (g * v).sum()).Aggregate((a, b) => a + b);
        AssertTensorClose(torch.autograd.grad(new[] { inner }, new[] { u })[0], tangent, tangent, 1e-10, "J·v");
    }

    [Fact]
    public void A_models_Hessian_vector_product_is_the_tapes_double_backward_of_its_summed_output()
    {
        using var model = new CurvatureMlp(3, 4, 2);
        var x = Leaf(5, 3);
        var weights = model.Weights();
        var v = new[] { randn_like(x) }.Concat(weights.Select(w => randn_like(w))).ToArray();

        model.ForwardHessianVectorProduct(x, v[0], v[1], v[2], v[3], v[4],
            out var gx, out var g1, out var g2, out var g3, out var g4, out var hx, out var h1, out var h2, out var h3, out var h4);

        var leaves = new[] { x }.Concat(weights).Select(t => t.clone().requires_grad_()).ToArray();
        var gradients = torch.autograd.grad(new[] { CurvatureMlp.Reference(leaves[0], leaves.Skip(1).ToArray()).sum() }, leaves, retain_graph: true, create_graph: true);
        var directional = gradients.Zip(v, (g, d) => (g * d).sum()).Aggregate((a, b) => a + b);
        var expected = Used(torch.autograd.grad(new[] { directional }, leaves, allow_unused: true));

        var generated = new[] { hx, h1, h2, h3, h4 };
        var generatedGradients = new[] { gx, g1, g2, g3, g4 };
        for (var i = 0; i < leaves.Length; i++)
        {
            AssertTensorClose(gradients[i], generatedGradients[i], leaves[i], 1e-12, $"gradient {i}");
            AssertTensorClose(expected[i], generated[i], leaves[i], 1e-10, $"(H·v)[{i}]");
        }
    }

    /// <summary>G·v on the tape, independent of the generated code: J·v as the derivative of a vector–Jacobian product in its seed, H_ℓ by double backward of the loss, Jᵀ by backward.</summary>
    static Tensor[] TapeGaussNewtonProduct(Tensor x, Tensor[] weights, Tensor[] v, Func<Tensor, Tensor> loss)
    {
        var leaves = weights.Select(t => t.clone().requires_grad_()).ToArray();
        var output = CurvatureMlp.Reference(x, leaves);
        var u = zeros_like(output).requires_grad_();
        var vjp = torch.autograd.grad(new[] { output }, leaves, new[] { u }, retain_graph: true, create_graph: true);
        var jv = torch.autograd.grad(new[] { vjp.Zip(v, (g, d) => (g * d).sum()).Aggregate((a, b) => a + b) }, new[] { u })[0];
        var z = output.detach().clone().requires_grad_();
        var lossGradient = torch.autograd.grad(new[] { loss(z) }, new[] { z }, retain_graph: true, create_graph: true)[0];
        var hjv = torch.autograd.grad(new[] { (lossGradient * jv).sum() }, new[] { z })[0];
        return torch.autograd.grad(new[] { output }, leaves, new[] { hjv }).ToArray();
    }

    static void AssertProduct(Tensor[] expected, (Tensor? w1, Tensor? b1, Tensor? w2, Tensor? b2) generated, Tensor[] v, string loss)
    {
        var products = new[] { generated.w1, generated.b1, generated.w2, generated.b2 };
        for (var i = 0; i < expected.Length; i++) AssertTensorClose(expected[i], products[i], expected[i], 1e-10, $"{loss}: (G·v)[{i}]");
        var curvature = products.Zip(v, (g, d) => (g! * d).sum().ToDouble()).Sum();
        Assert.True(curvature >= -1e-12, $"{loss}: vᵀG·v = {curvature} must be ≥ 0");
    }

    [Theory]
    [InlineData(6, 3, 4)]
    [InlineData(1, 2, 3)]
    public void The_generated_Gauss_Newton_product_with_cross_entropy_matches_the_tape(long batch, long inputs, long classes)
    {
        using var model = new CurvatureMlp((int)inputs, 5, (int)classes);
        var x = Leaf(batch, inputs);
        using var target = randint(classes, new[] { batch }, dtype: ScalarType.Int64);
        var v = model.Weights().Select(w => randn_like(w)).ToArray();

        var generated = model.ForwardGaussNewtonProduct(x, v[0], v[1], v[2], v[3], LossCurvature.CrossEntropy(target));

        AssertProduct(TapeGaussNewtonProduct(x, model.Weights(), v, z => nn.functional.cross_entropy(z, target)), generated, v, "cross-entropy");
    }

    [Fact]
    public void Ignored_targets_contribute_nothing_to_the_cross_entropy_curvature()
    {
        using var model = new CurvatureMlp(3, 5, 4);
        var x = Leaf(6, 3);
        using var target = tensor(new long[] { 2, -100, 0, 3, -100, 1 });
        var v = model.Weights().Select(w => randn_like(w)).ToArray();

        var generated = model.ForwardGaussNewtonProduct(x, v[0], v[1], v[2], v[3], LossCurvature.CrossEntropy(target));

        AssertProduct(TapeGaussNewtonProduct(x, model.Weights(), v, z => nn.functional.cross_entropy(z, target)), generated, v, "cross-entropy with ignored rows");
    }

    [Fact]
    public void The_generated_Gauss_Newton_product_with_squared_error_and_with_logistic_loss_matches_the_tape()
    {
        using var model = new CurvatureMlp(3, 4, 2);
        var x = Leaf(5, 3);
        var regression = Leaf(5, 2);
        using var labels = rand(5, 2, dtype: ScalarType.Float64).gt(0.5).to(ScalarType.Float64);
        var v = model.Weights().Select(w => randn_like(w)).ToArray();

        AssertProduct(TapeGaussNewtonProduct(x, model.Weights(), v, z => nn.functional.mse_loss(z, regression)),
            model.ForwardGaussNewtonProduct(x, v[0], v[1], v[2], v[3], LossCurvature.MeanSquaredError()), v, "squared error");
        AssertProduct(TapeGaussNewtonProduct(x, model.Weights(), v, z => nn.functional.binary_cross_entropy_with_logits(z, labels)),
            model.ForwardGaussNewtonProduct(x, v[0], v[1], v[2], v[3], LossCurvature.BinaryCrossEntropyWithLogits()), v, "logistic");
    }

    [Fact]
    public void A_loss_s_own_generated_Hessian_product_gives_the_same_Gauss_Newton_product_as_the_closed_form()
    {
        using var model = new CurvatureMlp(3, 5, 4);
        var x = Leaf(6, 3);
        using var target = randint(4, new[] { 6L }, dtype: ScalarType.Int64);
        var v = model.Weights().Select(w => randn_like(w)).ToArray();

        var closed = model.ForwardGaussNewtonProduct(x, v[0], v[1], v[2], v[3], LossCurvature.CrossEntropy(target));
        var generated = model.ForwardGaussNewtonProduct(x, v[0], v[1], v[2], v[3], (output, direction) =>
        {
            VectorFunctions.LossHessianVectorProduct(output, target, direction, out _, out var product);
            return product!;
        });

        var pairs = new[] { (closed.w1, generated.w1), (closed.b1, generated.b1), (closed.w2, generated.w2), (closed.b2, generated.b2) };
        foreach (var (a, b) in pairs) AssertTensorClose(a, b, a!, 1e-12, "closed form vs generated loss H·v");
    }

    [Theory]
    [InlineData(3, 5, 4, 6)]
    [InlineData(2, 3, 3, 1)]
    public void A_loss_s_Hessian_over_the_parameters_is_the_tape_s_double_backward_of_the_loss(int inputs, int hidden, int classes, int batch)
    {
        using var model = new CurvatureMlp(inputs, hidden, classes);
        var x = randn(batch, inputs, dtype: ScalarType.Float64);
        using var target = randint(classes, new[] { (long)batch }, dtype: ScalarType.Int64);
        var v = model.Weights().Select(w => randn_like(w)).ToArray();

        var generated = model.ForwardLossHessianVectorProduct(x, v,
            output => { VectorFunctions.LossWithGradient(output, target, out var gradient); return gradient!; },
            (output, direction) => { VectorFunctions.LossHessianVectorProduct(output, target, direction, out _, out var product); return product!; });

        // The oracle: double backward of the same loss of the network written on explicit weights.
        var leaves = model.Weights().Select(w => w.requires_grad_()).ToArray();
        var loss = VectorFunctions.Loss(CurvatureMlp.Reference(x, leaves), target);
        var gradients = torch.autograd.grad(new[] { loss }, leaves, retain_graph: true, create_graph: true);
        var dot = gradients.Zip(v, (g, d) => (g * d).sum()).Aggregate((a, b) => a + b);
        var expected = torch.autograd.grad(new[] { dot }, leaves);
        for (var k = 0; k < expected.Count; k++) AssertTensorClose(expected[k], generated[k], expected[k], 1e-10, $"∇²ℓ·v, parameter {k}");

        // Not the Gauss–Newton product: the network's own curvature, weighted by the loss's gradient, is in it.
        var gaussNewton = model.ForwardGaussNewtonProduct(x, v, LossCurvature.CrossEntropy(target));
        Assert.True(generated.Zip(gaussNewton, (a, b) => (a - b).abs().max().ToDouble()).Max() > 1e-6);
    }

    [Fact]
    public void Lanczos_on_the_Gauss_Newton_operator_finds_its_extreme_eigenvalues_and_none_below_zero()
    {
        using var model = new CurvatureMlp(3, 4, 3);
        var x = Leaf(8, 3);
        using var target = randint(3, new[] { 8L }, dtype: ScalarType.Int64);
        var layout = ParameterLayout.Of(model);
        var curvature = LossCurvature.CrossEntropy(target);
        var op = SymmetricOperator.OverParameters(layout, v =>
        {
            var (w1, b1, w2, b2) = model.ForwardGaussNewtonProduct(x, v[0], v[1], v[2], v[3], curvature);
            return new[] { w1!, b1!, w2!, b2! };
        });

        // The explicit matrix, column by column on the tape (independent of the generated products).
        var n = (int)layout.Dimension;
        var columns = new List<Tensor>();
        for (var j = 0; j < n; j++)
        {
            var unit = zeros(n, dtype: ScalarType.Float64);
            unit[j] = 1.0;
            var parts = Enumerable.Range(0, layout.Count).Select(k => unit.narrow(0, layout.Offset(k), layout.Shape(k).Aggregate(1L, (a, b) => a * b)).reshape(layout.Shape(k))).ToArray();
            columns.Add(layout.Flatten(TapeGaussNewtonProduct(x, model.Weights(), parts, z => nn.functional.cross_entropy(z, target))));
        }

        var eigenvalues = linalg.eigvalsh(stack(columns, 1)).data<double>().ToArray();
        using var largest = Lanczos.Eigenpairs(op, new LanczosOptions { Count = 2, Which = SpectrumEnd.Largest });
        using var smallest = Lanczos.Eigenpairs(op, new LanczosOptions { Count = 1, Which = SpectrumEnd.Smallest });

        Assert.Equal(eigenvalues[^1], largest.Eigenvalues[0], 8);
        Assert.Equal(eigenvalues[^2], largest.Eigenvalues[1], 8);
        Assert.True(eigenvalues[0] >= -1e-12, $"the explicit G has eigenvalue {eigenvalues[0]}");
        Assert.True(smallest.Eigenvalues[0] >= -1e-10, $"Lanczos finds eigenvalue {smallest.Eigenvalues[0]} on G");
    }
}
