using Leibniz.Curvature;
using Leibniz.Generated;
using TorchSharp;
using static Leibniz.Tests.Differentiation.TensorForwardModeChecks;
using static TorchSharp.torch;

namespace Leibniz.Tests.Models;

/// <summary>
/// Forward mode through models calling models: the generated tangent over the input and every parameter of the
/// composite (the called models' included, recursively), its Hessian–vector product and its Gauss–Newton product,
/// in float64, against TorchSharp's tape on a plain reference and against differences of the generated code.
/// </summary>
public sealed class ComposedCurvatureTests
{
    public ComposedCurvatureTests() => manual_seed(53);

    /// <summary>The composite under test, its input, and the reference computation on parameters by name.</summary>
    public sealed record Composite(string Name, Func<nn.Module> Create, Func<Tensor, IReadOnlyDictionary<string, Tensor>, Tensor> Reference, long[] Input, long Outputs)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<string> Composites => new() { "two levels", "three levels, one model called twice" };

    static Composite Of(string name) => name switch
    {
        "two levels" => new Composite(name, () => new CurvaturePair(3, 4, 2), (x, p) => CurvaturePair.Reference(x, p, ""), new long[] { 5, 3 }, 2),
        _ => new Composite(name, () => new CurvatureTower(3, 4), (x, p) => CurvatureTower.Reference(x, p, ""), new long[] { 4, 3 }, 3),
    };

    static Tensor Tangent(nn.Module model, Tensor x, Tensor dx, IReadOnlyList<Tensor> v, out Tensor tangent) => model switch
    {
        CurvaturePair pair => pair.ForwardTangent(x, dx, v, out tangent),
        CurvatureTower tower => tower.ForwardTangent(x, dx, v, out tangent),
        _ => throw new ArgumentException(model.GetType().Name),
    };

    static Tensor HessianVectorProduct(nn.Module model, Tensor x, Tensor vx, IReadOnlyList<Tensor> v, out Tensor gx, out Tensor[] g, out Tensor hx, out Tensor[] h) => model switch
    {
        CurvaturePair pair => pair.ForwardHessianVectorProduct(x, vx, v, out gx, out g, out hx, out h),
        CurvatureTower tower => tower.ForwardHessianVectorProduct(x, vx, v, out gx, out g, out hx, out h),
        _ => throw new ArgumentException(model.GetType().Name),
    };

    static Tensor[] GaussNewtonProduct(nn.Module model, Tensor x, IReadOnlyList<Tensor> v, LossHessianProduct loss) => model switch
    {
        CurvaturePair pair => pair.ForwardGaussNewtonProduct(x, v, loss),
        CurvatureTower tower => tower.ForwardGaussNewtonProduct(x, v, loss),
        _ => throw new ArgumentException(model.GetType().Name),
    };

    static Tensor[] LossHessianVectorProduct(nn.Module model, Tensor x, IReadOnlyList<Tensor> v, Func<Tensor, Tensor> gradient, LossHessianProduct loss) => model switch
    {
        CurvaturePair pair => pair.ForwardLossHessianVectorProduct(x, v, gradient, loss),
        CurvatureTower tower => tower.ForwardLossHessianVectorProduct(x, v, gradient, loss),
        _ => throw new ArgumentException(model.GetType().Name),
    };

