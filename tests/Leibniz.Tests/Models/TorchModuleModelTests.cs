using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;
using static Leibniz.Tests.Differentiation.TensorOracle;

namespace Leibniz.Tests.Models;

/// <summary>
/// TorchSharp modules called inside a <c>[Differentiable] Forward</c>: each call runs on the tape inside the generated
/// sweep, and its parameters' gradients reach <c>loss.backward()</c>, <c>Pullback</c>, <c>Backward</c> and <c>Descend</c>
/// under their <c>named_parameters()</c> names — against autograd on the same computation and against central differences.
/// </summary>
// Dropout draws its masks from TorchSharp's global generator, seeded alike before each of the runs compared.
[Collection(SeededDraws.Name)]
public sealed class TorchModuleModelTests
{
    public TorchModuleModelTests() => manual_seed(61);

    static Dictionary<string, Tensor> Gradients(nn.Module model, Func<Tensor> loss)
    {
        model.zero_grad();
        loss().backward();
        return model.named_parameters().Where(p => p.parameter.grad is not null).ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());
    }

    [Fact]
    public void Loss_backward_reaches_every_module_parameter_as_autograd_does()
    {
        using var model = new ModuleStack(3, 5, 2);
        using var target = randn(4, 2, dtype: ScalarType.Float64);
        var x = randn(4, 3, dtype: ScalarType.Float64).requires_grad_();

        var generated = Gradients(model, () => mse_loss(model.call(x), target));
        var generatedInput = x.grad!.clone();
        x.grad = null;
        var oracle = Gradients(model, () => mse_loss(model.Reference(x), target));

        Assert.Equal(new[] { "scale", "fc.weight", "fc.bias", "norm.weight", "norm.bias", "head.0.weight", "head.0.bias", "head.2.weight", "head.2.bias" }, oracle.Keys);
        Assert.Equal(oracle.Keys, generated.Keys);
        foreach (var (name, expected) in oracle) AssertClose(expected, generated[name], name);
        AssertClose(x.grad!, generatedInput, "x");
    }

    [Fact]
    public void The_gradient_matches_central_differences_along_a_random_direction()
    {
        manual_seed(617);
        using var model = new ModuleStack(3, 4, 2);
        using var x = randn(5, 3, dtype: ScalarType.Float64);
        using var target = randn(5, 2, dtype: ScalarType.Float64);
        var parameters = model.parameters().Select(p => (Tensor)p).ToArray();
        var directions = parameters.Select(p => randn_like(p)).ToArray();

        var gradients = Gradients(model, () => mse_loss(model.call(x), target));
        var directional = model.named_parameters().Select((p, i) => (gradients[p.name] * directions[i]).sum().ToDouble()).Sum();

        double Loss(double step)
        {
            using var noGrad = no_grad();
            for (var i = 0; i < parameters.Length; i++) parameters[i].add_(directions[i], alpha: step);
            var value = mse_loss(model.Reference(x), target).ToDouble();
            for (var i = 0; i < parameters.Length; i++) parameters[i].add_(directions[i], alpha: -step);
            return value;
        }

        const double h = 1e-6;
        var central = (Loss(h) - Loss(-h)) / (2 * h);
        Assert.True(Math.Abs(central - directional) <= 1e-7 * Math.Max(1, Math.Abs(central)), $"central difference {central}, gradient {directional}");
    }

    [Fact]
    public void The_tape_free_sweep_reports_the_modules_gradients_under_their_fields()
    {
        using var model = new ModuleStack(3, 5, 2);
        using var x = randn(4, 3, dtype: ScalarType.Float64);
        using var seed = randn(4, 2, dtype: ScalarType.Float64);
        var input = x.clone().requires_grad_();
        var oracle = Gradients(model, () => (model.Reference(input) * seed).sum());

        using var noGrad = no_grad();
        var sweep = model.ForwardWithPullback(x);
        AssertClose(model.Reference(x), sweep.Output, "output");
        var gradients = sweep.Pullback(seed);
        AssertClose(input.grad!, gradients.x, "x");
        AssertClose(oracle["scale"], gradients.scale, "scale");
        AssertClose(oracle["fc.weight"], gradients.fc["weight"], "fc.weight");
        AssertClose(oracle["norm.bias"], gradients.norm["bias"], "norm.bias");
        AssertClose(oracle["head.2.weight"], gradients.head["2.weight"], "head.2.weight");

        var all = new ModelGradients();
        var again = model.ForwardWithPullback(x).PullbackInto(seed, all);
        AssertClose(input.grad!, again, "x through PullbackInto");
        foreach (var (name, expected) in oracle) AssertClose(expected, all[name], name + " through PullbackInto");
    }

    [Fact]
    public void Backward_accumulates_and_Descend_steps_every_parameter_modules_included()
    {
        using var model = new ModuleStack(3, 4, 2);
        using var x = randn(4, 3, dtype: ScalarType.Float64);
        using var seed = randn(4, 2, dtype: ScalarType.Float64);
        var oracle = Gradients(model, () => (model.Reference(x) * seed).sum());

        model.zero_grad();
        model.ForwardWithPullback(x).Backward(seed);
        model.ForwardWithPullback(x).Backward(seed);
        foreach (var (name, parameter) in model.named_parameters()) AssertClose(2 * oracle[name], parameter.grad, name + " after two Backward calls");

        const double learningRate = 0.1;
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        model.ForwardWithPullback(x).Descend(seed, learningRate);
        foreach (var (name, parameter) in model.named_parameters())
            AssertClose(before[name] - learningRate * oracle[name], parameter.detach(), name + " after one Descend step");
    }

    [Fact]
    public void A_frozen_module_gets_no_gradient_and_the_others_theirs()
    {
        using var model = new ModuleStack(3, 4, 2);
        foreach (var parameter in model.Head.parameters()) parameter.requires_grad_(false);
        using var x = randn(4, 3, dtype: ScalarType.Float64);
        using var target = randn(4, 2, dtype: ScalarType.Float64);

        var generated = Gradients(model, () => mse_loss(model.call(x), target));
        var oracle = Gradients(model, () => mse_loss(model.Reference(x), target));

        Assert.DoesNotContain(generated.Keys, name => name.StartsWith("head.", StringComparison.Ordinal));
        Assert.Equal(oracle.Keys, generated.Keys);
        foreach (var (name, expected) in oracle) AssertClose(expected, generated[name], name);
    }

    [Fact]
    public void Token_indices_go_through_an_embedding_a_convolution_and_dropout()
    {
        using var model = new TokenConvolution(vocabulary: 11, features: 4);
        using var tokens = randint(0, 11, new long[] { 3, 6 });
        using var target = randn(3, 6, 4, dtype: ScalarType.Float64);

        // Dropout draws its mask from the global generator: both runs start from the same state.
        manual_seed(5);
        var generated = Gradients(model, () => mse_loss(model.call(tokens), target));
        manual_seed(5);
        var oracle = Gradients(model, () => mse_loss(model.Reference(tokens), target));

        Assert.Equal(new[] { "mix", "embedding.weight", "convolution.weight", "convolution.bias" }, oracle.Keys);
        foreach (var (name, expected) in oracle) AssertClose(expected, generated[name], name);

        model.eval();
        var evaluated = Gradients(model, () => (model.Reference(tokens) * target).sum());
        using (no_grad())
        {
            var gradients = model.ForwardWithPullback(tokens).Pullback(target);
            Assert.Null(gradients.tokens);
            AssertClose(evaluated["embedding.weight"], gradients.embedding["weight"], "embedding.weight in eval mode");
            AssertClose(evaluated["convolution.weight"], gradients.convolution["weight"], "convolution.weight in eval mode");
        }
    }

    [Fact]
    public void A_convolution_and_a_linear_layer_over_images_match_autograd()
    {
        using var model = new ImageBlock();
        using var target = randn(5, 4, dtype: ScalarType.Float64);
        var images = randn(5, 2, 6, 6, dtype: ScalarType.Float64).requires_grad_();

        var generated = Gradients(model, () => mse_loss(model.call(images), target));
        var generatedInput = images.grad!.clone();
        images.grad = null;
        var oracle = Gradients(model, () => mse_loss(model.Reference(images), target));

        Assert.Equal(new[] { "bias", "convolution.weight", "convolution.bias", "classifier.weight", "classifier.bias" }, oracle.Keys);
        foreach (var (name, expected) in oracle) AssertClose(expected, generated[name], name);
        AssertClose(images.grad!, generatedInput, "images");
    }

    [Fact]
    public void An_input_made_inside_a_dispose_scope_that_ends_before_backward_is_kept()
    {
        using var model = new ModuleStack(3, 4, 2);
        using var data = randn(4, 3, dtype: ScalarType.Float64);
        using var target = randn(4, 2, dtype: ScalarType.Float64);

        model.zero_grad();
        Tensor loss;
        using (NewDisposeScope())
        {
            loss = mse_loss(model.call(data.mul(1.0)), target).MoveToOuterDisposeScope();
        }

        loss.backward();
        var generated = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());
        var oracle = Gradients(model, () => mse_loss(model.Reference(data), target));
        foreach (var (name, expected) in oracle) AssertClose(expected, generated[name], name);
    }

    [Fact]
    public void Modules_called_in_a_loop_are_recomputed_by_the_reverse_loop_and_match_autograd()
    {
        using var model = new ModuleRecurrence(features: 3, units: 4);
        using var sequence = randn(5, 2, 3, dtype: ScalarType.Float64);
        using var target = randn(2, 4, dtype: ScalarType.Float64);

        var generated = Gradients(model, () => mse_loss(model.call(sequence), target));
        var oracle = Gradients(model, () => mse_loss(model.Reference(sequence), target));
        Assert.Equal(new[] { "gain", "input.weight", "input.bias", "hidden.weight", "hidden.bias" }, oracle.Keys);
        foreach (var (name, expected) in oracle) AssertClose(expected, generated[name], name);

        using var seed = randn(2, 4, dtype: ScalarType.Float64);
        var seeded = Gradients(model, () => (model.Reference(sequence) * seed).sum());
        const double learningRate = 0.1;
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using (no_grad()) model.ForwardWithPullback(sequence).Descend(seed, learningRate);
        foreach (var (name, parameter) in model.named_parameters())
            AssertClose(before[name] - learningRate * seeded[name], parameter.detach(), name + " after one Descend step");
    }

    [Fact]
    public void Dropout_inside_a_module_called_in_a_loop_is_refused_in_training_and_runs_in_eval()
    {
        using var model = new ModuleRecurrence(features: 3, units: 4, withDropout: true);
        using var sequence = randn(5, 2, 3, dtype: ScalarType.Float64);

        var refusal = Assert.Throws<InvalidOperationException>(() => model.ForwardWithPullback(sequence));
        Assert.Contains("Dropout", refusal.Message);
        Assert.Contains("second dropout mask", refusal.Message);

        model.eval();
        var generated = Gradients(model, () => model.call(sequence).pow(2).sum());
        var oracle = Gradients(model, () => model.Reference(sequence).pow(2).sum());
        foreach (var (name, expected) in oracle) AssertClose(expected, generated[name], name + " in eval mode");
    }

    [Fact]
    public void A_model_reading_no_field_returns_its_input_gradient_alone()
    {
        using var model = new Parameterless();
        var x = randn(3, 2, dtype: ScalarType.Float64).requires_grad_();
        model.call(x).sum().backward();
        var expected = x.detach().tanh() + x.detach() * (1 - x.detach().tanh().pow(2));
        AssertClose(expected, x.grad, "x through loss.backward()");

        using var noGrad = no_grad();
        Tensor? pulled = model.ForwardWithPullback(x.detach()).Pullback();
        AssertClose(expected, pulled, "x through Pullback");
        using var direction = randn(3, 2, dtype: ScalarType.Float64);
        var jvp = model.ForwardJacobianVectorProduct(x.detach(), direction);
        AssertClose(expected * direction, jvp, "the tangent");
    }

    [Fact]
    public void A_model_with_one_parameter_field_returns_its_Gauss_Newton_product_as_one_tensor()
    {
        using var model = new SingleWeight();
        using var x = randn(4, 3, dtype: ScalarType.Float64);
        using var direction = randn(3, 3, dtype: ScalarType.Float64);

        // For ℓ = ‖f‖², G·v = 2 Jᵀ(J·v): J·v from the generated tangent, Jᵀ from the tape.
        Tensor jv;
        using (no_grad()) jv = model.ForwardJacobianVectorProduct(x, zeros_like(x), new[] { direction });
        var weight = model.Weight;
        model.zero_grad();
        (x.matmul(weight).tanh() * (2 * jv)).sum().backward();
        Tensor? product = model.ForwardGaussNewtonProduct(x, direction, (_, u) => 2 * u);
        AssertClose(weight.grad!, product, "G·v");
    }

    [Fact]
    public void A_model_with_modules_trains_with_a_TorchSharp_optimizer()
    {
        // Its own draws: the class's tests run in any order, and a training run's progress depends on where it starts.
        manual_seed(613);
        using var model = new ModuleStack(2, 8, 1);
        using var optimizer = optim.Adam(model.parameters(), lr: 0.02);
        using var x = rand(64, 2, dtype: ScalarType.Float64) * 2 - 1;
        using var y = (x[.., 0] * x[.., 1]).unsqueeze(1);

        double Loss() { using (no_grad()) return mse_loss(model.call(x), y).ToDouble(); }
        var first = Loss();
        for (var step = 0; step < 200; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            mse_loss(model.call(x), y).backward();
            optimizer.step();
        }

        Assert.True(Loss() < first * 0.2, $"loss went from {first} to {Loss()}");
    }
}
