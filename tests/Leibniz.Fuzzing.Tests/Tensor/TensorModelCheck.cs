using System.Reflection;
using Leibniz;
using System.Runtime.CompilerServices;
using Leibniz.Fuzzing.Tests.Scalar;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Fuzzing.Tests.TensorPrograms;

/// <summary>
/// The oracles for one compiled model, each against autograd through the model's <c>Reference</c> (the same body, not
/// generated): <c>loss.backward()</c> through <c>model.call</c> (the generated backward under autograd) for every
/// parameter and input; the sweep's <c>Pullback</c>; <c>Backward</c> accumulating into <c>.grad</c> over two calls;
/// <c>Descend</c> leaving each parameter at p − lr·∂p.
/// </summary>
internal static class TensorModelCheck
{
    // Not exact in float32, as addmm_'s scale is: a float64 step must still be lr·∂p to double precision.
    const double LearningRate = 0.1;
    const double Tolerance = 1e-10;

    public static CheckResult Run(TensorModel program, Type type)
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

    static CheckResult Check(TensorModel program, Type type)
    {
        manual_seed(Infrastructure.StableHash.Of(program.Seed));
        using var model = (nn.Module)Activator.CreateInstance(type)!;
        var reference = type.GetMethod("Reference")!;
        var forwardWithPullback = type.GetMethod("ForwardWithPullback") ?? throw new InvalidOperationException("the generated member ForwardWithPullback is missing");
        var x = randn(program.InputShape, dtype: ScalarType.Float64).requires_grad_();
        // A gated model's inputs are the tuple (x, gate): each has a gradient, reported in that order.
        var gate = program.GatedInput ? randn(program.InputShape, dtype: ScalarType.Float64).requires_grad_() : null;
        var inputs = gate is null ? new[] { ("x", x) } : new[] { ("x", x), ("Gate", gate) };
        object Input(bool detached) => gate is null ? (detached ? x.detach() : x) : detached ? (x.detach(), gate.detach()) : (x, gate);
        Tensor CallModel() => gate is null ? ((nn.Module<Tensor, Tensor>)model).call(x) : ((nn.Module<(Tensor, Tensor), Tensor>)model).call((x, gate));
        var seed = randn(program.OutputShape, dtype: ScalarType.Float64);
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var names = program.Parameters.Select(p => p.Name).ToList();
        if (!names.All(parameters.ContainsKey) || parameters.Count != names.Count)
            return new CheckResult(Verdict.Failed, $"the model registers parameters [{string.Join(", ", parameters.Keys)}], not [{string.Join(", ", names)}]");

        Dictionary<string, Tensor> Gradients(Func<Tensor> loss)
        {
            model.zero_grad();
            foreach (var (_, input) in inputs) input.grad = null;
            loss().backward();
            var result = names.ToDictionary(n => n, n => parameters[n].grad?.detach().clone() ?? zeros_like(parameters[n]));
            foreach (var (name, input) in inputs) result[name] = input.grad?.detach().clone() ?? zeros_like(input);
            return result;
        }

        var useMse = Infrastructure.StableHash.Of(program.Seed + "loss") % 2 == 0;
        Tensor Loss(Tensor y) => useMse ? nn.functional.mse_loss(y, seed) : (y * seed).sum();
        var expected = Gradients(() => Loss((Tensor)reference.Invoke(model, new[] { Input(detached: false) })!));
        var generated = Gradients(() => Loss(CallModel()));
        foreach (var (name, tensor) in expected)
        {
            if (TensorProgramCheck.Differs(tensor, generated[name], tensor, Tolerance) is { } difference)
                return new CheckResult(Verdict.Failed, $"loss.backward() through the generated backward gives a wrong gradient for {name}: {difference}");
        }

        // The sweep's seed is the loss's gradient with respect to the output.
        Tensor outputSeed;
        Tensor referenceOutput;
        {
            var output = ((Tensor)reference.Invoke(model, new[] { Input(detached: true) })!).detach().requires_grad_();
            Loss(output).backward();
            outputSeed = output.grad!.detach().clone();
            referenceOutput = output.detach();
        }

        object Sweep()
        {
            using var _ = no_grad();
            return forwardWithPullback.Invoke(model, new[] { Input(detached: true), true })!;
        }

        object? Call(object sweep, string name, params object?[] arguments)
        {
            using var _ = no_grad();
            return sweep.GetType().GetMethod(name)!.Invoke(sweep, arguments);
        }

        // Pullback: the inputs' gradients, then each parameter's, in declaration order.
        var first = Sweep();
        var sweepOutput = (Tensor)first.GetType().GetProperty("Output")!.GetValue(first)!;
        if (TensorProgramCheck.Differs(referenceOutput, sweepOutput, referenceOutput, 1e-12) is { } outputDifference)
            return new CheckResult(Verdict.Failed, $"the sweep's output differs from the model's: {outputDifference}");
        var tuple = (ITuple)Call(first, "Pullback", outputSeed)!;
        // A module field's gradients come as one set, keyed by the module's own parameter names, after the model's own.
        var own = names.Where(n => !n.Contains('.')).ToList();
        var modules = program.Modules.Select(m => m.Field).ToList();
        if (tuple.Length != inputs.Length + own.Count + modules.Count)
            return new CheckResult(Verdict.Failed, $"Pullback returns {tuple.Length} values for {inputs.Length} inputs, {own.Count} parameters and {modules.Count} modules");
        for (var i = 0; i < inputs.Length + own.Count; i++)
        {
            var name = i < inputs.Length ? inputs[i].Item1 : own[i - inputs.Length];
            if (TensorProgramCheck.Differs(expected[name], (Tensor?)tuple[i], expected[name], Tolerance) is { } difference)
                return new CheckResult(Verdict.Failed, $"Pullback gives a wrong gradient for {name}: {difference}");
        }

        for (var j = 0; j < modules.Count; j++)
        {
            var set = (ModelGradients)tuple[inputs.Length + own.Count + j]!;
            foreach (var name in names.Where(n => n.StartsWith(modules[j] + ".", StringComparison.Ordinal)))
            {
                if (TensorProgramCheck.Differs(expected[name], set[name[(modules[j].Length + 1)..]], expected[name], Tolerance) is { } difference)
                    return new CheckResult(Verdict.Failed, $"Pullback gives a wrong gradient for {name}: {difference}");
            }
        }

        // The inputs' gradients Backward and Descend return: one tensor, or a tuple of them.
        string? WrongInputGradients(object? returned)
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                var (name, input) = inputs[i];
                var gradient = gate is null ? (Tensor?)returned : (Tensor?)((ITuple)returned!)[i];
                if (TensorProgramCheck.Differs(expected[name], gradient, input, Tolerance) is { } difference) return $"{name}: {difference}";
            }