    [Theory]
    [MemberData(nameof(Composites))]
    public void A_loss_s_Hessian_over_every_parameter_of_a_composite_is_the_tape_s_double_backward(string name)
    {
        var c = Of(name);
        using var model = c.Create();
        var x = randn(c.Input, dtype: ScalarType.Float64);
        var target = randn(c.Input[0], c.Outputs, dtype: ScalarType.Float64);
        var (names, weights) = Parameters(model);
        var v = weights.Select(w => randn_like(w)).ToArray();

        // ℓ(f) = Σ softplus(f)·y: a gradient that depends on f, so the network's own curvature term is not zero.
        var generated = LossHessianVectorProduct(model, x, v,
            output => nn.functional.sigmoid(output) * target,
            (output, direction) => nn.functional.sigmoid(output) * (1 - nn.functional.sigmoid(output)) * target * direction);

        var leaves = weights.Select(w => w.clone().requires_grad_()).ToArray();
        var loss = (nn.functional.softplus(c.Reference(x, ByName(names, leaves))) * target).sum();
        var gradients = torch.autograd.grad(new[] { loss }, leaves, retain_graph: true, create_graph: true);
        var dot = gradients.Zip(v, (g, d) => (g * d).sum()).Aggregate((a, b) => a + b);
        var expected = torch.autograd.grad(new[] { dot }, leaves, allow_unused: true);
        for (var k = 0; k < leaves.Length; k++)
            AssertTensorClose(expected[k] is null || expected[k].IsInvalid ? zeros_like(leaves[k]) : expected[k], generated[k], leaves[k], 1e-10, $"∇²ℓ·v, {names[k]}");
    }

    /// <summary>The summed output's gradient over the input and every parameter, by the generated reverse sweep.</summary>
    static Tensor[] GeneratedGradient(nn.Module model, Tensor x)
    {
        using var noGrad = no_grad();
        var all = new ModelGradients();
        Tensor? gx;
        switch (model)
        {
            case CurvaturePair pair:
            {
                var sweep = pair.ForwardWithPullback(x);
                gx = sweep.PullbackInto(ones_like(sweep.Output), all);
                break;
            }

            case CurvatureTower tower:
            {
                var sweep = tower.ForwardWithPullback(x);
                gx = sweep.PullbackInto(ones_like(sweep.Output), all);
                break;
            }

            default:
                throw new ArgumentException(model.GetType().Name);
        }

        return new[] { gx! }.Concat(ParameterDirections.InOrder(model, all)).ToArray();
    }

    static (string[] Names, Tensor[] Values) Parameters(nn.Module model)
    {
        var named = model.named_parameters().ToList();
        return (named.Select(p => p.name).ToArray(), named.Select(p => p.parameter.detach().clone()).ToArray());
    }

    static Dictionary<string, Tensor> ByName(string[] names, IReadOnlyList<Tensor> values)
        => names.Select((n, i) => (n, values[i])).ToDictionary(p => p.n, p => p.Item2);

    static double Dot(IEnumerable<Tensor> a, IEnumerable<Tensor> b) => a.Zip(b, (p, q) => (p * q).sum().ToDouble()).Sum();

    [Theory]
    [MemberData(nameof(Composites))]
    public void The_tangent_of_a_composite_over_its_input_and_every_parameter_matches_the_tape_and_differences(string name)
    {
        var c = Of(name);
        using var model = c.Create();
        var x = Leaf(c.Input);
        var (names, weights) = Parameters(model);
        Assert.Contains(names, n => n.Contains('.'));  // the called models' parameters are in the direction
        var dx = randn_like(x);
        var v = weights.Select(w => randn_like(w)).ToArray();

        var value = Tangent(model, x, dx, v, out var tangent);
        Assert.True(value.allclose(c.Reference(x, ByName(names, weights)), rtol: 1e-14, atol: 1e-15));

        // J·v on the tape: the derivative of a vector–Jacobian product in its seed.
        var leaves = new[] { x }.Concat(weights).Select(t => t.clone().requires_grad_()).ToArray();
        var output = c.Reference(leaves[0], ByName(names, leaves.Skip(1).ToArray()));
        var u = zeros_like(output).requires_grad_();
        var vjp = torch.autograd.grad(new[] { output }, leaves, new[] { u }, create_graph: true);
        var inner = vjp.Zip(new[] { dx }.Concat(v), (g, d) => (g * d).sum()).Aggregate((a, b) => a + b);
        AssertTensorClose(torch.autograd.grad(new[] { inner }, new[] { u })[0], tangent, tangent, 1e-10, "J·v against the tape");

        // The 4-point central difference of the reference along the direction.
        const double h = 1e-3;
        Tensor At(double t) => c.Reference(x + t * dx, ByName(names, weights.Zip(v, (w, d) => w + t * d).ToArray()));
        var difference = (At(-2 * h) - 8 * At(-h) + 8 * At(h) - At(2 * h)) / (12 * h);
        // The tape above is the exact oracle; the difference is an independent but approximate one. xUnit runs test classes
        // in parallel on TorchSharp's one global generator, so the draws here vary between runs, and with them how close a
        // 4-point difference at h = 1e-3 comes through three levels of tanh (6e-9 relative at worst seen).
        AssertTensorClose(difference, tangent, tangent, 1e-7, "J·v against central differences");
    }

