using Leibniz.Implicit;
using TorchSharp;
using Leibniz.Tests.Differentiation;
using static TorchSharp.torch;

namespace Leibniz.Tests.Implicit;

/// <summary>
/// Ridge regression through implicit layers against the closed form w* = (XᵀX + λI)⁻¹Xᵀy differentiated by TorchSharp's
/// autograd (linalg.solve is on its tape), in float64: every kind of condition, every linear solver, reverse and forward
/// mode, through autograd and tape-free, and called from generated code.
/// </summary>
public sealed class RidgeLayerTests
{
    delegate Tensor Layer(Tensor X, Tensor y, Tensor lambda);

    delegate Tensor Pullback(Tensor X, Tensor y, Tensor lambda, Tensor? seed, ref Tensor? dX, ref Tensor? dy, ref Tensor? dlambda);

    delegate Tensor JacobianVectorProduct(Tensor X, Tensor y, Tensor lambda, Tensor dX, Tensor dy, Tensor dlambda);

    /// <summary>A regression problem from its own generator: 12 samples, 6 features, λ = 0.7.</summary>
    static (Tensor X, Tensor y, Tensor lambda) Problem(long seed = 17)
    {
        var generator = new torch.Generator((ulong)seed);
        var X = randn(new long[] { 12, 6 }, dtype: ScalarType.Float64, generator: generator);
        var y = randn(new long[] { 12 }, dtype: ScalarType.Float64, generator: generator);
        return (X, y, tensor(0.7, dtype: ScalarType.Float64));
    }

    static Tensor Weights(long seed) => randn(new long[] { 6 }, dtype: ScalarType.Float64, generator: new torch.Generator((ulong)seed));

    /// <summary>The oracle: the gradients of ⟨c, w*⟩ by autograd through the closed form.</summary>
    static Tensor[] ClosedFormGradients(Tensor X, Tensor y, Tensor lambda, Tensor c)
    {
        var leaves = new[] { X, y, lambda }.Select(t => t.detach().clone().requires_grad_()).ToArray();
        var value = (RidgeClosedForm.Solve(leaves[0], leaves[1], leaves[2]) * c).sum();
        return torch.autograd.grad(new[] { value }, leaves).ToArray();
    }