            return null;
        }

        // Backward accumulates into .grad: two calls leave twice the gradient; each returns the inputs' gradients.
        model.zero_grad();
        for (var pass = 0; pass < 2; pass++)
        {
            if (WrongInputGradients(Call(Sweep(), "Backward", outputSeed)) is { } difference)
                return new CheckResult(Verdict.Failed, $"Backward returns a wrong input gradient for {difference}");
        }

        foreach (var name in names)
        {
            if (TensorProgramCheck.Differs(2 * expected[name], parameters[name].grad, parameters[name], Tolerance) is { } difference)
                return new CheckResult(Verdict.Failed, $"two Backward calls leave a wrong .grad in {name}: {difference}");
        }

        // Descend: one plain gradient-descent step.
        var after = names.ToDictionary(n => n, n => (parameters[n].detach() - LearningRate * expected[n]).clone());
        if (WrongInputGradients(Call(Sweep(), "Descend", outputSeed, LearningRate)) is { } descendDifference)
            return new CheckResult(Verdict.Failed, $"Descend returns a wrong input gradient for {descendDifference}");
        foreach (var name in names)
        {
            if (TensorProgramCheck.Differs(after[name], parameters[name].detach(), parameters[name], Tolerance) is { } difference)
                return new CheckResult(Verdict.Failed, $"Descend leaves {name} away from p − lr·∂p: {difference}");
        }

        return CheckResult.Passed;
    }
}
