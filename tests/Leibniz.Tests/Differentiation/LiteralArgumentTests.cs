using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

/// <summary>Functions whose dimension arguments are <c>long</c> literals, negative ones included.</summary>
public static partial class LiteralArgumentFunctions
{
    [Differentiable]
    public static Tensor Reductions(Tensor a) => a.sum(dim: 1L, keepdim: true).square().mean() + a.logsumexp(-1L).sum() + a.reshape(-1L, 2L).t().sum(0L).exp().sum();
}

public sealed class LiteralArgumentTests
{
    [Fact]
    public void Long_literal_dimensions_keep_their_type_and_their_sign()
    {
        manual_seed(3);
        var a = randn(new long[] { 3, 4 }, dtype: ScalarType.Float64).requires_grad_();

        var value = LiteralArgumentFunctions.ReductionsWithGradient(a, out var da);
        LiteralArgumentFunctions.Reductions(a).backward();

        Assert.Equal(LiteralArgumentFunctions.Reductions(a).ToDouble(), value.ToDouble(), 12);
        Assert.True(a.grad!.allclose(da!, rtol: 1e-10, atol: 1e-12), $"largest difference {(a.grad! - da!).abs().max().ToDouble():E2}");
    }
}
