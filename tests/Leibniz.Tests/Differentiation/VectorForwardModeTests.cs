using TorchSharp;
using static Leibniz.Tests.Differentiation.FiniteDifferences;
using static Leibniz.Tests.Differentiation.TensorForwardModeChecks;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

/// <summary>
/// Products and matrices of tensor-valued functions: J·v by forward mode against TorchSharp (J·v as the derivative of a
/// vector–Jacobian product in its seed) and central differences, against Jᵀ·w by reverse mode; full Jacobians and
/// Hessians against TorchSharp's <c>autograd.functional.jacobian</c>; and a Gauss–Newton product Jᵀ·H_loss·J·v
/// composed of generated products against the same composition on TorchSharp's tape.
/// </summary>
public sealed class VectorForwardModeTests
{
    public VectorForwardModeTests() => manual_seed(31);

    /// <summary>J·v on TorchSharp's tape, which has no forward mode: J·v = ∂/∂u ⟨Jᵀ·u, v⟩ for any u.</summary>
    static Tensor TapeJacobianVectorProduct(Func<Tensor[], Tensor> f, Tensor[] inputs, Tensor[] directions)
    {
        var leaves = inputs.Select(x => x.detach().clone().requires_grad_()).ToArray();
        var output = f(leaves);
        var u = zeros_like(output).requires_grad_();
        var vjp = torch.autograd.grad(new[] { output }, leaves, new[] { u }, create_graph: true);
        var inner = vjp.Zip(directions, (g, v) => (g * v).sum()).Aggregate((a, b) => a + b);
        return torch.autograd.grad(new[] { inner }, new[] { u })[0];
    }

    [Theory]
    [InlineData(1, 3, 4)]
    [InlineData(5, 2, 3)]
    public void A_layers_Jacobian_vector_product_meets_its_vector_Jacobian_product_and_the_tape(long batch, long inputs, long outputs)
    {
        var (x, w, b) = (Leaf(batch, inputs), Leaf(outputs, inputs), Leaf(outputs));
        var (dx, dw, db) = (randn_like(x), randn_like(w), randn_like(b));

        var value = VectorFunctions.LayerTangent(x, w, b, dx, dw, db, out var jv);
        Assert.True(value.allclose(VectorFunctions.Layer(x, w, b), rtol: 1e-15, atol: 0));
        Assert.Equal(value.shape, jv.shape);

        AssertTensorClose(TapeJacobianVectorProduct(a => VectorFunctions.Layer(a[0], a[1], a[2]), new[] { x, w, b }, new[] { dx, dw, db }), jv, x, 1e-10, "J·v vs the tape");
        var steps = new[] { -2.0, -1.0, 1.0, 2.0 }.Select(k => VectorFunctions.Layer(x + k * 1e-3 * dx, w + k * 1e-3 * dw, b + k * 1e-3 * db)).ToArray();
        AssertTensorClose((steps[0] - 8 * steps[1] + 8 * steps[2] - steps[3]) / 12e-3, jv, x, 1e-7, "J·v vs central differences");

        // ⟨J·v, W⟩ = ⟨v, Jᵀ·W⟩ with the generated pullback seeded by a random W.
        var seed = randn_like(value);
        Tensor? ax = null, aw = null, ab = null;
        VectorFunctions.LayerPullback(x, w, b, seed, ref ax, ref aw, ref ab);
        var left = (jv * seed).sum().ToDouble();
        var right = ((ax! * dx).sum() + (aw! * dw).sum() + (ab! * db).sum()).ToDouble();
        AssertClose(left, right, 1e-12, "⟨J·v, W⟩ = ⟨v, Jᵀ·W⟩");
    }

    [Fact]
    public void Full_Jacobians_by_rows_and_by_columns_match_torch_jacobian()
    {
        // (2, 3) → (2, 4) from 6 + 12 + 4 inputs: more inputs than outputs, so rows by the pullback.
        var (x, w, b) = (Leaf(2, 3), Leaf(4, 3), Leaf(4));
        var value = VectorFunctions.LayerJacobian(x, w, b, out var jx, out var jw, out var jb);
        var expected = torch.autograd.functional.jacobian(a => VectorFunctions.Layer(a[0], a[1], a[2]), x, w, b).ToArray();
        Assert.Equal(new long[] { 2, 4, 2, 3 }, jx.shape);
        Assert.Equal(new long[] { 2, 4, 4, 3 }, jw.shape);
        Assert.Equal(new long[] { 2, 4, 4 }, jb.shape);
        AssertTensorClose(expected[0], jx, jx, 1e-12, "∂y/∂x by rows");
        AssertTensorClose(expected[1], jw, jw, 1e-12, "∂y/∂w by rows");
        AssertTensorClose(expected[2], jb, jb, 1e-12, "∂y/∂b by rows");
        Assert.True(value.allclose(VectorFunctions.Layer(x, w, b)));

        // (5) → (5, 5): fewer inputs than outputs, so columns by the tangent.
        var a = Leaf(5);
        VectorFunctions.ProductsJacobian(a, out var ja);
        Assert.Equal(new long[] { 5, 5, 5 }, ja.shape);
        AssertTensorClose(torch.autograd.functional.jacobian(t => VectorFunctions.Products(t), a), ja, ja, 1e-12, "∂y/∂a by columns");
    }

