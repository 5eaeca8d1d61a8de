using System.Reflection;
using Leibniz.Fuzzing.Tests.Scalar;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Fuzzing.Tests.TensorPrograms;

/// <summary>
/// The oracles for one compiled chain, all TorchSharp autograd on the user's own method <c>F</c> run over leaves that
/// require grad, in float64: the value; the generated gradient (<c>FWithGradient</c>) and the pullback's accumulation
/// (<c>FPullback</c>) against <c>autograd.grad</c>; the generated tangent (<c>FTangent</c>) against the double-vjp JVP
/// (the gradient of ⟨∂f/∂x·u, v⟩ with respect to a dummy cotangent u); the generated H·v against double backward
/// (the gradient of ⟨∇f, v⟩). The inputs must come back unchanged.
/// </summary>
internal static class TensorProgramCheck
{
    const double GradientTolerance = 1e-10;
    const double SecondOrderTolerance = 1e-9;

    public static CheckResult Run(TensorProgram program, Type type)
    {
        using var scope = NewDisposeScope();
        try
        {
            return Check(program, type);
        }
        catch (Exception e)
        {
            var inner = e is TargetInvocationException { InnerException: { } i } ? i : e;
            return new CheckResult(Verdict.Failed, "threw " + inner.GetType().Name + ": " + inner.Message.Split('\n')[0] + "\n" + inner.StackTrace);
        }
    }

    static CheckResult Check(TensorProgram program, Type type)
    {
        MethodInfo? Find(string name) => type.GetMethod(name, BindingFlags.Public | BindingFlags.Static);
        MethodInfo Method(string name) => Find(name) ?? throw new InvalidOperationException($"the generated member {type.Name}.{name} is missing");
        var function = Method("F");
        var withGradient = Method("FWithGradient");
        var pullback = Method("FPullback");
        var tangent = Method("FTangent");
        var jacobianVectorProduct = Find("FJacobianVectorProduct");
        var hessianVectorProduct = Method("FHessianVectorProduct");

        manual_seed(Infrastructure.StableHash.Of(program.Seed));
        var count = program.Tensors.Count;
        var inputs = program.Tensors.Select(p => randn(p.Shape, dtype: ScalarType.Float64)).ToArray();
        var snapshots = inputs.Select(x => x.clone()).ToArray();
        var directions = inputs.Select(x => randn_like(x)).ToArray();
        object?[] Primals(IEnumerable<Tensor> tensors) => tensors.Cast<object?>().Concat(program.IntParameter is null ? Array.Empty<object?>() : new object?[] { program.IntArgument }).ToArray();

        Tensor value;
        using (no_grad()) value = (Tensor)function.Invoke(null, Primals(inputs))!;
        if (!IsFinite(value)) return new CheckResult(Verdict.Inconclusive, "the value is not finite");

        // Autograd on the user's method itself.
        var leaves = inputs.Select(x => x.detach().clone().requires_grad_()).ToArray();
        var output = (Tensor)function.Invoke(null, Primals(leaves))!;
        if (!output.requires_grad) return new CheckResult(Verdict.Failed, "the function's output does not depend on its inputs (a fuzzer bug)");
        // A tensor-valued F: WithGradient and H·v seed ones (the gradient of the output's sum); the pullback takes a random seed.
        var ones = ones_like(output);
        var gradients = Used(torch.autograd.grad(new[] { output }, leaves, grad_outputs: new[] { ones }, retain_graph: true, create_graph: true, allow_unused: true));
        if (gradients.Any(g => g is not null && !IsFinite(g))) return new CheckResult(Verdict.Inconclusive, "autograd's gradient is not finite");

        // Reverse mode: WithGradient.
        var arguments = Primals(inputs).Concat(new object?[count]).ToArray();
        var generatedValue = (Tensor)withGradient.Invoke(null, arguments)!;
        if (Differs(value, generatedValue, 1e-12) is { } valueDifference)
            return new CheckResult(Verdict.Failed, $"WithGradient returns a value differing from the function's: {valueDifference}");
        var offset = arguments.Length - count;
        for (var i = 0; i < count; i++)
        {
            if (Differs(gradients[i], (Tensor?)arguments[offset + i], inputs[i], GradientTolerance) is { } difference)
                return new CheckResult(Verdict.Failed, $"the gradient of {program.Tensors[i].Name} differs from autograd's: {difference}");
        }

        // The pullback adds the seed's vector–Jacobian product to the adjoints it is handed.
        var seed = program.ReturnsTensor ? randn_like(output).detach() : tensor(2.5, dtype: ScalarType.Float64);
        var seeded = Used(torch.autograd.grad(new[] { output }, leaves, grad_outputs: new[] { seed }, retain_graph: true, allow_unused: true));
        var initial = inputs.Select(x => full_like(x, 0.75)).ToArray();
        var pullbackArguments = Primals(inputs).Append(seed).Concat(initial).ToArray();
        var pulledValue = (Tensor)pullback.Invoke(null, pullbackArguments)!;
        if (Differs(value, pulledValue, 1e-12) is { } pulledDifference)
            return new CheckResult(Verdict.Failed, $"the pullback returns a value differing from the function's: {pulledDifference}");
        offset = pullbackArguments.Length - count;
        for (var i = 0; i < count; i++)
        {
            var expected = 0.75 + (seeded[i] ?? zeros_like(inputs[i]));
            if (Differs(expected.detach(), (Tensor?)pullbackArguments[offset + i], inputs[i], GradientTolerance) is { } difference)
                return new CheckResult(Verdict.Failed, $"a seeded pullback into adjoints holding 0.75 gives the wrong adjoint for {program.Tensors[i].Name}: {difference}");
        }

        // Forward mode against the double-vjp JVP: u ↦ ⟨Jᵀu, v⟩ is linear in u, and its gradient is J·v.
        var dummy = zeros_like(output).requires_grad_();
        var transposed = Used(torch.autograd.grad(new[] { output }, leaves, grad_outputs: new[] { dummy }, retain_graph: true, create_graph: true, allow_unused: true));
        var linear = Dot(transposed, directions);
        var jvp = linear.requires_grad
            ? Used(torch.autograd.grad(new[] { linear }, new[] { dummy }, retain_graph: true, allow_unused: true))[0] ?? zeros_like(output)
            : zeros_like(output);
        var tangentArguments = Primals(inputs).Concat(directions).Append(null).ToArray();
        var tangentValue = (Tensor)tangent.Invoke(null, tangentArguments)!;
        if (Differs(value, tangentValue, 1e-12) is { } tangentValueDifference)
            return new CheckResult(Verdict.Failed, $"the tangent returns a value differing from the function's: {tangentValueDifference}");
        if (Differs(jvp.detach(), (Tensor?)tangentArguments[^1], value, GradientTolerance) is { } tangentDifference)
            return new CheckResult(Verdict.Failed, $"the tangent differs from autograd's double-vjp J·v: {tangentDifference}");
        if (jacobianVectorProduct is not null)
        {
            var product = (Tensor?)jacobianVectorProduct.Invoke(null, Primals(inputs).Concat(directions).ToArray());
            if (Differs(jvp.detach(), product, value, GradientTolerance) is { } productDifference)
                return new CheckResult(Verdict.Failed, $"JacobianVectorProduct differs from autograd's double-vjp J·v: {productDifference}");
        }

        // H·v against double backward: the gradient of ⟨∇f, v⟩.
        var curvature = Dot(gradients, directions);
        var hessianVector = curvature.requires_grad
            ? Used(torch.autograd.grad(new[] { curvature }, leaves, retain_graph: true, allow_unused: true))
            : new Tensor?[count];
        var productArguments = Primals(inputs).Concat(directions).Concat(new object?[2 * count]).ToArray();
        var directional = hessianVectorProduct.Invoke(null, productArguments) as Tensor;
        if (directional is not null && Differs(jvp.detach(), directional, value, GradientTolerance) is { } directionalDifference)
            return new CheckResult(Verdict.Failed, $"the Hessian-vector product returns J·v differing from autograd's: {directionalDifference}");
        offset = productArguments.Length - 2 * count;
        for (var i = 0; i < count; i++)
        {
            if (Differs(gradients[i], (Tensor?)productArguments[offset + i], inputs[i], GradientTolerance) is { } difference)
                return new CheckResult(Verdict.Failed, $"the Hessian-vector product's gradient of {program.Tensors[i].Name} differs from autograd's: {difference}");
            if (Differs(hessianVector[i], (Tensor?)productArguments[offset + count + i], inputs[i], SecondOrderTolerance) is { } hvDifference)
                return new CheckResult(Verdict.Failed, $"(H·v) for {program.Tensors[i].Name} differs from autograd's double backward: {hvDifference}");
        }

        for (var i = 0; i < count; i++)
        {
            if (!inputs[i].eq(snapshots[i]).all().ToBoolean())
                return new CheckResult(Verdict.Failed, $"the generated code changed the input {program.Tensors[i].Name} in place");
        }

        return CheckResult.Passed;
    }

