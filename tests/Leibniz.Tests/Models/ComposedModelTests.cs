using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Tests.Models;

/// <summary>
/// Models whose Forward calls other models' Forward, differentiated through the callees' generated
/// sweeps: checked against TorchSharp's autograd in float64 on each model's plain-TorchSharp Reference.
/// </summary>
public sealed class ComposedModelTests
{
    const double Rtol = 1e-10;
    const double Atol = 1e-12;
    // Exact in float: TorchSharp's addmm_ takes its scale as a float.
    const double LearningRate = 0.1;

    public ComposedModelTests() => manual_seed(33);

    /// <summary>The gradient of every parameter and of the input after <paramref name="loss"/>'s backward, by name; null where autograd gave none.</summary>
    static Dictionary<string, Tensor?> Gradients(nn.Module model, Func<Tensor> loss, Tensor x)
    {
        model.zero_grad();
        x.grad = null;
        loss().backward();
        var gradients = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad?.detach().clone());
        gradients["x"] = x.grad?.detach().clone();
        return gradients;
    }

    static void AssertClose(Tensor? expected, Tensor? actual, string name)
    {
        Assert.True(expected is not null, $"{name}: the oracle has no gradient");
        Assert.True(actual is not null, $"{name}: no gradient");
        Assert.Equal(expected!.shape, actual!.shape);
        Assert.True(expected.allclose(actual, rtol: Rtol, atol: Atol), $"{name}: largest difference {(expected - actual).abs().max().ToDouble():E2}");
    }

    [Fact]
    public void Loss_backward_through_nested_models_matches_autograd_for_every_parameter_and_the_input()
    {
        using var model = new Autoencoder(inputs: 3, hidden: 4);
        var x = randn(5, 3, dtype: ScalarType.Float64).requires_grad_();
        using var target = randn(5, 4, dtype: ScalarType.Float64);

        var generated = Gradients(model, () => mse_loss(model.call(x), target), x);
        var oracle = Gradients(model, () => mse_loss(model.Reference(x), target), x);

        // Every parameter of the model, its children and its grandchildren gets a gradient.
        Assert.Equal(
            new[] { "mix", "encoder.gain", "encoder.first.weight", "encoder.first.bias", "encoder.second.weight", "encoder.second.bias", "decoder.weight", "decoder.bias", "x" },
            generated.Keys);
        foreach (var (name, expected) in oracle)
            AssertClose(expected, generated[name], name);
    }

    [Fact]
    public void The_composite_s_output_through_the_autograd_function_is_the_reference_output()
    {
        using var model = new Autoencoder(inputs: 3, hidden: 4);
        using var x = randn(2, 3, dtype: ScalarType.Float64);
        using var y = model.call(x);
        Assert.True(y.requires_grad);
        Assert.False(y.is_leaf);
        using (no_grad())
            Assert.True(y.allclose(model.Reference(x), rtol: 0, atol: 0));
    }

    [Fact]
    public void The_tape_free_pullback_gives_the_children_s_gradients_under_their_parameter_names()
    {
        using var model = new Autoencoder(inputs: 3, hidden: 4);
        var x = randn(5, 3, dtype: ScalarType.Float64).requires_grad_();
        using var seed = randn(5, 4, dtype: ScalarType.Float64);
        var oracle = Gradients(model, () => (model.Reference(x) * seed).sum(), x);

        using var noGrad = no_grad();
        var sweep = model.ForwardWithPullback(x);
        Assert.True(sweep.Output.allclose(model.Reference(x), rtol: 0, atol: 0));
        var gradients = sweep.Pullback(seed);

        AssertClose(oracle["x"], gradients.x, "x");
        AssertClose(oracle["mix"], gradients.mix, "mix");
        // A child's gradients are named as in its own named_parameters(); the grandchild's through the child's field.
        AssertClose(oracle["encoder.gain"], gradients.encoder["gain"], "encoder.gain");
        AssertClose(oracle["encoder.first.weight"], gradients.encoder["first.weight"], "encoder.first.weight");
        // decoder is called twice; its gradients are the sum over both calls.
        AssertClose(oracle["decoder.weight"], gradients.decoder["weight"], "decoder.weight");
        AssertClose(oracle["decoder.bias"], gradients.decoder["bias"], "decoder.bias");
        var unknown = Assert.Throws<KeyNotFoundException>(() => gradients.decoder["w"]);
        Assert.Contains("weight, bias", unknown.Message);
    }

    [Fact]
    public void PullbackInto_names_every_gradient_as_named_parameters_does()
    {
        using var model = new Autoencoder(inputs: 3, hidden: 4);
        var x = randn(5, 3, dtype: ScalarType.Float64).requires_grad_();
        using var seed = randn(5, 4, dtype: ScalarType.Float64);
        var oracle = Gradients(model, () => (model.Reference(x) * seed).sum(), x);

        using var noGrad = no_grad();
        var all = new ModelGradients();
        var inputGradient = model.ForwardWithPullback(x).PullbackInto(seed, all);

        AssertClose(oracle["x"], inputGradient, "x");
        Assert.Equal(model.named_parameters().Select(p => p.name).OrderBy(n => n), all.Names.OrderBy(n => n));
        foreach (var (name, gradient) in all)
            AssertClose(oracle[name], gradient, name);
    }

    [Fact]
    public void Skipping_the_input_gradient_leaves_every_parameter_gradient_unchanged()
    {
        using var model = new Autoencoder(inputs: 3, hidden: 4);
        using var x = randn(5, 3, dtype: ScalarType.Float64);
        using var seed = randn(5, 4, dtype: ScalarType.Float64);
        using var noGrad = no_grad();

        var full = new ModelGradients();
        Assert.NotNull(model.ForwardWithPullback(x).PullbackInto(seed, full));
        var skipped = new ModelGradients();
        Assert.Null(model.ForwardWithPullback(x, inputGradient: false).PullbackInto(seed, skipped));

        Assert.Equal(full.Names, skipped.Names);
        foreach (var (name, expected) in full)
            Assert.True(expected!.allclose(skipped[name]!, rtol: 0, atol: 0), name);
    }

    [Fact]
    public void A_generic_a_private_nested_and_a_frozen_model_compose_with_a_branch()
    {
        using var model = new Assembly(width: 4, outputs: 3);
        var x = randn(6, 4, dtype: ScalarType.Float64).requires_grad_();
        using var seed = randn(6, 3, dtype: ScalarType.Float64);

        var generated = Gradients(model, () => (model.call(x) * seed).sum(), x);
        var oracle = Gradients(model, () => (model.Reference(x) * seed).sum(), x);
        foreach (var name in new[] { "x", "scaled.scale", "projection.w" })
            AssertClose(oracle[name], generated[name], name);
        // NoDerivative(frozen.call(x)): the frozen model's output is data, its parameters get nothing.
        Assert.Null(generated["frozen.weight"]);
        Assert.Null(generated["frozen.bias"]);

        using var noGrad = no_grad();
        var gradients = model.ForwardWithPullback(x).Pullback(seed);
        AssertClose(oracle["scaled.scale"], gradients.scaled["scale"], "scaled.scale");
        AssertClose(oracle["projection.w"], gradients.projection["w"], "projection.w");
    }

    [Fact]
    public void A_model_not_called_on_the_branch_taken_gets_no_gradient()
    {
        using var model = new Assembly(width: 4, outputs: 4);
        model.SkipProjection();
        var x = randn(6, 4, dtype: ScalarType.Float64).requires_grad_();
        using var seed = randn(6, 4, dtype: ScalarType.Float64);

        var generated = Gradients(model, () => (model.call(x) * seed).sum(), x);
        var oracle = Gradients(model, () => (model.Reference(x) * seed).sum(), x);
        AssertClose(oracle["x"], generated["x"], "x");
        AssertClose(oracle["scaled.scale"], generated["scaled.scale"], "scaled.scale");
        Assert.Null(oracle["projection.w"]);
        Assert.Null(generated["projection.w"]);

        using var noGrad = no_grad();
        var gradients = model.ForwardWithPullback(x).Pullback(seed);
        Assert.Equal(0, gradients.projection.Count);
    }

    [Fact]
    public void Backward_accumulates_into_every_parameter_s_grad_including_the_children_s()
    {
        using var model = new Autoencoder(inputs: 3, hidden: 4);
        var x = randn(5, 3, dtype: ScalarType.Float64).requires_grad_();
        using var seed = randn(5, 4, dtype: ScalarType.Float64);
        var oracle = Gradients(model, () => (model.Reference(x) * seed).sum(), x);

        model.zero_grad();
        Tensor? inputGradient;
        using (no_grad()) inputGradient = model.ForwardWithPullback(x).Backward(seed);
        AssertClose(oracle["x"], inputGradient, "x");
        foreach (var (name, parameter) in model.named_parameters())
            AssertClose(oracle[name], parameter.grad, name);
    }

    [Fact]
    public void Descend_updates_every_parameter_by_its_gradient_including_a_child_called_twice()
    {
        using var model = new Autoencoder(inputs: 3, hidden: 4);
        var x = randn(5, 3, dtype: ScalarType.Float64).requires_grad_();
        using var seed = randn(5, 4, dtype: ScalarType.Float64);
        var oracle = Gradients(model, () => (model.Reference(x) * seed).sum(), x);
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

        Tensor? inputGradient;
        using (no_grad()) inputGradient = model.ForwardWithPullback(x).Descend(seed, LearningRate);

        AssertClose(oracle["x"], inputGradient, "x");
        foreach (var (name, parameter) in model.named_parameters())
            AssertClose(before[name] - LearningRate * oracle[name]!, parameter.detach(), name);
    }

    [Fact]
    public void Descend_with_one_layer_in_two_fields_applies_the_summed_gradient_once_per_use()
    {
        using var layer = new TanhLayer(3, 3, ScalarType.Float64);
        using var model = new SharedLayerTwice(layer);
        var x = randn(4, 3, dtype: ScalarType.Float64).requires_grad_();
        using var seed = randn(4, 3, dtype: ScalarType.Float64);
        var weights = layer.named_parameters().Select(p => p.parameter).ToArray();
        foreach (var w in weights) w.grad = null;
        (model.Reference(x) * seed).sum().backward();
        var expected = weights.Select(w => (w.detach() - LearningRate * w.grad!).clone()).ToArray();

        Tensor? inputGradient;
        using (no_grad()) inputGradient = model.ForwardWithPullback(x).Descend(seed, LearningRate);

        AssertClose(x.grad, inputGradient, "x");
        for (var i = 0; i < weights.Length; i++) AssertClose(expected[i], weights[i].detach(), layer.named_parameters().ElementAt(i).name);
    }

    [Fact]
    public void Double_backward_through_a_composite_gives_autograd_s_Hessian_vector_product()
    {
        using var model = new Autoencoder(inputs: 3, hidden: 4);
        using var x = randn(5, 3, dtype: ScalarType.Float64);
        using var target = randn(5, 4, dtype: ScalarType.Float64);
        var parameters = model.parameters().ToArray();
        var direction = parameters.Select(p => randn_like(p)).ToArray();

        Tensor[] HessianVectorProduct(Func<Tensor> loss)
        {
            var gradients = autograd.grad(new[] { loss() }, parameters, create_graph: true, retain_graph: true);
            var dot = gradients.Zip(direction, (g, v) => (g * v).sum()).Aggregate((a, b) => a + b);
            return autograd.grad(new[] { dot }, parameters, retain_graph: true).ToArray();
        }

        var generated = HessianVectorProduct(() => mse_loss(model.call(x), target));
        var oracle = HessianVectorProduct(() => mse_loss(model.Reference(x), target));
        for (var i = 0; i < parameters.Length; i++)
            AssertClose(oracle[i], generated[i], model.named_parameters().ElementAt(i).name);
    }

    [Fact]
    public void Double_backward_through_a_model_applied_to_its_own_output_counts_each_use_of_a_weight_once()
    {
        using var layer = new TanhLayer(4, 4, ScalarType.Float64);
        var scale = randn(4, dtype: ScalarType.Float64).requires_grad_();
        using var x = randn(5, 4, dtype: ScalarType.Float64);
        using var target = randn(5, 4, dtype: ScalarType.Float64);
        var parameters = layer.parameters().Append(scale).ToArray();
        var direction = parameters.Select(p => randn_like(p)).ToArray();

        (Tensor[] Gradient, Tensor[] HessianVectorProduct) Derivatives(Func<Tensor> loss)
        {
            var gradients = autograd.grad(new[] { loss() }, parameters, create_graph: true, retain_graph: true);
            var dot = gradients.Zip(direction, (g, v) => (g * v).sum()).Aggregate((a, b) => a + b);
            return (gradients.Select(g => g.detach()).ToArray(), autograd.grad(new[] { dot }, parameters, retain_graph: true).ToArray());
        }

        // The generated node's input was computed with the same weight it reads: the recomputed backward must not count that path twice.
        var generated = Derivatives(() => mse_loss(layer.call(layer.Forward(x * scale)), target));
        var oracle = Derivatives(() => mse_loss(layer.Reference(layer.Reference(x * scale)), target));
        for (var i = 0; i < parameters.Length; i++)
        {
            AssertClose(oracle.Gradient[i], generated.Gradient[i], $"gradient {i}");
            AssertClose(oracle.HessianVectorProduct[i], generated.HessianVectorProduct[i], $"Hessian–vector product {i}");
        }
    }

    [Fact]
    public void A_forward_hook_on_a_model_called_through_call_runs_and_the_gradient_stays_right()
    {
        using var model = new Autoencoder(inputs: 3, hidden: 4);
        var x = randn(5, 3, dtype: ScalarType.Float64).requires_grad_();
        using var target = randn(5, 4, dtype: ScalarType.Float64);
        // encoder.first is a grandchild, called through call() inside the encoder's Forward.
        var first = (nn.Module<Tensor, Tensor>)model.named_modules().Single(m => m.name == "encoder.first").module;
        var calls = 0;
        var hook = first.register_forward_hook((_, _, output) => { calls++; return output; });

        var generated = Gradients(model, () => mse_loss(model.call(x), target), x);
        var oracle = Gradients(model, () => mse_loss(model.Reference(x), target), x);

        // A sweep cannot run the hook, so the encoder went through autograd on its plain Forward, which does.
        Assert.Equal(1, calls);
        foreach (var (name, expected) in oracle)
            AssertClose(expected, generated[name], name);
        using var noGrad = no_grad();
        var refused = Assert.Throws<InvalidOperationException>(() => model.ForwardWithPullback(x));
        Assert.Contains("'first' has forward hooks", refused.Message);
        hook.remove();
        Assert.True(model.ForwardWithPullback(x).Output.allclose(model.Reference(x), rtol: 0, atol: 0));
    }

    [Fact]
    public void An_optimizer_trains_a_composite_through_the_generated_backward()
    {
        using var model = new Autoencoder(inputs: 2, hidden: 6, ScalarType.Float32);
        using var optimizer = optim.SGD(model.parameters(), 0.05);
        using var x = rand(64, 2) * 2 - 1;
        using var y = cat(new[] { x, x[.., 0..1] * x[.., 1..2] }, dim: 1).repeat(1, 2) * 0.5;

        double Loss() { using (no_grad()) return mse_loss(model.call(x), y).item<float>(); }
        var first = Loss();
        for (var step = 0; step < 400; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            mse_loss(model.call(x), y).backward();
            optimizer.step();
        }

        Assert.True(Loss() < first * 0.3, $"loss went from {first} to {Loss()}");
    }

    [Fact]
    public void Ten_thousand_training_steps_of_a_composite_leave_no_live_tensors_behind()
    {
        using var model = new Autoencoder(inputs: 4, hidden: 6, ScalarType.Float32);
        using var optimizer = optim.SGD(model.parameters(), 0.01);
        using var x = randn(16, 4);
        using var y = randn(16, 6);

        void Train(int steps)
        {
            for (var step = 0; step < steps; step++)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                mse_loss(model.call(x), y).backward();
                optimizer.step();
            }
        }

        Train(100);
        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Train(10_000);
        var growth = DisposeScopeManager.Statistics.ThreadTotalLiveCount - live;

        Assert.True(growth <= 10, $"{growth} more tensors are alive after 10,000 steps than after 100");
    }

    [Fact]
    public void A_reassigned_input_still_carries_the_first_layer_s_gradient_when_the_input_gradient_is_skipped()
    {
        using var model = new ReassigningMlp(3, 5, 2);
        var x = randn(4, 3, dtype: ScalarType.Float64).requires_grad_();
        using var seed = randn(4, 2, dtype: ScalarType.Float64);
        var oracle = Gradients(model, () => (model.Forward(x) * seed).sum(), x);

        using var noGrad = no_grad();
        var skipped = model.ForwardWithPullback(x, inputGradient: false).Pullback(seed);
        AssertClose(oracle["w1"], skipped.w1, "w1");
        AssertClose(oracle["b1"], skipped.b1, "b1");
        AssertClose(oracle["w2"], skipped.w2, "w2");
    }
}
