using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Tests.Models;

public sealed class ModelModuleTests
{
    public ModelModuleTests() => torch.manual_seed(3);

    [Fact]
    public void Parameters_are_registered_in_declaration_order_without_a_RegisterComponents_call()
    {
        using var model = new TwoLayer(3, 4, 2);

        Assert.Equal(new[] { "w1", "b1", "w2", "b2" }, model.named_parameters().Select(p => p.name));
        Assert.Equal(4, model.parameters().Count());
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad));
        Assert.Equal(new long[] { 4, 3 }, model.named_parameters().First().parameter.shape);
    }

    [Fact]
    public void The_first_call_records_gradients_before_anything_asked_for_the_parameters()
    {
        using var model = new TwoLayer(3, 4, 2);
        var x = randn(5, 3);

        // No parameters() call before: the call itself registers the fields as parameters that require grad.
        model.call(x).sum().backward();

        var w1 = model.named_parameters().Single(p => p.name == "w1").parameter;
        Assert.NotNull(w1.grad);
        Assert.True(ReferenceEquals(w1, model.W1) || w1.Handle == model.W1.Handle);
        var leaf = model.W1.detach().clone().requires_grad_();
        var (b1, w2, b2) = (model.named_parameters().Single(p => p.name == "b1").parameter.detach(), model.named_parameters().Single(p => p.name == "w2").parameter.detach(), model.named_parameters().Single(p => p.name == "b2").parameter.detach());
        (linear(tanh(linear(x, leaf, b1)), w2, b2) * model.Scale).sum().backward();
        Assert.True(leaf.grad!.allclose(w1.grad!, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Fields_and_registered_parameters_are_the_same_tensors()
    {
        using var model = new TwoLayer(3, 4, 2);
        var registered = model.named_parameters().First(p => p.name == "w1").parameter;
        Assert.Same(registered, model.W1);
    }

    [Fact]
    public void Buffers_are_registered_and_only_persistent_ones_are_in_the_state_dict()
    {
        using var model = new TwoLayer(3, 4, 2);

        Assert.Equal(new[] { "scale", "scratch" }, model.named_buffers().Select(b => b.name));
        Assert.Equal(new[] { "w1", "b1", "w2", "b2", "scale" }, model.state_dict().Keys);
        Assert.False(model.Scale.requires_grad);
    }

    [Fact]
    public void State_dict_round_trips_into_a_fresh_instance()
    {
        using var source = new TwoLayer(3, 4, 2);
        using var target = new TwoLayer(3, 4, 2);
        using var x = randn(5, 3);
        Assert.False(source.call(x).allclose(target.call(x)));

        var (missing, unexpected) = target.load_state_dict(source.state_dict());

        Assert.Empty(missing);
        Assert.Empty(unexpected);
        Assert.True(source.call(x).allclose(target.call(x), rtol: 0, atol: 0));
    }

    [Fact]
    public void Save_and_load_restore_the_weights()
    {
        using var source = new TwoLayer(3, 4, 2);
        using var target = new TwoLayer(3, 4, 2);
        var path = Path.Combine(Path.GetTempPath(), $"leibniz-{Guid.NewGuid():N}.dat");
        try
        {
            source.save(path);
            target.load(path);
            using var x = randn(5, 3);
            Assert.True(source.call(x).allclose(target.call(x), rtol: 0, atol: 0));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Converting_the_dtype_moves_parameters_buffers_and_fields_together()
    {
        using var model = new TwoLayer(3, 4, 2);
        using var x32 = randn(5, 3);
        var before = model.call(x32).to(ScalarType.Float64);

        model.to(ScalarType.Float64);

        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad));
        Assert.All(model.parameters(), p => Assert.True(p.is_leaf));
        Assert.Equal(ScalarType.Float64, model.Scale.dtype);
        Assert.Same(model.named_parameters().First().parameter, model.W1);
        Assert.Same(model.named_buffers().First().buffer, model.Scale);

        using var x64 = x32.to(ScalarType.Float64);
        Assert.True(model.call(x64).allclose(before, rtol: 1e-6, atol: 1e-6));
    }

    [Fact]
    public void Moving_to_the_current_device_keeps_the_parameters()
    {
        using var model = new TwoLayer(3, 4, 2);
        var before = model.parameters().ToList();

        model.to(CPU);

        Assert.Equal(before, model.parameters().ToList());
        Assert.All(model.parameters(), p => Assert.Equal(DeviceType.CPU, p.device_type));
    }

    [Fact]
    public void Train_and_eval_switch_the_model_and_its_children()
    {
        using var model = new Encoder();
        Assert.True(model.training);

        model.eval();
        Assert.False(model.training);
        Assert.All(model.children(), child => Assert.False(child.training));

        model.train();
        Assert.True(model.training);
        Assert.All(model.children(), child => Assert.True(child.training));
    }

    [Fact]
    public void Submodules_prefix_their_parameters_and_state_dict_entries()
    {
        using var model = new Encoder();

        Assert.Equal(
            new[] { "temperature", "body.w1", "body.b1", "body.w2", "body.b2", "head.weight", "head.bias" },
            model.named_parameters().Select(p => p.name));
        Assert.Equal(new[] { "body", "head" }, model.named_children().Select(c => c.name));
        Assert.Contains("body.scale", model.state_dict().Keys);
    }

    [Fact]
    public void Converting_a_composed_model_converts_its_children()
    {
        using var model = new Encoder();
        model.to(ScalarType.Float64);

        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
        Assert.Equal(ScalarType.Float64, model.Body.W1.dtype);
        using var y = model.call(randn(2, 3, dtype: ScalarType.Float64));
        Assert.Equal(ScalarType.Float64, y.dtype);
    }

    [Fact]
    public void Forward_through_call_matches_the_formula_and_runs_hooks()
    {
        using var model = new TwoLayer(3, 4, 2);
        using var x = randn(5, 3);
        var parameters = model.parameters().ToArray();
        var expected = linear(tanh(linear(x, parameters[0], parameters[1])), parameters[2], parameters[3]);

        var hookCalls = 0;
        var hook = model.register_forward_hook((_, _, output) => { hookCalls++; return output; });
        var actual = model.call(x);

        Assert.True(actual.allclose(expected, rtol: 0, atol: 0));
        hook.remove();
        Assert.Equal(1, hookCalls);
    }

    [Fact]
    public void An_optimizer_trains_a_generated_module()
    {
        using var model = new TwoLayer(2, 16, 1);
        using var optimizer = optim.Adam(model.parameters(), lr: 0.02);
        using var x = rand(64, 2) * 2 - 1;
        using var y = (x[.., 0] * x[.., 1]).unsqueeze(1);

        double Loss() { using (no_grad()) return mse_loss(model.call(x), y).item<float>(); }
        var first = Loss();
        for (var step = 0; step < 300; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = mse_loss(model.call(x), y);
            loss.backward();
            optimizer.step();
        }

        var last = Loss();
        Assert.True(last < first * 0.2, $"loss went from {first} to {last}; expected at least a fivefold drop");
    }

    [Fact]
    public void Gradients_reach_every_parameter_and_zero_grad_clears_them()
    {
        using var model = new Encoder();
        using var loss = model.call(randn(4, 3)).square().sum();
        loss.backward();

        Assert.All(model.parameters(), p => Assert.NotNull(p.grad));
        model.zero_grad();
        Assert.All(model.parameters(), p => Assert.Null(p.grad));
    }

    [Fact]
    public void A_field_assigned_after_construction_is_what_parameters_returns()
    {
        using var model = new TwoLayer(3, 4, 2);
        _ = model.parameters().ToList();

        model.ReplaceFirstWeight(full(4, 3, 2.0f));

        var w1 = model.named_parameters().First(p => p.name == "w1").parameter;
        Assert.Same(model.W1, w1);
        Assert.True(w1.requires_grad);
        Assert.Equal(2.0f, w1[0, 0].item<float>());
        Assert.Equal(4, model.parameters().Count());
    }

    [Fact]
    public void Nested_models_with_tuple_inputs_are_modules_too()
    {
        using var model = new Outer.Bilinear(3);
        using var left = randn(2, 3);
        using var right = randn(2, 3);

        var result = model.call((left, right));

        Assert.Equal(new[] { "weight" }, model.named_parameters().Select(p => p.name));
        Assert.True(result.allclose((left * right).sum(1), rtol: 1e-6, atol: 1e-6));
        Assert.Equal("Bilinear", model.GetName());
    }

    [Fact]
    public void Parameters_survive_a_dispose_scope_around_construction()
    {
        TwoLayer model;
        using (NewDisposeScope())
        {
            model = new TwoLayer(3, 4, 2);
            _ = model.parameters().ToList();
        }

        using (model)
        {
            Assert.All(model.parameters(), p => Assert.False(p.IsInvalid));
            using var y = model.call(randn(1, 3));
            Assert.Equal(new long[] { 1, 2 }, y.shape);
        }
    }
}
