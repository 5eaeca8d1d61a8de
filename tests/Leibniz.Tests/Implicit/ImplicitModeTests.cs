using Leibniz.Implicit;
using TorchSharp;
using Leibniz.Tests.Differentiation;
using static TorchSharp.torch;

namespace Leibniz.Tests.Implicit;

/// <summary>The alternatives to the implicit gradient: unrolled through the solver, and truncated linear solves.</summary>
public sealed class ImplicitModeTests
{
    static (Tensor X, Tensor y, Tensor lambda) Problem()
    {
        var generator = new torch.Generator(51);
        // Scaled so that 400 steps of size 0.1 converge: the Hessian's eigenvalues stay between 0.9 and 10.
        var X = randn(new long[] { 12, 6 }, dtype: ScalarType.Float64, generator: generator) * 0.5;
        var y = randn(new long[] { 12 }, dtype: ScalarType.Float64, generator: generator);
        return (X, y, tensor(0.7, dtype: ScalarType.Float64));
    }

    [Fact]
    public void Unrolled_differentiates_the_iterations_which_match_the_closed_form_once_converged()
    {
        var (X, y, lambda) = Problem();
        var leaves = new[] { X, y, lambda }.Select(t => t.clone().requires_grad_()).ToArray();
        var w = RidgeUnrolled.Apply(leaves[0], leaves[1], leaves[2]);
        w.sum().backward();

        var oracle = new[] { X, y, lambda }.Select(t => t.clone().requires_grad_()).ToArray();
        var expected = torch.autograd.grad(new[] { RidgeClosedForm.Solve(oracle[0], oracle[1], oracle[2]).sum() }, oracle);
        for (var i = 0; i < 3; i++) Assert.True((expected[i] - leaves[i].grad!).abs().max().ToDouble() < 1e-6, $"input {i}");

        Tensor? dX = null, dy = null, dlambda = null;
        RidgeUnrolled.ApplyPullback(X, y, lambda, null, ref dX, ref dy, ref dlambda);
        Assert.True((leaves[2].grad! - dlambda!).abs().ToDouble() < 1e-12, "the tape-free unrolled pullback is the same tape");
    }

    [Fact]
    public void Truncated_accepts_an_unconverged_solve_that_implicit_mode_refuses()
    {
        var (X, y, lambda) = Problem();
        Tensor? dX = null, dy = null, dlambda = null;
        RidgeTruncated.ApplyPullback(X, y, lambda, null, ref dX, ref dy, ref dlambda);

        var leaf = lambda.clone().requires_grad_();
        var exact = torch.autograd.grad(new[] { RidgeClosedForm.Solve(X, y, leaf).sum() }, new[] { leaf })[0].ToDouble();
        var error = Math.Abs(dlambda!.ToDouble() - exact) / Math.Abs(exact);
        // Three CG steps on a six-dimensional system: an approximation, not the gradient, and not nothing.
        Assert.True(error > 1e-6 && error < 1.0, $"relative error {error:E2}");
    }
}
