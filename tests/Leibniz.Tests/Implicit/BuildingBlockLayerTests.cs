using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Implicit;

/// <summary>The runtime's KKT residual and mirror step, written in the DSL, inside implicit layers.</summary>
public sealed class BuildingBlockLayerTests
{
    [Fact]
    public void An_inequality_constrained_QP_through_the_runtimes_KKT_residual_matches_its_closed_form()
    {
        var q = tensor(new[] { 1.0, 2.0, 0.5, 3.0 }, dtype: ScalarType.Float64);
        var c = tensor(new[] { -2.0, 1.0, -1.0, -6.0 }, dtype: ScalarType.Float64);
        var G = eye(4, dtype: ScalarType.Float64);
        // Unconstrained: −c/q = (2, −0.5, 2, 2); the bounds bind the first and last.
        var h = tensor(new[] { 1.0, 0.5, 3.0, 1.5 }, dtype: ScalarType.Float64);
        var seed = tensor(new[] { 0.3, -0.7, 1.1, 0.4, 0, 0, 0, 0 }, dtype: ScalarType.Float64);

        Tensor? dq = null, dc = null, dG = null, dh = null;
        var z = BoundedQuadratic.ApplyPullback(q, c, G, h, seed, ref dq, ref dc, ref dG, ref dh);
        Assert.Equal(new[] { 1.0, -0.5, 2.0, 1.5 }, z.narrow(0, 0, 4).data<double>().ToArray());

        // x = min(−c/q, h): ∂x/∂h is 1 where the bound binds, ∂x/∂c = −1/q and ∂x/∂q = c/q² where it does not.
        var leaves = new[] { q, c, h }.Select(t => t.clone().requires_grad_()).ToArray();
        var x = minimum(-leaves[1] / leaves[0], leaves[2]);
        var oracle = torch.autograd.grad(new[] { (x * seed.narrow(0, 0, 4)).sum() }, leaves);
        Assert.True((oracle[0] - dq!).abs().max().ToDouble() < 1e-9, "∂/∂q");
        Assert.True((oracle[1] - dc!).abs().max().ToDouble() < 1e-9, "∂/∂c");
        Assert.True((oracle[2] - dh!).abs().max().ToDouble() < 1e-9, "∂/∂h");
    }

    [Fact]
    public void The_entropic_mirror_steps_fixed_point_moves_as_the_interior_simplex_projection()
    {
        var theta = tensor(new[] { 0.3, 0.25, 0.2, 0.35 }, dtype: ScalarType.Float64);
        var p = EntropicProjection.Apply(theta);
        Assert.True(p.min().ToDouble() > 0, "an interior point");

        // In the interior the projection is θ + c·1: its Jacobian is I − 11ᵀ/n.
        var jacobian = eye(4, dtype: ScalarType.Float64) - ones(4, 4, dtype: ScalarType.Float64) / 4;
        var v = tensor(new[] { 1.0, -2.0, 0.5, 0.25 }, dtype: ScalarType.Float64);
        Assert.True((jacobian.matmul(v) - EntropicProjection.ApplyJacobianVectorProduct(theta, v)).abs().max().ToDouble() < 1e-9, "J·v");
        Tensor? dtheta = null;
        EntropicProjection.ApplyPullback(theta, v, ref dtheta);
        Assert.True((jacobian.T.matmul(v) - dtheta!).abs().max().ToDouble() < 1e-9, "Jᵀ·v");
    }
}