    [Theory]
    [MemberData(nameof(Composites))]
    public void The_Hessian_vector_product_of_a_composite_matches_double_backward_and_differences_of_its_generated_gradient(string name)
    {
        var c = Of(name);
        using var model = c.Create();
        var x = Leaf(c.Input);
        var (names, weights) = Parameters(model);
        var vx = randn_like(x);
        var v = weights.Select(w => randn_like(w)).ToArray();

        HessianVectorProduct(model, x, vx, v, out var gx, out var g, out var hx, out var hv);
        var generatedGradient = new[] { gx }.Concat(g).ToArray();
        var generated = new[] { hx }.Concat(hv).ToArray();
        Assert.Equal(weights.Length, hv.Length);

        var leaves = new[] { x }.Concat(weights).Select(t => t.clone().requires_grad_()).ToArray();
        var sum = c.Reference(leaves[0], ByName(names, leaves.Skip(1).ToArray())).sum();
        var gradients = torch.autograd.grad(new[] { sum }, leaves, retain_graph: true, create_graph: true);
        var directional = gradients.Zip(new[] { vx }.Concat(v), (a, d) => (a * d).sum()).Aggregate((a, b) => a + b);
        var expected = Used(torch.autograd.grad(new[] { directional }, leaves, allow_unused: true));
        for (var i = 0; i < leaves.Length; i++)
        {
            AssertTensorClose(gradients[i], generatedGradient[i], leaves[i], 1e-12, $"gradient {i}");
            AssertTensorClose(expected[i], generated[i], leaves[i], 1e-10, $"(H·v)[{i}] against double backward");
        }

        // Independent of the tape: the 4-point difference of the generated reverse sweep's gradient along v.
        const double h = 1e-3;
        var parameters = model.named_parameters().Select(p => p.parameter).ToArray();
        Tensor[] GradientAt(double t)
        {
            using (no_grad())
            {
                for (var i = 0; i < parameters.Length; i++) parameters[i].copy_(weights[i] + t * v[i]);
            }

            return GeneratedGradient(model, x + t * vx);
        }

        var (m2, m1, p1, p2) = (GradientAt(-2 * h), GradientAt(-h), GradientAt(h), GradientAt(2 * h));
        GradientAt(0);
        for (var i = 0; i < leaves.Length; i++)
        {
            var difference = (m2[i] - 8 * m1[i] + 8 * p1[i] - p2[i]) / (12 * h);
            AssertTensorClose(difference, generated[i], leaves[i], 1e-7, $"(H·v)[{i}] against differences of the generated gradient");
        }

        // Symmetric: ⟨u, H·v⟩ = ⟨H·u, v⟩.
        var ux = randn_like(x);
        var u = weights.Select(w => randn_like(w)).ToArray();
        HessianVectorProduct(model, x, ux, u, out _, out _, out var hux, out var hu);
        var left = Dot(new[] { ux }.Concat(u), generated);
        var right = Dot(new[] { hux }.Concat(hu), new[] { vx }.Concat(v));
        Assert.True(Math.Abs(left - right) <= 1e-10 * Math.Max(1, Math.Abs(left)), $"⟨u, Hv⟩ = {left}, ⟨Hu, v⟩ = {right}");
    }