    [Fact]
    public void A_full_Hessian_of_a_matrix_function_is_the_tapes_Jacobian_of_the_gradient_and_symmetric()
    {
        var x = Leaf(3, 4);
        var hessian = VectorFunctions.EnergyHessian(x);
        Assert.Equal(new long[] { 3, 4, 3, 4 }, hessian.shape);

        var expected = torch.autograd.functional.jacobian(t =>
        {
            var leaf = t.requires_grad ? t : t.requires_grad_();
            return torch.autograd.grad(new[] { VectorFunctions.Energy(leaf) }, new[] { leaf }, retain_graph: true, create_graph: true)[0];
        }, x.detach().clone());
        AssertTensorClose(expected, hessian, hessian, 1e-10, "Hessian vs the tape's Jacobian of its gradient");
        var matrix = hessian.reshape(12, 12);
        AssertTensorClose(matrix.t(), matrix, matrix, 1e-12, "symmetry");
    }

    [Fact]
    public void A_full_Hessian_of_an_array_function_is_Rosenbrocks_tridiagonal_one()
    {
        var x = new[] { 0.3, -1.2, 0.8, 1.5 };
        var hessian = new double[4, 4];
        ScalarFunctions.RosenbrockHessian(x, hessian);

        var expected = new double[4, 4];
        for (var i = 0; i < 3; i++)
        {
            expected[i, i] += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2;
            expected[i, i + 1] += -400 * x[i];
            expected[i + 1, i] += -400 * x[i];
            expected[i + 1, i + 1] += 200;
        }

        for (var i = 0; i < 4; i++)
        for (var j = 0; j < 4; j++)
            AssertClose(expected[i, j], hessian[i, j], 1e-13, $"H[{i}, {j}]");
        Assert.Throws<ArgumentException>(() => ScalarFunctions.RosenbrockHessian(x, new double[3, 4]));
    }

    [Theory]
    [InlineData(6, 3, 4)]
    [InlineData(2, 5, 3)]
    public void A_Gauss_Newton_product_composes_the_layers_tangent_the_losss_Hessian_and_the_layers_pullback(long batch, long inputs, long classes)
    {
        var (x, w, b) = (Leaf(batch, inputs), Leaf(classes, inputs), Leaf(classes));
        using var target = randint(classes, new[] { batch }, dtype: ScalarType.Int64);
        var (vw, vb) = (randn_like(w), randn_like(b));

        // G·v = Jᵀ·H_ℓ·J·v over the weights, the input held fixed: three generated products, no second derivative of the layer.
        var logits = VectorFunctions.Layer(x, w, b);
        var jv = VectorFunctions.LayerJacobianVectorProduct(x, w, b, zeros_like(x), vw, vb);
        VectorFunctions.LossHessianVectorProduct(logits, target, jv, out _, out var hjv);
        Tensor? ax = null, gw = null, gb = null;
        VectorFunctions.LayerPullback(x, w, b, hjv, ref ax, ref gw, ref gb);

        // The same on the tape: J·v by the double-vjp trick, H_ℓ·(J·v) by double backward, Jᵀ· by a seeded backward.
        var tapeJv = TapeJacobianVectorProduct(a => VectorFunctions.Layer(x, a[0], a[1]), new[] { w, b }, new[] { vw, vb });
        var z = logits.detach().clone().requires_grad_();
        var lossGradient = torch.autograd.grad(new[] { VectorFunctions.Loss(z, target) }, new[] { z }, retain_graph: true, create_graph: true)[0];
        var tapeHjv = torch.autograd.grad(new[] { (lossGradient * tapeJv).sum() }, new[] { z })[0];
        var leaves = new[] { w.detach().clone().requires_grad_(), b.detach().clone().requires_grad_() };
        var expected = torch.autograd.grad(new[] { VectorFunctions.Layer(x, leaves[0], leaves[1]) }, leaves, new[] { tapeHjv });

        AssertTensorClose(expected[0], gw, w, 1e-10, "(G·v) for w");
        AssertTensorClose(expected[1], gb, b, 1e-10, "(G·v) for b");

        // Gauss–Newton is positive semi-definite for a convex loss: vᵀG·v = (J·v)ᵀH_ℓ(J·v) ≥ 0.
        Assert.True(((gw! * vw).sum() + (gb! * vb).sum()).ToDouble() >= -1e-12, "vᵀG·v ≥ 0");
    }
}
