using Leibniz.LinearSystems;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.LinearSystems;

public sealed class BadInputTests
{
    public static TheoryData<LinearSolverKind> All()
    {
        var data = new TheoryData<LinearSolverKind>();
        foreach (var kind in Enum.GetValues<LinearSolverKind>()) data.Add(kind);
        return data;
    }

    static readonly Func<Tensor, Tensor> Double = x => x.mul(2);

    static LinearSolveResult Solve(LinearSolverKind kind, Func<Tensor, Tensor> apply, Tensor rhs, Tensor? initialGuess = null, CancellationToken cancellationToken = default) =>
        LinearSolvers.Solve(kind, apply, rhs, applyTransposed: apply, initialGuess: initialGuess, cancellationToken: cancellationToken);

    [Theory]
    [MemberData(nameof(All))]
    public void Null_operator_or_right_hand_side_throws_ArgumentNullException(LinearSolverKind kind)
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentNullException>(() => Solve(kind, null!, ones(3, dtype: ScalarType.Float64)));
        Assert.Throws<ArgumentNullException>(() => Solve(kind, Double, null!));
    }

    [Theory]
    [MemberData(nameof(All))]
    public void An_operator_returning_another_shape_throws_ArgumentException_naming_both_shapes(LinearSolverKind kind)
    {
        using var scope = NewDisposeScope();
        var b = ones(5, dtype: ScalarType.Float64);

        var error = Assert.Throws<ArgumentException>(() => Solve(kind, x => x[..4], b));

        Assert.Contains("[4]", error.Message);
        Assert.Contains("[5]", error.Message);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void An_integer_right_hand_side_throws_ArgumentException(LinearSolverKind kind)
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => Solve(kind, Double, ones(3, dtype: ScalarType.Int64)));
        Assert.Contains("floating-point", error.Message);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void A_cancelled_token_throws_OperationCanceledException(LinearSolverKind kind)
    {
        using var scope = NewDisposeScope();
        using var source = new CancellationTokenSource();
        source.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => Solve(kind, Double, ones(3, dtype: ScalarType.Float64), cancellationToken: source.Token));
    }

    [Fact]
    public void Out_of_range_options_throw_ArgumentOutOfRangeException_with_the_value()
    {
        Assert.Contains("NaN", Assert.Throws<ArgumentOutOfRangeException>(() => new LinearSolveOptions { Ridge = double.NaN }).Message);
        Assert.Contains("-1", Assert.Throws<ArgumentOutOfRangeException>(() => new LinearSolveOptions { Ridge = -1 }).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearSolveOptions { Ridge = double.PositiveInfinity });
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearSolveOptions { Tolerance = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearSolveOptions { Tolerance = -1e-8 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearSolveOptions { Tolerance = double.NaN });
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearSolveOptions { MaxIterations = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearSolveOptions { Restart = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => LinearSolveOptions.Default with { Restart = -3 });
    }

    [Theory]
    [InlineData(LinearSolverKind.ConjugateGradient)]
    [InlineData(LinearSolverKind.NormalConjugateGradient)]
    [InlineData(LinearSolverKind.Gmres)]
    [InlineData(LinearSolverKind.BiCgStab)]
    public void An_initial_guess_of_another_shape_throws_ArgumentException(LinearSolverKind kind)
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => Solve(kind, Double, ones(3, dtype: ScalarType.Float64), initialGuess: ones(4, dtype: ScalarType.Float64)));
    }

    [Fact]
    public void Normal_conjugate_gradients_without_the_transposed_product_asks_for_it()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() =>
            LinearSolvers.Solve(LinearSolverKind.NormalConjugateGradient, Double, ones(3, dtype: ScalarType.Float64)));

        Assert.Equal("applyTransposed", error.ParamName);
        Assert.Contains("pass applyTransposed", error.Message);
    }

    [Fact]
    public void An_undefined_kind_throws_ArgumentOutOfRangeException()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentOutOfRangeException>(() => Solve((LinearSolverKind)99, Double, ones(3, dtype: ScalarType.Float64)));
    }
}