    /// <summary>G·v on the tape, independent of the generated code: J·v as the derivative of a vector–Jacobian product in its seed, H_ℓ by double backward of the loss, Jᵀ by backward.</summary>
    static Tensor[] TapeGaussNewtonProduct(Composite c, Tensor x, string[] names, Tensor[] weights, IReadOnlyList<Tensor> v, Func<Tensor, Tensor> loss)
    {
        var leaves = weights.Select(t => t.clone().requires_grad_()).ToArray();
        var output = c.Reference(x, ByName(names, leaves));
        var u = zeros_like(output).requires_grad_();
        var vjp = torch.autograd.grad(new[] { output }, leaves, new[] { u }, retain_graph: true, create_graph: true);
        var jv = torch.autograd.grad(new[] { vjp.Zip(v, (g, d) => (g * d).sum()).Aggregate((a, b) => a + b) }, new[] { u })[0];
        var z = output.detach().clone().requires_grad_();
        var lossGradient = torch.autograd.grad(new[] { loss(z) }, new[] { z }, retain_graph: true, create_graph: true)[0];
        var hjv = torch.autograd.grad(new[] { (lossGradient * jv).sum() }, new[] { z })[0];
        return torch.autograd.grad(new[] { output }, leaves, new[] { hjv }).ToArray();
    }

    [Theory]
    [MemberData(nameof(Composites))]
    public void The_Gauss_Newton_product_of_a_composite_over_every_parameter_is_J_transpose_H_loss_J_built_on_the_tape(string name)
    {
        var c = Of(name);
        using var model = c.Create();
        var x = Leaf(c.Input);
        var (names, weights) = Parameters(model);
        var batch = c.Input[0];
        using var target = randint(c.Outputs, new[] { batch }, dtype: ScalarType.Int64);
        var regression = Leaf(batch, c.Outputs);
        var v = weights.Select(w => randn_like(w)).ToArray();

        var cases = new (string Loss, LossHessianProduct Generated, Func<Tensor, Tensor> Tape)[]
        {
            ("cross-entropy", LossCurvature.CrossEntropy(target), z => nn.functional.cross_entropy(z, target)),
            ("squared error", LossCurvature.MeanSquaredError(), z => nn.functional.mse_loss(z, regression)),
        };
        foreach (var (loss, generatedLoss, tapeLoss) in cases)
        {
            var generated = GaussNewtonProduct(model, x, v, generatedLoss);
            var expected = TapeGaussNewtonProduct(c, x, names, weights, v, tapeLoss);
            Assert.Equal(expected.Length, generated.Length);
            for (var i = 0; i < expected.Length; i++)
                AssertTensorClose(expected[i], generated[i], expected[i], 1e-10, $"{loss}: (G·v)[{i}] ({names[i]})");
            Assert.True(Dot(generated, v) >= -1e-12, $"{loss}: vᵀG·v = {Dot(generated, v)} must be ≥ 0");
        }
    }

    [Fact]
    public void Lanczos_on_a_composites_Gauss_Newton_operator_over_all_its_parameters_matches_the_explicit_matrix()
    {
        var c = Of("three levels, one model called twice");
        using var model = (CurvatureTower)c.Create();
        var x = Leaf(c.Input);
        var (names, weights) = Parameters(model);
        using var target = randint(c.Outputs, new[] { c.Input[0] }, dtype: ScalarType.Int64);
        var layout = ParameterLayout.Of(model);
        Assert.Equal(weights.Sum(w => w.numel()), layout.Dimension);
        var curvature = LossCurvature.CrossEntropy(target);
        var op = SymmetricOperator.OverParameters(layout, v => model.ForwardGaussNewtonProduct(x, v, curvature));

        var n = (int)layout.Dimension;
        var columns = new List<Tensor>();
        for (var j = 0; j < n; j++)
        {
            var unit = zeros(n, dtype: ScalarType.Float64);
            unit[j] = 1.0;
            columns.Add(layout.Flatten(TapeGaussNewtonProduct(c, x, names, weights, layout.Unflatten(unit), z => nn.functional.cross_entropy(z, target))));
        }

        var eigenvalues = linalg.eigvalsh(stack(columns, 1)).data<double>().ToArray();
        using var largest = Lanczos.Eigenpairs(op, new LanczosOptions { Count = 2, Which = SpectrumEnd.Largest });
        Assert.Equal(eigenvalues[^1], largest.Eigenvalues[0], 8);
        Assert.Equal(eigenvalues[^2], largest.Eigenvalues[1], 8);
    }