    /// <summary>TorchSharp answers an unused input with an empty tensor handle; here it is null, like a generated gradient.</summary>
    internal static Tensor?[] Used(IList<Tensor> gradients) => gradients.Select(g => g is null || g.IsInvalid ? null : g).ToArray();

    static Tensor Dot(IList<Tensor?> gradients, Tensor[] directions)
    {
        var total = tensor(0.0, dtype: ScalarType.Float64);
        for (var i = 0; i < directions.Length; i++)
            if (gradients[i] is { } g) total = total + (g * directions[i]).sum();
        return total;
    }

    static bool IsFinite(Tensor t) => t.isfinite().all().ToBoolean();

    static string? Differs(Tensor expected, Tensor actual, double relative) => Differs(expected, actual, expected, relative);

    /// <summary>Null when <paramref name="actual"/> matches; a missing derivative (null) stands for zeros shaped like <paramref name="like"/>.</summary>
    internal static string? Differs(Tensor? expected, Tensor? actual, Tensor like, double relative)
    {
        var e = (expected ?? zeros_like(like)).detach();
        var a = (actual ?? zeros_like(like)).detach();
        if (!e.shape.SequenceEqual(a.shape))
            return $"shape [{string.Join(", ", a.shape)}] where [{string.Join(", ", e.shape)}] was expected";
        if (a.dtype != e.dtype) return $"dtype {a.dtype} where {e.dtype} was expected";
        if (e.numel() == 0) return null;
        var scale = Math.Max(1, e.abs().max().ToDouble());
        var difference = (e - a).abs().max().ToDouble();
        if (e.allclose(a, rtol: relative, atol: relative * scale) && !double.IsNaN(difference)) return null;
        return $"largest difference {difference:E2} (largest expected magnitude {scale:E2}); expected {Show(e)}, got {Show(a)}";
    }

    static string Show(Tensor t)
    {
        var values = t.flatten().data<double>().Take(6).Select(v => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture));
        return "[" + string.Join(", ", values) + (t.numel() > 6 ? ", …" : "") + "]";
    }

}
