using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

public static partial class RandomDrawFunctions
{
    /// <summary>A recurrence with fresh noise each step: the reverse sweep must reuse the forward's draws, not draw again.</summary>
    [Differentiable]
    public static Tensor NoisyRecurrence(Tensor h, Tensor w, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            var noise = Derivatives.NoDerivative(torch.rand_like(h));
            h = torch.tanh(h.matmul(w)) * noise;
        }

        return h.sum();
    }

    /// <summary>The same computation, for the autograd oracle.</summary>
    public static Tensor Reference(Tensor h, Tensor w, int steps)
    {
        for (var i = 0; i < steps; i++) h = torch.tanh(h.matmul(w)) * torch.rand_like(h);
        return h.sum();
    }
}

[Collection(SeededDraws.Name)]
public sealed class RandomDrawLoopTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Draws_inside_a_loop_are_kept_for_the_reverse_sweep_not_drawn_again(int steps)
    {
        var h = randn(new long[] { 3, 4 }, dtype: ScalarType.Float64).requires_grad_();
        var w = randn(new long[] { 4, 4 }, dtype: ScalarType.Float64).requires_grad_();

        manual_seed(5);
        var value = RandomDrawFunctions.NoisyRecurrenceWithGradient(h, w, steps, out var dh, out var dw);
        var after = rand(1).ToDouble();

        manual_seed(5);
        var expected = RandomDrawFunctions.Reference(h, w, steps);
        expected.backward();
        var afterReference = rand(1).ToDouble();

        Assert.Equal(expected.ToDouble(), value.ToDouble(), 12);
        Assert.Equal(afterReference, after);
        Assert.True(h.grad!.allclose(dh!, rtol: 1e-10, atol: 1e-12), $"h: largest difference {(h.grad! - dh!).abs().max().ToDouble():E2}");
        Assert.True(w.grad!.allclose(dw!, rtol: 1e-10, atol: 1e-12), $"w: largest difference {(w.grad! - dw!).abs().max().ToDouble():E2}");
    }
}