    [Fact]
    public void A_frozen_called_model_contributes_no_derivative_to_the_composites_products()
    {
        using var model = new CurvatureWithFrozen(3);
        var x = Leaf(4, 3);
        var (names, weights) = Parameters(model);
        var frozen = names.Select((n, i) => (n, i)).Where(p => p.n.StartsWith("frozen.", StringComparison.Ordinal)).Select(p => p.i).ToHashSet();
        Assert.Equal(2, frozen.Count);
        var vx = randn_like(x);
        var v = weights.Select(w => randn_like(w)).ToArray();

        model.ForwardHessianVectorProduct(x, vx, v, out var gx, out var g, out var hx, out var hv);
        model.ForwardTangent(x, vx, v, out var tangent);

        // The tape over the reference, the frozen part detached: only the input and the live parameters vary.
        var live = Enumerable.Range(0, weights.Length).Where(i => !frozen.Contains(i)).ToArray();
        var leaves = new[] { x.clone().requires_grad_() }.Concat(live.Select(i => weights[i].clone().requires_grad_())).ToArray();
        var values = (Tensor[])weights.Clone();
        for (var k = 0; k < live.Length; k++) values[live[k]] = leaves[k + 1];
        var output = CurvatureWithFrozen.Reference(leaves[0], ByName(names, values));
        var directions = new[] { vx }.Concat(live.Select(i => v[i])).ToArray();
        var gradients = torch.autograd.grad(new[] { output.sum() }, leaves, retain_graph: true, create_graph: true);
        var expected = torch.autograd.grad(new[] { gradients.Zip(directions, (a, d) => (a * d).sum()).Aggregate((a, b) => a + b) }, leaves, retain_graph: true);
        AssertTensorClose(expected[0], hx, x, 1e-10, "(H·v) in x");
        AssertTensorClose(gradients[0], gx, x, 1e-12, "gradient in x");
        for (var k = 0; k < live.Length; k++)
        {
            AssertTensorClose(expected[k + 1], hv[live[k]], weights[live[k]], 1e-10, $"(H·v) in {names[live[k]]}");
            AssertTensorClose(gradients[k + 1], g[live[k]], weights[live[k]], 1e-12, $"gradient in {names[live[k]]}");
        }

        foreach (var i in frozen)
        {
            Assert.Equal(0.0, hv[i].abs().max().ToDouble());
            Assert.Equal(0.0, g[i].abs().max().ToDouble());
        }

        var u = zeros_like(output).requires_grad_();
        var vjp = torch.autograd.grad(new[] { output }, leaves, new[] { u }, create_graph: true);
        var jv = torch.autograd.grad(new[] { vjp.Zip(directions, (a, d) => (a * d).sum()).Aggregate((a, b) => a + b) }, new[] { u })[0];
        AssertTensorClose(jv, tangent, tangent, 1e-10, "J·v");

        var gn = model.ForwardGaussNewtonProduct(x, v, LossCurvature.MeanSquaredError());
        foreach (var i in frozen) Assert.Equal(0.0, gn[i].abs().max().ToDouble());
    }

