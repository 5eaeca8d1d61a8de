using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;
using static Leibniz.Tests.Differentiation.TensorOracle;

namespace Leibniz.Tests.Models;

/// <summary>
/// A <c>[Differentiable] Forward</c> taking several inputs as one tuple: every way a user reaches its gradient —
/// <c>loss.backward()</c>, the tape-free sweep, a descent step, forward mode — against TorchSharp's autograd on the
/// same computation, in float64.
/// </summary>
public sealed class TupleInputModelTests
{
    public TupleInputModelTests() => manual_seed(57);

    static (Tensor Tokens, Tensor Mask) AttentionBatch()
    {
        var tokens = randn(3, 5, 4, dtype: ScalarType.Float64);
        // Every sequence keeps its first position, so no row of the softmax is all masked.
        var mask = rand(3, 5).gt(0.4);
        mask[.., 0] = tensor(true);
        return (tokens, mask);
    }

    static Dictionary<string, Tensor> ParameterGradients(nn.Module model)
        => model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());

    [Fact]
    public void Loss_backward_through_a_tuple_input_matches_autograd_for_the_parameters_and_the_input()
    {
        using var model = new MaskedAttention(4);
        var (tokens, mask) = AttentionBatch();
        using var target = randn(3, 5, 4, dtype: ScalarType.Float64);

        var x = tokens.clone().requires_grad_();
        model.zero_grad();
        mse_loss(model.call((x, mask)), target).backward();
        var generated = ParameterGradients(model);
        var generatedInput = x.grad!.clone();

        var reference = tokens.clone().requires_grad_();
        model.zero_grad();
        mse_loss(model.Reference(reference, mask), target).backward();
        var oracle = ParameterGradients(model);

        Assert.Equal(4, oracle.Count);
        foreach (var (name, expected) in oracle) AssertClose(expected, generated[name], name);
        AssertClose(reference.grad!, generatedInput, "tokens");
    }

    [Fact]
    public void The_tape_free_sweep_returns_each_element_s_gradient_under_its_name_and_none_for_the_mask()
    {
        using var model = new MaskedAttention(4);
        var (tokens, mask) = AttentionBatch();
        using var seed = randn(3, 5, 4, dtype: ScalarType.Float64);

        var reference = tokens.clone().requires_grad_();
        model.zero_grad();
        (model.Reference(reference, mask) * seed).sum().backward();
        var oracle = ParameterGradients(model);

        using var noGrad = no_grad();
        var sweep = model.ForwardWithPullback((tokens, mask));
        AssertClose(model.Reference(tokens, mask), sweep.Output, "output");
        var gradients = sweep.Pullback(seed);
        AssertClose(reference.grad!, gradients.Tokens, "tokens");
        Assert.Null(gradients.Mask);
        AssertClose(oracle["query"], gradients.query, "query");
        AssertClose(oracle["output"], gradients.output, "output weight");

        var skipped = model.ForwardWithPullback((tokens, mask), inputGradient: false).Pullback(seed);
        Assert.Null(skipped.Tokens);
        AssertClose(oracle["key"], skipped.key, "key without the input gradient");
    }

    [Fact]
    public void Both_streams_of_an_unnamed_tuple_get_their_gradients_when_one_is_reassigned()
    {
        using var model = new TwoStreams(3);
        using var first = randn(4, 3, dtype: ScalarType.Float64);
        using var second = randn(4, 3, dtype: ScalarType.Float64);
        using var target = randn(4, 3, dtype: ScalarType.Float64);

        var (a, b) = (first.clone().requires_grad_(), second.clone().requires_grad_());
        model.zero_grad();
        mse_loss(model.call((a, b)), target).backward();
        var generated = ParameterGradients(model);

        var (ra, rb) = (first.clone().requires_grad_(), second.clone().requires_grad_());
        model.zero_grad();
        mse_loss(model.Reference(ra, rb), target).backward();
        var oracle = ParameterGradients(model);

        foreach (var (name, expected) in oracle) AssertClose(expected, generated[name], name);
        AssertClose(ra.grad!, a.grad, "Item1");
        AssertClose(rb.grad!, b.grad, "Item2");

        using var noGrad = no_grad();
        var seed = 2 * (model.Reference(first, second) - target) / target.numel();
        var pulled = model.ForwardWithPullback((first, second)).Pullback(seed);
        AssertClose(ra.grad!, pulled.Item1, "pulled Item1");
        AssertClose(rb.grad!, pulled.Item2, "pulled Item2");
        var skipped = model.ForwardWithPullback((first, second), inputGradient: false).Pullback(seed);
        Assert.Null(skipped.Item1);
        Assert.Null(skipped.Item2);
        AssertClose(oracle["mix"], skipped.mix, "mix without the input gradients");
    }

    [Fact]
    public void Backward_and_Descend_return_the_inputs_gradients_and_update_the_parameters()
    {
        using var model = new TwoStreams(3);
        using var first = randn(4, 3, dtype: ScalarType.Float64);
        using var second = randn(4, 3, dtype: ScalarType.Float64);
        using var seed = randn(4, 3, dtype: ScalarType.Float64);

        var (ra, rb) = (first.clone().requires_grad_(), second.clone().requires_grad_());
        model.zero_grad();
        (model.Reference(ra, rb) * seed).sum().backward();
        var oracle = ParameterGradients(model);

        model.zero_grad();
        var (ga, gb) = model.ForwardWithPullback((first, second)).Backward(seed);
        AssertClose(ra.grad!, ga, "Backward's Item1");
        AssertClose(rb.grad!, gb, "Backward's Item2");
        foreach (var (name, expected) in oracle) AssertClose(expected, ParameterGradients(model)[name], name + " accumulated by Backward");

        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        const double learningRate = 0.1;
        var (da, db) = model.ForwardWithPullback((first, second)).Descend(seed, learningRate);
        AssertClose(ra.grad!, da, "Descend's Item1");
        AssertClose(rb.grad!, db, "Descend's Item2");
        foreach (var (name, parameter) in model.named_parameters())
            AssertClose(before[name] - learningRate * oracle[name], parameter, name + " after one step");
    }

    [Fact]
    public void Inputs_made_inside_a_dispose_scope_that_ends_before_backward_are_kept()
    {
        using var model = new MaskedAttention(4);
        var (tokens, mask) = AttentionBatch();
        using var target = randn(3, 5, 4, dtype: ScalarType.Float64);

        model.zero_grad();
        Tensor loss;
        using (NewDisposeScope())
        {
            // Both elements are scope-owned, as a data loader's batch would be.
            loss = mse_loss(model.call((tokens.mul(1.0), mask.logical_and(mask))), target).MoveToOuterDisposeScope();
        }

        loss.backward();
        var generated = ParameterGradients(model);

        model.zero_grad();
        mse_loss(model.Reference(tokens, mask), target).backward();
        foreach (var (name, expected) in ParameterGradients(model)) AssertClose(expected, generated[name], name);
    }

    [Fact]
    public void A_retained_graph_runs_the_generated_backward_twice()
    {
        using var model = new TwoStreams(3);
        using var first = randn(4, 3, dtype: ScalarType.Float64);
        using var second = randn(4, 3, dtype: ScalarType.Float64);

        model.zero_grad();
        model.call((first, second)).sum().backward();
        var once = ParameterGradients(model);

        model.zero_grad();
        var loss = model.call((first, second)).sum();
        loss.backward(retain_graph: true);
        loss.backward();
        foreach (var (name, parameter) in model.named_parameters()) AssertClose(2 * once[name], parameter.grad, name);
    }

    [Fact]
    public void Forward_mode_takes_the_elements_one_by_one_and_matches_central_differences()
    {
        using var model = new TwoStreams(3);
        using var first = randn(4, 3, dtype: ScalarType.Float64);
        using var second = randn(4, 3, dtype: ScalarType.Float64);
        var parameters = model.parameters().Select(p => p.detach()).ToArray();
        var directions = parameters.Select(p => randn_like(p)).ToArray();
        using var dFirst = randn_like(first);
        using var dSecond = randn_like(second);
        using var noGrad = no_grad();

        var jvp = model.ForwardJacobianVectorProduct(first, second, dFirst, dSecond, directions);

        const double h = 1e-6;
        Tensor Shifted(double sign)
        {
            using var moved = no_grad();
            for (var i = 0; i < parameters.Length; i++) parameters[i].add_(directions[i], alpha: sign * h);
            var value = model.Reference(first + sign * h * dFirst, second + sign * h * dSecond);
            for (var i = 0; i < parameters.Length; i++) parameters[i].add_(directions[i], alpha: -sign * h);
            return value;
        }

        var central = (Shifted(1) - Shifted(-1)) / (2 * h);
        Assert.True(central.allclose(jvp, rtol: 1e-6, atol: 1e-8), $"largest difference {(central - jvp).abs().max().ToDouble():E2}");
    }

    [Fact]
    public void The_Gauss_Newton_product_of_a_tuple_model_is_J_transposed_times_the_loss_curvature_times_J()
    {
        using var model = new MaskedAttention(4);
        var (tokens, mask) = AttentionBatch();
        var parameters = model.parameters().ToArray();
        var directions = parameters.Select(p => randn_like(p)).ToArray();

        // For ℓ = ‖f‖², H_ℓ = 2I: G·v = 2 Jᵀ(J·v), J·v from the generated tangent, Jᵀ from the tape.
        Tensor jv;
        using (no_grad()) jv = model.ForwardJacobianVectorProduct(tokens, mask, zeros_like(tokens), zeros_like(mask), directions);
        model.zero_grad();
        (model.Reference(tokens, mask) * (2 * jv)).sum().backward();
        var expected = parameters.Select(p => p.grad!.detach().clone()).ToArray();

        var product = model.ForwardGaussNewtonProduct((tokens, mask), directions, (_, u) => 2 * u);
        Assert.Equal(expected.Length, product.Length);
        for (var i = 0; i < expected.Length; i++) AssertClose(expected[i], product[i], $"parameter {i}");
    }
}
