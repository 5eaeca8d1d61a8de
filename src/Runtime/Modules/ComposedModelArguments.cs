using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz;

/// <summary>
/// The arguments of a generated <c>autograd.Function</c> for a model that calls other models: autograd routes
/// gradients only to tensors passed to <c>apply</c>, so the called models' parameters are passed after the
/// caller's own, in the order of their <c>named_parameters()</c>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ComposedModelArguments
{
    /// <summary><paramref name="leading"/>, then every parameter of each called model.</summary>
    public static object[] Of(object[] leading, params nn.Module[] called)
        => leading.Concat(called.SelectMany(Parameters)).ToArray();

    /// <summary><paramref name="leading"/>, then every parameter of each called model.</summary>
    public static Tensor[] Tensors(Tensor[] leading, params nn.Module[] called)
        => leading.Concat(called.SelectMany(Parameters)).ToArray();

    /// <summary>Whether some parameter of a called model requires a gradient.</summary>
    public static bool RequireGrad(params nn.Module[] called)
        => called.SelectMany(Parameters).Any(p => p.requires_grad);

    /// <summary>
    /// Whether a called model, or a model inside it, has forward hooks, which only <c>call</c> runs: the caller then
    /// goes through autograd on its plain <c>Forward</c>, where <c>call</c> runs them, rather than through its sweep.
    /// </summary>
    public static bool HaveForwardHooks(params nn.Module[] called)
        => called.Any(m => m is IForwardHookSource { HasForwardHooks: true } || m.named_modules().Any(d => d.module is IForwardHookSource { HasForwardHooks: true }));

    /// <summary>Refuses to run a tape-free sweep past a model whose forward hooks <c>call</c> would run.</summary>
    /// <exception cref="System.InvalidOperationException"><paramref name="called"/> has forward hooks.</exception>
    public static void ThrowIfForwardHooks(nn.Module called, string field)
    {
        if (called is IForwardHookSource { HasForwardHooks: true })
            throw new System.InvalidOperationException(
                $"'{field}' has forward hooks, which its call(x) runs but a tape-free sweep cannot; remove the hooks, or train through loss.backward(), which runs Forward on the tape when a called model has hooks.");
    }

    static IEnumerable<Tensor> Parameters(nn.Module model) => model.named_parameters().Select(p => (Tensor)p.parameter);
}