    [Fact]
    public void A_flat_models_parameter_list_overloads_agree_with_its_per_field_methods()
    {
        using var model = new CurvatureMlp(3, 4, 2);
        var x = Leaf(5, 3);
        var weights = model.Weights();
        var vx = randn_like(x);
        var v = weights.Select(w => randn_like(w)).ToArray();

        model.ForwardTangent(x, vx, v[0], v[1], v[2], v[3], out var perField);
        model.ForwardTangent(x, vx, v, out var listed);
        AssertTensorClose(perField, listed, perField, 1e-15, "tangent");

        model.ForwardHessianVectorProduct(x, vx, v[0], v[1], v[2], v[3], out _, out var g1, out _, out _, out _, out var hx, out var h1, out var h2, out var h3, out var h4);
        model.ForwardHessianVectorProduct(x, vx, v, out _, out var g, out var hxListed, out var h);
        AssertTensorClose(hx, hxListed, x, 1e-15, "H·v in x");
        AssertTensorClose(g1, g[0], weights[0], 1e-15, "gradient in w1");
        foreach (var (a, b, i) in new[] { (h1, h[0], 0), (h2, h[1], 1), (h3, h[2], 2), (h4, h[3], 3) })
            AssertTensorClose(a, b, weights[i], 1e-15, $"H·v in parameter {i}");

        var (gw1, gb1, gw2, gb2) = model.ForwardGaussNewtonProduct(x, v[0], v[1], v[2], v[3], LossCurvature.MeanSquaredError());
        var gn = model.ForwardGaussNewtonProduct(x, v, LossCurvature.MeanSquaredError());
        foreach (var (a, b, i) in new[] { (gw1, gn[0], 0), (gb1, gn[1], 1), (gw2, gn[2], 2), (gb2, gn[3], 3) })
            AssertTensorClose(a, b, weights[i], 1e-15, $"G·v in parameter {i}");
    }

    [Fact]
    public void Wrong_directions_at_a_composites_entry_points_throw_argument_exceptions_naming_the_value_and_the_remedy()
    {
        using var model = new CurvatureTower(3, 4);
        var x = Leaf(4, 3);
        var weights = Parameters(model).Values;
        var v = weights.Select(w => randn_like(w)).ToArray();

        var tooFew = Assert.ThrowsAny<ArgumentException>(() => model.ForwardTangent(x, randn_like(x), v.Skip(1).ToArray(), out _));
        Assert.Contains("parameterDirections", tooFew.Message);
        Assert.Contains($"has {v.Length - 1} tensors but the model has {v.Length} parameters", tooFew.Message);
        Assert.Contains("ParameterLayout", tooFew.Message);

        var misshapen = (Tensor[])v.Clone();
        misshapen[3] = randn(7, dtype: ScalarType.Float64);
        var shape = Assert.ThrowsAny<ArgumentException>(() => model.ForwardGaussNewtonProduct(x, misshapen, LossCurvature.MeanSquaredError()));
        Assert.Contains("parameterDirections[3]", shape.Message);
        Assert.Contains(model.named_parameters().ElementAt(3).name, shape.Message);
        Assert.Contains("zeros_like", shape.Message);

        var input = Assert.ThrowsAny<ArgumentException>(() => model.ForwardHessianVectorProduct(x, randn(2, 3, dtype: ScalarType.Float64), v, out _, out _, out _, out _));
        Assert.Contains("vx", input.Message);
        Assert.Contains("shape", input.Message);

        var missing = Assert.ThrowsAny<ArgumentException>(() => model.ForwardHessianVectorProduct(x, randn_like(x), null!, out _, out _, out _, out _));
        Assert.Contains("parameterDirections", missing.Message);

        var wrongDtype = v.Select(t => t.to(ScalarType.Float32)).ToArray();
        var dtype = Assert.ThrowsAny<ArgumentException>(() => model.ForwardTangent(x, randn_like(x), wrongDtype, out _));
        Assert.Contains("parameterDirections[0]", dtype.Message);
        Assert.Contains("dtype", dtype.Message);
    }
}
