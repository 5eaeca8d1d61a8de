using Leibniz.Implicit;
using TorchSharp;
using Leibniz.Tests.Differentiation;
using static TorchSharp.torch;

namespace Leibniz.Tests.Implicit;

/// <summary>A solver handing its factorisation to the backward, and an objective that is not a scalar.</summary>
public sealed class SolverHandOffTests
{
    [Fact]
    public void A_factorisation_handed_to_the_backward_lets_one_iteration_solve_it()
    {
        var generator = new torch.Generator(71);
        var X = randn(new long[] { 12, 6 }, dtype: ScalarType.Float64, generator: generator);
        var y = randn(new long[] { 12 }, dtype: ScalarType.Float64, generator: generator);
        var lambda = tensor(0.7, dtype: ScalarType.Float64);
        var c = randn(new long[] { 6 }, dtype: ScalarType.Float64, generator: generator);

        // One CG iteration without the factor cannot solve a 6-dimensional system: the same layer refuses then.
        Tensor? dX = null, dy = null, dlambda = null;
        Assert.Throws<Leibniz.Implicit.ImplicitLayerException>(() => RidgeStarved.ApplyPullback(X, y, lambda, c, ref dX, ref dy, ref dlambda));

        RidgeFactorised.ApplyPullback(X, y, lambda, c, ref dX, ref dy, ref dlambda);
        var leaves = new[] { X, y, lambda }.Select(t => t.clone().requires_grad_()).ToArray();
        var oracle = torch.autograd.grad(new[] { (RidgeClosedForm.Solve(leaves[0], leaves[1], leaves[2]) * c).sum() }, leaves);
        Assert.True((oracle[0] - dX!).abs().max().ToDouble() < 1e-9, "∂/∂X");
        Assert.True((oracle[1] - dy!).abs().max().ToDouble() < 1e-9, "∂/∂y");
        Assert.Equal(oracle[2].ToDouble(), dlambda!.ToDouble(), 9);

        // Through autograd and through generated code calling the solver, the handed factor is reused too.
        var leaf = lambda.clone().requires_grad_();
        (RidgeFactorised.Apply(X, y, leaf) * c).sum().backward();
        Assert.Equal(oracle[2].ToDouble(), leaf.grad!.ToDouble(), 9);
        var Xv = randn(new long[] { 5, 6 }, dtype: ScalarType.Float64, generator: generator);
        var yv = randn(new long[] { 5 }, dtype: ScalarType.Float64, generator: generator);
        FactorisedLosses.ValidationLossWithGradient(X, y, lambda, Xv, yv, out _, out _, out var dLambdaGenerated, out _, out _);
        var validationLeaf = lambda.clone().requires_grad_();
        var validation = (Xv.matmul(RidgeClosedForm.Solve(X, y, validationLeaf)) - yv).square().mean();
        Assert.Equal(torch.autograd.grad(new[] { validation }, new[] { validationLeaf })[0].ToDouble(), dLambdaGenerated!.ToDouble(), 9);
    }

    [Fact]
    public void An_objective_that_is_not_a_scalar_is_refused_with_its_shape()
    {
        var failure = Assert.Throws<Leibniz.Implicit.ImplicitLayerException>(() => NotAScalar.Apply(ones(3, dtype: ScalarType.Float64)));
        Assert.Contains("[3]", failure.Message);
        Assert.Contains("scalar", failure.Message);
    }
}
