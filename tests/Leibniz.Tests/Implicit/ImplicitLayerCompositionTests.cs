using Leibniz.Implicit;
using TorchSharp;
using Leibniz.Tests.Differentiation;
using static TorchSharp.torch;

namespace Leibniz.Tests.Implicit;

/// <summary>Implicit layers called from a [Model]'s Forward and from a loop in generated code.</summary>
public sealed class ImplicitLayerCompositionTests
{
    static (Tensor X, Tensor y, Tensor Xv, Tensor yv) Data()
    {
        var generator = new torch.Generator(31);
        Tensor Draw(params long[] shape) => randn(shape, dtype: ScalarType.Float64, generator: generator);
        return (Draw(15, 6), Draw(15), Draw(9, 6), Draw(9));
    }

    static Tensor ClosedFormLogLambdaGradient(Tensor X, Tensor y, double lambda, Tensor Xv, Tensor yv)
    {
        var leaf = tensor(Math.Log(lambda), dtype: ScalarType.Float64).requires_grad_();
        var loss = (Xv.matmul(RidgeClosedForm.Solve(X, y, leaf.exp())) - yv).square().mean();
        return torch.autograd.grad(new[] { loss }, new[] { leaf })[0];
    }

    [Fact]
    public void A_model_calling_a_layer_gets_its_parameter_gradient_through_autograd_and_tape_free()
    {
        var (X, y, Xv, yv) = Data();
        var oracle = ClosedFormLogLambdaGradient(X, y, 0.4, Xv, yv).ToDouble();

        var model = new RidgePredictor(X, y, 0.4);
        var prediction = model.call(Xv);
        (prediction - yv).square().mean().backward();
        var parameter = model.parameters().Single();
        Assert.Equal(oracle, parameter.grad!.ToDouble(), 9);

        parameter.grad!.zero_();
        using (no_grad())
        {
            var sweep = model.ForwardWithPullback(Xv);
            sweep.Backward(2.0 * (sweep.Output - yv) / yv.shape[0]);
        }

        Assert.Equal(oracle, parameter.grad!.ToDouble(), 9);
    }

    [Fact]
    public void A_layer_called_in_a_loop_is_differentiated_at_each_of_its_solutions()
    {
        var (X, y, Xv, yv) = Data();
        var lambda = tensor(0.3, dtype: ScalarType.Float64);

        HyperparameterSweeps.LossesOverScalesWithGradient(X, y, lambda, Xv, yv, 3, out var dX, out var dy, out var dlambda, out _, out _);

        var leaves = new[] { X, y, lambda }.Select(t => t.clone().requires_grad_()).ToArray();
        var total = Enumerable.Range(0, 3)
            .Select(i => (Xv.matmul(RidgeClosedForm.Solve(leaves[0], leaves[1], leaves[2] * Math.Pow(2, i))) - yv).square().mean())
            .Aggregate((a, b) => a + b);
        var oracle = torch.autograd.grad(new[] { total }, leaves);
        Assert.True((oracle[0] - dX!).abs().max().ToDouble() < 1e-8, "∂/∂X");
        Assert.True((oracle[1] - dy!).abs().max().ToDouble() < 1e-8, "∂/∂y");
        Assert.Equal(oracle[2].ToDouble(), dlambda!.ToDouble(), 9);
    }
}
