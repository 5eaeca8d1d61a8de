using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Models;

public sealed class ConstantArgumentTests
{
    [Fact]
    public void Buffers_of_different_shapes_passed_to_a_function_do_not_share_a_discarded_adjoint()
    {
        var generator = new torch.Generator(41);
        var weight = randn(new long[] { 4, 4 }, dtype: ScalarType.Float64, generator: generator);
        var bias = randn(new long[] { 4 }, dtype: ScalarType.Float64, generator: generator);
        var x = randn(new long[] { 5, 4 }, dtype: ScalarType.Float64, generator: generator);
        var model = new FrozenAffine(weight, bias);

        model.call(x).square().sum().backward();
        var generated = model.parameters().Single().grad!.clone();

        var scale = (ones(1, dtype: ScalarType.Float64) * 0.5).requires_grad_();
        var once = (x * scale).matmul(weight) + bias;
        var expected = ((once.tanh() * scale).matmul(weight.T.matmul(weight)) + bias).square().sum();
        var oracle = torch.autograd.grad(new[] { expected }, new[] { scale })[0];
        Assert.Equal(oracle.ToDouble(), generated.ToDouble(), 10);
    }
}