    static void AssertClose(Tensor expected, Tensor? actual, double tolerance, string what)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.shape, actual!.shape);
        var error = (expected - actual).abs().max().ToDouble();
        var scale = Math.Max(1.0, expected.abs().max().ToDouble());
        Assert.True(error <= tolerance * scale, $"{what}: max difference {error:E2} (scale {scale:G3})");
    }

    public static TheoryData<string> Layers() => new()
    {
        nameof(RidgeByCondition), nameof(RidgeByFixedPoint), nameof(RidgeByObjective), nameof(RidgeByConjugateGradient), nameof(RidgeByGmres),
        nameof(RidgeByBiCgStab), nameof(RidgeByDenseLu), nameof(RidgeByDenseCholesky), nameof(RidgeByLeastSquares),
        nameof(RidgeByFixedPointAndConjugateGradient),
    };

    static (Layer Apply, Pullback Pullback, JacobianVectorProduct Jvp) Routes(string name) => name switch
    {
        nameof(RidgeByCondition) => (RidgeByCondition.Apply, RidgeByCondition.ApplyPullback, RidgeByCondition.ApplyJacobianVectorProduct),
        nameof(RidgeByFixedPoint) => (RidgeByFixedPoint.Apply, RidgeByFixedPoint.ApplyPullback, RidgeByFixedPoint.ApplyJacobianVectorProduct),
        nameof(RidgeByObjective) => (RidgeByObjective.Apply, RidgeByObjective.ApplyPullback, RidgeByObjective.ApplyJacobianVectorProduct),
        nameof(RidgeByConjugateGradient) => (RidgeByConjugateGradient.Apply, RidgeByConjugateGradient.ApplyPullback, RidgeByConjugateGradient.ApplyJacobianVectorProduct),
        nameof(RidgeByGmres) => (RidgeByGmres.Apply, RidgeByGmres.ApplyPullback, RidgeByGmres.ApplyJacobianVectorProduct),
        nameof(RidgeByBiCgStab) => (RidgeByBiCgStab.Apply, RidgeByBiCgStab.ApplyPullback, RidgeByBiCgStab.ApplyJacobianVectorProduct),
        nameof(RidgeByDenseLu) => (RidgeByDenseLu.Apply, RidgeByDenseLu.ApplyPullback, RidgeByDenseLu.ApplyJacobianVectorProduct),
        nameof(RidgeByDenseCholesky) => (RidgeByDenseCholesky.Apply, RidgeByDenseCholesky.ApplyPullback, RidgeByDenseCholesky.ApplyJacobianVectorProduct),
        nameof(RidgeByLeastSquares) => (RidgeByLeastSquares.Apply, RidgeByLeastSquares.ApplyPullback, RidgeByLeastSquares.ApplyJacobianVectorProduct),
        nameof(RidgeByFixedPointAndConjugateGradient) => (RidgeByFixedPointAndConjugateGradient.Apply, RidgeByFixedPointAndConjugateGradient.ApplyPullback, RidgeByFixedPointAndConjugateGradient.ApplyJacobianVectorProduct),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Autograd_through_Apply_matches_the_closed_form(string layer)
    {
        var (X, y, lambda) = Problem();
        var c = Weights(3);
        var leaves = new[] { X, y, lambda }.Select(t => t.clone().requires_grad_()).ToArray();
        var w = Routes(layer).Apply(leaves[0], leaves[1], leaves[2]);

        AssertClose(RidgeClosedForm.Solve(X, y, lambda), w.detach(), 1e-10, "w*");
        Assert.True(w.requires_grad);
        (w * c).sum().backward();
        var oracle = ClosedFormGradients(X, y, lambda, c);
        string[] names = { "∂/∂X", "∂/∂y", "∂/∂λ" };
        for (var i = 0; i < 3; i++) AssertClose(oracle[i], leaves[i].grad, 1e-8, $"{layer} {names[i]}");
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void The_tape_free_pullback_matches_the_closed_form(string layer)
    {
        var (X, y, lambda) = Problem(5);
        var c = Weights(8);
        Tensor? dX = null, dy = null, dlambda = null;
        var w = Routes(layer).Pullback(X, y, lambda, c, ref dX, ref dy, ref dlambda);

        AssertClose(RidgeClosedForm.Solve(X, y, lambda), w, 1e-10, "w*");
        var oracle = ClosedFormGradients(X, y, lambda, c);
        AssertClose(oracle[0], dX, 1e-8, $"{layer} ∂/∂X");
        AssertClose(oracle[1], dy, 1e-8, $"{layer} ∂/∂y");
        AssertClose(oracle[2], dlambda, 1e-8, $"{layer} ∂/∂λ");
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Forward_mode_matches_central_differences_of_the_closed_form(string layer)
    {
        var (X, y, lambda) = Problem(11);
        var generator = new torch.Generator(23);
        var dX = randn(X.shape, dtype: ScalarType.Float64, generator: generator);
        var dy = randn(y.shape, dtype: ScalarType.Float64, generator: generator);
        var dlambda = tensor(0.3, dtype: ScalarType.Float64);

        var jvp = Routes(layer).Jvp(X, y, lambda, dX, dy, dlambda);

        Tensor Along(double s) => RidgeClosedForm.Solve(X + s * dX, y + s * dy, lambda + s * dlambda);
        const double h = 1e-4;
        var oracle = (Along(-2 * h) - 8 * Along(-h) + 8 * Along(h) - Along(2 * h)) / (12 * h);
        AssertClose(oracle, jvp, 1e-8, $"{layer} J·v");
    }

    [Fact]
    public void A_generated_gradient_through_a_solver_call_matches_the_closed_form()
    {
        var (X, y, lambda) = Problem(2);
        var generator = new torch.Generator(4);
        var Xv = randn(new long[] { 7, 6 }, dtype: ScalarType.Float64, generator: generator);
        var yv = randn(new long[] { 7 }, dtype: ScalarType.Float64, generator: generator);

        var loss = HyperparameterLosses.ValidationLossWithGradient(X, y, lambda, Xv, yv, out var dX, out var dy, out var dlambda, out var dXv, out var dyv);

        var leaves = new[] { X, y, lambda, Xv, yv }.Select(t => t.clone().requires_grad_()).ToArray();
        var expected = (leaves[3].matmul(RidgeClosedForm.Solve(leaves[0], leaves[1], leaves[2])) - leaves[4]).square().mean();
        var oracle = torch.autograd.grad(new[] { expected }, leaves).ToArray();
        Assert.Equal(expected.ToDouble(), loss.ToDouble(), 12);
        var generated = new[] { dX, dy, dlambda, dXv, dyv };
        for (var i = 0; i < 5; i++) AssertClose(oracle[i], generated[i], 1e-8, $"input {i}");
    }

    [Fact]
    public void A_generated_tangent_through_a_solver_call_matches_central_differences()
    {
        var (X, y, lambda) = Problem(9);
        var generator = new torch.Generator(10);
        var Xv = randn(new long[] { 7, 6 }, dtype: ScalarType.Float64, generator: generator);
        var yv = randn(new long[] { 7 }, dtype: ScalarType.Float64, generator: generator);
        var directions = new[] { X, y, lambda, Xv, yv }.Select(t => randn(t.shape, dtype: ScalarType.Float64, generator: generator)).ToArray();

        var jvp = HyperparameterLosses.ValidationLossJacobianVectorProduct(X, y, lambda, Xv, yv, directions[0], directions[1], directions[2], directions[3], directions[4]);

        double Along(double s)
        {
            var moved = new[] { X, y, lambda, Xv, yv }.Select((t, i) => t + s * directions[i]).ToArray();
            return (moved[3].matmul(RidgeClosedForm.Solve(moved[0], moved[1], moved[2])) - moved[4]).square().mean().ToDouble();
        }

        var oracle = FiniteDifferences.Derivative(Along, 0);
        Assert.True(Math.Abs(oracle - jvp.ToDouble()) <= 1e-7 * Math.Max(1, Math.Abs(oracle)), $"J·v {jvp.ToDouble()} against {oracle}");
    }

    [Fact]
    public void A_log_parametrised_hyperparameter_gets_its_gradient_through_a_fixed_point_layer()
    {
        var (X, y, _) = Problem(6);
        var logLambda = tensor(Math.Log(0.7), dtype: ScalarType.Float64);
        var generator = new torch.Generator(12);
        var Xv = randn(new long[] { 5, 6 }, dtype: ScalarType.Float64, generator: generator);
        var yv = randn(new long[] { 5 }, dtype: ScalarType.Float64, generator: generator);

        HyperparameterLosses.ValidationLossByFixedPointWithGradient(X, y, logLambda, Xv, yv, out _, out _, out var dLogLambda, out _, out _);

        var leaf = logLambda.clone().requires_grad_();
        var expected = (Xv.matmul(RidgeClosedForm.Solve(X, y, leaf.exp())) - yv).square().mean();
        var oracle = torch.autograd.grad(new[] { expected }, new[] { leaf })[0];
        AssertClose(oracle, dLogLambda, 1e-8, "∂/∂log λ");
    }

    [Fact]
    public void A_backward_whose_linear_solve_does_not_converge_is_refused()
    {
        var (X, y, lambda) = Problem();
        Tensor? dX = null, dy = null, dlambda = null;
        var failure = Assert.Throws<ImplicitLayerException>(() => RidgeStarved.ApplyPullback(X, y, lambda, Weights(1), ref dX, ref dy, ref dlambda));
        Assert.Contains("did not converge", failure.Message);
        Assert.Contains("1 iterations", failure.Message);
        Assert.IsType<Leibniz.LinearSystems.LinearSolveException>(failure.InnerException);
        Assert.Null(dX);

        // Through autograd the refusal reaches the caller of backward() too.
        var leaf = lambda.clone().requires_grad_();
        var w = RidgeStarved.Apply(X, y, leaf);
        // λ is 0-dimensional: the refusal must not become a gradient of zero broadcast to it.
        Assert.ThrowsAny<Exception>(() => w.sum().backward());
        Assert.IsType<ImplicitLayerException>(Derivatives.LastBackwardFailure);
    }

    [Fact]
    public void A_solver_answer_that_is_not_a_solution_is_refused()
    {
        var (X, y, lambda) = Problem();
        var failure = Assert.Throws<ImplicitLayerException>(() => RidgeInexact.Apply(X, y, lambda));
        Assert.Contains("residual", failure.Message);
        Assert.Contains("ResidualTolerance", failure.Message);
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        var (X, y, lambda) = Problem();
        Assert.Equal("y", Assert.Throws<ArgumentNullException>(() => RidgeByCondition.Apply(X, null!, lambda)).ParamName);
        Tensor? dX = null, dy = null, dlambda = null;
        var seed = Assert.Throws<ArgumentException>(() => RidgeByCondition.ApplyPullback(X, y, lambda, ones(7, dtype: ScalarType.Float64), ref dX, ref dy, ref dlambda));
        Assert.Contains("shape", seed.Message);
        var direction = Assert.Throws<ArgumentException>(() => RidgeByCondition.ApplyJacobianVectorProduct(X, y, lambda, zeros_like(X), zeros(3, dtype: ScalarType.Float64), zeros_like(lambda)));
        Assert.Contains("dy", direction.Message);
    }

    [Fact]
    public void Without_a_gradient_to_route_Apply_returns_the_plain_solution()
    {
        var (X, y, lambda) = Problem();
        var w = RidgeByCondition.Apply(X, y, lambda);
        Assert.False(w.requires_grad);
        using (no_grad())
        {
            var inside = RidgeByCondition.Apply(X.clone().requires_grad_(), y, lambda);
            Assert.False(inside.requires_grad);
        }
    }

    [Fact]
    public void A_float32_problem_is_differentiated_with_tolerances_that_follow_its_precision()
    {
        var (X, y, lambda) = Problem(13);
        var (X32, y32) = (X.to_type(ScalarType.Float32), y.to_type(ScalarType.Float32));
        var leaf = lambda.to_type(ScalarType.Float32).requires_grad_();
        var c = Weights(14).to_type(ScalarType.Float32);
        (RidgeByConjugateGradient.Apply(X32, y32, leaf) * c).sum().backward();

        var oracle = ClosedFormGradients(X, y, lambda, c.to_type(ScalarType.Float64))[2].ToDouble();
        Assert.Equal(ScalarType.Float32, leaf.grad!.dtype);
        Assert.True(Math.Abs(leaf.grad!.ToDouble() - oracle) <= 1e-3 * Math.Max(1, Math.Abs(oracle)), $"float32 ∂/∂λ {leaf.grad!.ToDouble()} against {oracle}");
    }
}
