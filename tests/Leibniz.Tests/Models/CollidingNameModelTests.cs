using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Models;

/// <summary>Models named like the generated sweep's own members: gradients through <c>loss.backward()</c> and <c>Pullback</c> against autograd.</summary>
public sealed class CollidingNameModelTests
{
    public CollidingNameModelTests() => manual_seed(17);

    static Dictionary<string, Tensor> Gradients(torch.nn.Module<Tensor, Tensor> model, Func<Tensor> loss, Tensor x)
    {
        model.zero_grad();
        x.grad = null;
        loss().backward();
        var gradients = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());
        gradients["input"] = x.grad!.detach().clone();
        return gradients;
    }

    static void AssertSame(Dictionary<string, Tensor> oracle, Dictionary<string, Tensor> generated)
    {
        Assert.Equal(oracle.Keys.OrderBy(k => k), generated.Keys.OrderBy(k => k));
        foreach (var (name, expected) in oracle)
            Assert.True(expected.allclose(generated[name], rtol: 1e-10, atol: 1e-12), $"{name}: largest difference {(expected - generated[name]).abs().max().ToDouble():E2}");
    }

    [Fact]
    public void A_forward_input_named_seed_gets_the_right_gradients_through_loss_backward()
    {
        using var model = new SeedInputModel(4);
        var x = randn(3, 4, dtype: ScalarType.Float64).requires_grad_();
        using var target = randn(3, 4, dtype: ScalarType.Float64);

        var generated = Gradients(model, () => (model.call(x) - target).square().sum(), x);
        var oracle = Gradients(model, () => (model.Reference(x) - target).square().sum(), x);

        AssertSame(oracle, generated);
    }

    [Fact]
    public void A_forward_input_named_seed_gets_the_right_gradients_through_Pullback()
    {
        using var model = new SeedInputModel(4);
        var x = randn(3, 4, dtype: ScalarType.Float64).requires_grad_();
        using var outputSeed = randn(3, 4, dtype: ScalarType.Float64);

        var oracle = Gradients(model, () => (model.Reference(x) * outputSeed).sum(), x);
        (Tensor? seed, Tensor? w, Tensor? b) gradients;
        using (no_grad()) gradients = model.ForwardWithPullback(x).Pullback(outputSeed);

        Assert.True(oracle["input"].allclose(gradients.seed!, rtol: 1e-10, atol: 1e-12), "input");
        Assert.True(oracle["w"].allclose(gradients.w!, rtol: 1e-10, atol: 1e-12), "w");
        Assert.True(oracle["b"].allclose(gradients.b!, rtol: 1e-10, atol: 1e-12), "b");
    }

    [Fact]
    public void Fields_and_locals_named_like_sweep_members_get_the_right_gradients()
    {
        using var model = new CollidingMembersModel(3, 5);
        var x = randn(4, 3, dtype: ScalarType.Float64).requires_grad_();
        using var target = randn(4, 5, dtype: ScalarType.Float64);

        var generated = Gradients(model, () => (model.call(x) - target).square().mean(), x);
        var oracle = Gradients(model, () => (model.Reference(x) - target).square().mean(), x);
        AssertSame(oracle, generated);

        using var outputSeed = randn(4, 5, dtype: ScalarType.Float64);
        var pulledOracle = Gradients(model, () => (model.Reference(x) * outputSeed).sum(), x);
        (Tensor? seed, Tensor? _owner, Tensor? inputGradient) pulled;
        using (no_grad()) pulled = model.ForwardWithPullback(x).Pullback(outputSeed);
        Assert.True(pulledOracle["input"].allclose(pulled.seed!, rtol: 1e-10, atol: 1e-12), "input");
        Assert.True(pulledOracle["_owner"].allclose(pulled._owner!, rtol: 1e-10, atol: 1e-12), "_owner");
        Assert.True(pulledOracle["inputGradient"].allclose(pulled.inputGradient!, rtol: 1e-10, atol: 1e-12), "inputGradient");
    }
}
