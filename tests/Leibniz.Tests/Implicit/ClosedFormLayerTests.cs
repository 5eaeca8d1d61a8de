using Leibniz.Tests.Differentiation;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Implicit;

/// <summary>
/// Implicit layers against closed forms in float64, each through two routes (two linear solvers, or the layer's
/// reverse and forward modes): the lasso on and off its support, an equality-constrained QP through its KKT conditions,
/// the simplex projection's Jacobian, and a Gauss–Newton fit.
/// </summary>
public sealed class ClosedFormLayerTests
{
    static Tensor Draw(torch.Generator generator, params long[] shape) => randn(shape, dtype: ScalarType.Float64, generator: generator);

    static void AssertClose(Tensor expected, Tensor? actual, double tolerance, string what)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.shape, actual!.shape);
        var error = (expected - actual).abs().max().ToDouble();
        Assert.True(error <= tolerance * Math.Max(1, expected.abs().max().ToDouble()), $"{what}: max difference {error:E2}");
    }

    delegate Tensor LassoPullback(Tensor X, Tensor y, Tensor lambda, Tensor? seed, ref Tensor? dX, ref Tensor? dy, ref Tensor? dlambda);

    [Fact]
    public void The_lasso_derivative_is_the_closed_form_on_the_support_and_zero_off_it()
    {
        var generator = new torch.Generator(61);
        var X = Draw(generator, 40, 8);
        var truth = tensor(new[] { 2.0, -1.5, 0, 0, 1.0, 0, 0, 0 }, dtype: ScalarType.Float64);
        var y = X.matmul(truth) + 0.1 * Draw(generator, 40);
        var lambda = tensor(4.0, dtype: ScalarType.Float64);

        var w = LassoByProximalStep.Apply(X, y, lambda);
        var support = w.abs().gt(1e-9);
        var active = support.nonzero().flatten();
        Assert.InRange(active.shape[0], 1L, 7L);
        Assert.True(active.shape[0] < 8, "some weights are off the support");

        // On the support S: w_S = (X_SᵀX_S)⁻¹(X_Sᵀy − λ sign w_S); off it, w = 0 for nearby (y, λ).
        var XS = X.index_select(1, active);
        var signs = w.index_select(0, active).sign();
        var gram = XS.T.matmul(XS);
        var dwdLambda = zeros_like(w).index_copy(0, active, -linalg.solve(gram, signs));
        var c = Draw(generator, 8);
        var dyOracle = XS.matmul(linalg.solve(gram, c.index_select(0, active)));

        foreach (var (name, pullback) in new (string, LassoPullback)[] { ("proximal step, NormalConjugateGradient", LassoByProximalStep.ApplyPullback), ("DenseLu", LassoDense.ApplyPullback) })
        {
            Tensor? dX = null, dy = null, dlambda = null;
            pullback(X, y, lambda, c, ref dX, ref dy, ref dlambda);
            Assert.Equal((c * dwdLambda).sum().ToDouble(), dlambda!.ToDouble(), 8);
            AssertClose(dyOracle, dy, 1e-8, $"{name}: ∂⟨c, w⟩/∂y");
        }

        var jvp = LassoByProximalStep.ApplyJacobianVectorProduct(X, y, lambda, zeros_like(X), zeros_like(y), ones_like(lambda));
        AssertClose(dwdLambda, jvp, 1e-8, "forward mode: dw/dλ");
        Assert.True(jvp.masked_select(support.logical_not()).abs().max().ToDouble() < 1e-10, "zero off the support, to the linear solve's tolerance");
    }

    delegate Tensor QpPullback(Tensor Q, Tensor c, Tensor A, Tensor b, Tensor? seed, ref Tensor? dQ, ref Tensor? dc, ref Tensor? dA, ref Tensor? db);

    [Fact]
    public void An_equality_constrained_QP_is_differentiated_through_its_KKT_conditions()
    {
        var generator = new torch.Generator(62);
        var M = Draw(generator, 5, 5);
        var Q = M.matmul(M.T) + eye(5, dtype: ScalarType.Float64);
        var c = Draw(generator, 5);
        var A = Draw(generator, 2, 5);
        var b = Draw(generator, 2);
        var seed = Draw(generator, 7);

        var leaves = new[] { Q, c, A, b }.Select(t => t.clone().requires_grad_()).ToArray();
        var oracle = torch.autograd.grad(new[] { (QuadraticProgrammeClosedForm.Solve(leaves[0], leaves[1], leaves[2], leaves[3]) * seed).sum() }, leaves);

        foreach (var (name, pullback) in new (string, QpPullback)[] { ("Gmres", QuadraticProgramme.ApplyPullback), ("DenseLu", QuadraticProgrammeDense.ApplyPullback) })
        {
            Tensor? dQ = null, dc = null, dA = null, db = null;
            var z = pullback(Q, c, A, b, seed, ref dQ, ref dc, ref dA, ref db);
            AssertClose(A.matmul(z.narrow(0, 0, 5)), b, 1e-10, "feasible");
            AssertClose(oracle[0], dQ, 1e-8, $"{name}: ∂/∂Q");
            AssertClose(oracle[1], dc, 1e-8, $"{name}: ∂/∂c");
            AssertClose(oracle[2], dA, 1e-8, $"{name}: ∂/∂A");
            AssertClose(oracle[3], db, 1e-8, $"{name}: ∂/∂b");
        }
    }

    [Fact]
    public void The_simplex_projections_Jacobian_is_the_identity_less_the_mean_on_its_support()
    {
        var theta = tensor(new[] { 0.5, 0.3, -0.4, 0.1, -1.0, 0.45 }, dtype: ScalarType.Float64);
        var p = SimplexProjection.Apply(theta);
        Assert.Equal(1.0, p.sum().ToDouble(), 12);
        var support = p.gt(1e-12).to_type(ScalarType.Float64);
        var size = support.sum().ToDouble();
        Assert.InRange(size, 2, 5);

        // J = diag(s) − s sᵀ/|S| for the support's indicator s.
        var jacobian = diag(support) - support.outer(support) / size;
        var generator = new torch.Generator(63);
        for (var i = 0; i < 3; i++)
        {
            var v = Draw(generator, 6);
            AssertClose(jacobian.matmul(v), SimplexProjection.ApplyJacobianVectorProduct(theta, v), 1e-9, "J·v");
            Tensor? dtheta = null;
            SimplexProjection.ApplyPullback(theta, v, ref dtheta);
            AssertClose(jacobian.T.matmul(v), dtheta, 1e-9, "Jᵀ·v");
        }
    }

    [Fact]
    public void A_Gauss_Newton_fit_moves_with_its_data_as_central_differences_of_refitting_say()
    {
        var t = linspace(0, 1, 12, dtype: ScalarType.Float64);
        var generator = new torch.Generator(64);
        var y = 2.0 * (-1.3 * t).exp() + 0.05 * Draw(generator, 12);
        var direction = Draw(generator, 12);

        var jvp = ExponentialFit.ApplyJacobianVectorProduct(t, y, zeros_like(t), direction);
        Tensor? dt = null, dy = null;
        var seed = tensor(new[] { 0.7, -0.2 }, dtype: ScalarType.Float64);
        ExponentialFit.ApplyPullback(t, y, seed, ref dt, ref dy);

        for (var component = 0; component < 2; component++)
        {
            var index = component;
            double Along(double s) => ExponentialFit.Solve(t, y + s * direction)[index].ToDouble();
            Assert.Equal(FiniteDifferences.Derivative(Along, 0), jvp[component].ToDouble(), 7);
        }

        // ⟨seed, J·v⟩ = ⟨Jᵀ·seed, v⟩ between the two routes.
        Assert.Equal((seed * jvp).sum().ToDouble(), (dy! * direction).sum().ToDouble(), 9);
    }
}
