using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>
/// The sweep of a TorchSharp module (<c>nn.Linear</c>, <c>Conv2d</c>, <c>LayerNorm</c>, <c>Sequential</c>…) that a
/// generated model's <c>Forward</c> calls through a field: that one call runs on TorchSharp's tape, inside the otherwise
/// tape-free sweep, and its pullback asks autograd for the input's and the module's parameters' gradients. It offers
/// what a generated <c>ForwardSweep</c> of a called <c>[Model]</c> offers, so the caller treats both alike. Meant for
/// generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ModuleSweep
{
    readonly nn.Module<Tensor, Tensor> _module;
    readonly Tensor _input;
    readonly Tensor _output;
    readonly bool _inputGradient;
    bool _pulledBack;

    ModuleSweep(nn.Module<Tensor, Tensor> module, Tensor input, Tensor output, bool inputGradient)
    {
        _module = module;
        _input = input;
        _output = output;
        _inputGradient = inputGradient;
        Output = output.detach();
    }

    /// <summary>
    /// Runs <paramref name="module"/> on <paramref name="input"/> with autograd recording (the caller's sweep runs under
    /// <c>no_grad</c>), through <c>call</c> (forward hooks included) when <paramref name="throughCall"/>, else <c>forward</c>.
    /// </summary>
    /// <param name="module">The module the field holds.</param>
    /// <param name="input">Its input; a leaf of the recorded call, so the caller's tensor is not part of any graph.</param>
    /// <param name="inputGradient">Whether the pullback returns the input's gradient (never for an integer input, such as token indices).</param>
    /// <param name="throughCall">Whether the source wrote <c>call(x)</c> rather than <c>forward(x)</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="module"/> or <paramref name="input"/> is null.</exception>
    public static ModuleSweep Run(nn.Module<Tensor, Tensor>? module, Tensor input, bool inputGradient, bool throughCall)
    {
        if (module is null) throw new ArgumentNullException(nameof(module), "The module field is null; assign the module in the constructor before calling Forward.");
        if (input is null) throw new ArgumentNullException(nameof(input));
        var leaf = input.detach();
        var wantsInput = inputGradient && leaf.is_floating_point();
        if (wantsInput) leaf.requires_grad_();
        Tensor output;
        using (enable_grad())
            output = throughCall ? module.call(leaf) : module.forward(leaf);
        return new ModuleSweep(module, leaf, output, wantsInput);
    }

    /// <summary>
    /// <see cref="Run"/> for a call inside a loop. The reverse sweep recomputes each iteration, so the call runs again there
    /// and must give the same value: a module holding dropout (or alpha dropout) in training mode would draw a second mask,
    /// and is refused.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="module"/> holds dropout and is in training mode.</exception>
    public static ModuleSweep RunInLoop(nn.Module<Tensor, Tensor>? module, Tensor input, bool inputGradient, bool throughCall)
    {
        if (module is not null && module.training && module.modules().FirstOrDefault(IsDropout) is { } dropout)
            throw new InvalidOperationException(
                $"The {module.GetType().Name} module called inside a loop of a [Differentiable] method holds {dropout.GetType().Name} and is in training mode: the reverse sweep recomputes each iteration, which would draw a second dropout mask. Apply the dropout before or after the loop, or call eval() on the module.");
        return Run(module, input, inputGradient, throughCall);
    }

    static bool IsDropout(nn.Module module)
        => module.GetType().Name.Contains("Dropout") && module.GetType().Namespace == typeof(TorchSharp.Modules.Dropout).Namespace;

    /// <summary>The module's output, detached from the recorded call.</summary>
    public Tensor Output { get; }

    /// <summary>
    /// The gradients of ⟨<paramref name="seed"/>, the module's output⟩: each of the module's parameters that requires one is
    /// added to <paramref name="gradients"/> under its <c>named_parameters()</c> name.
    /// </summary>
    /// <returns>The input's gradient when this sweep computes it, else null.</returns>
    /// <exception cref="InvalidOperationException">The pullback already ran: autograd released the recorded call.</exception>
    public Tensor? PullbackInto(Tensor? seed, ModelGradients gradients)
    {
        if (gradients is null) throw new ArgumentNullException(nameof(gradients));
        if (_pulledBack)
            throw new InvalidOperationException($"The pullback of the {_module.GetType().Name} call already ran; it consumes what the call recorded. Run the model's Forward sweep again for another one.");
        _pulledBack = true;

        var parameters = _module.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        var sources = new List<Tensor>();
        if (_inputGradient) sources.Add(_input);
        sources.AddRange(parameters.Select(p => (Tensor)p.parameter));
        if (sources.Count == 0 || !_output.requires_grad)
        {
            foreach (var (name, parameter) in parameters) gradients.Add(name, parameter, null);
            return null;
        }

        // Parameters the call does not reach (a branch not taken) get no gradient, as with loss.backward().
        var results = autograd.grad(new[] { _output }, sources, new[] { seed ?? ones_like(_output) }, allow_unused: true);
        Tensor? Defined(Tensor gradient) => gradient.IsInvalid ? null : gradient;
        var offset = _inputGradient ? 1 : 0;
        for (var i = 0; i < parameters.Count; i++) gradients.Add(parameters[i].name, parameters[i].parameter, Defined(results[offset + i]));
        return _inputGradient ? Defined(results[0]) : null;
    }

    /// <summary>The pullback as one step of plain gradient descent on the module's parameters: p ← p − <paramref name="learningRate"/>·∂p.</summary>
    /// <returns>The input's gradient when this sweep computes it, else null.</returns>
    public Tensor? Descend(Tensor? seed, double learningRate)
    {
        var gradients = new ModelGradients();
        var input = PullbackInto(seed, gradients);
        gradients.Descend(learningRate);
        return input;
    }

    /// <summary>Takes what the pullback reads out of the dispose scope that ran the call: autograd may run the backward after it ended.</summary>
    public void KeepAlive()
    {
        _input.DetachFromDisposeScope();
        _output.DetachFromDisposeScope();
        Output.DetachFromDisposeScope();
    }

    /// <summary>Never: the sweep holds its own handle on the input.</summary>
    public bool InputReleased => false;

    /// <summary>Nothing to point elsewhere: the sweep holds its own handle on the input.</summary>
    public void RestoreInput(Tensor released, Tensor saved)
    {
    }

    /// <summary>Disposes the recorded call's handles once the backward has run.</summary>
    public void ReleaseIntermediates()
    {
        Output.Dispose();
        _output.Dispose();
        _input.Dispose();
    }
}
