using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>
/// The arguments of a generated <c>autograd.Function</c> for a model that calls other models: autograd routes
/// gradients only to tensors passed to <c>apply</c>, so the called models' parameters are passed after the
/// caller's own, in the order of their <c>named_parameters()</c>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ComposedModelArguments
{
    /// <summary>
    /// The arguments of <c>apply</c> — <paramref name="leading"/>, then every parameter of each called model — or null when
    /// the caller should run its plain <c>Forward</c> instead: nothing requires a gradient, or a called model (or one
    /// inside it) has forward hooks, which only <c>call</c> runs and a sweep would skip. One walk over the called models.
    /// </summary>
    public static object[]? ForApply(object[] leading, bool leadingRequireGrad, params nn.Module?[] called)
    {
        var arguments = new List<object>(leading);
        var requireGrad = leadingRequireGrad;
        foreach (var model in Assigned(called))
        {
            if (HasHooks(model)) return null;
            foreach (var (_, parameter) in model.named_parameters())
            {
                arguments.Add(parameter);
                requireGrad |= parameter.requires_grad;
            }
        }

        return requireGrad ? arguments.ToArray() : null;
    }

    /// <summary>Whether two of the called fields hold the same model instance.</summary>
    public static bool ShareAModel(params nn.Module?[] called)
    {
        for (var i = 0; i < called.Length; i++)
            for (var j = i + 1; j < called.Length; j++)
                if (ReferenceEquals(called[i], called[j])) return true;
        return false;
    }

    static bool HasHooks(nn.Module model)
        => model is IForwardHookSource { HasForwardHooks: true } || model.named_modules().Any(d => d.module is IForwardHookSource { HasForwardHooks: true });

    /// <summary><paramref name="leading"/>, then every parameter of each called model.</summary>
    public static Tensor[] Tensors(Tensor[] leading, params nn.Module?[] called)
        => leading.Concat(Assigned(called).SelectMany(Parameters)).ToArray();

    /// <summary>
    /// The called models, each assigned: a field declared nullable (<c>Encoder? encoder</c>) reaches generated code as it
    /// is, and one still null when the model runs is named here rather than failing deep inside a sweep.
    /// </summary>
    static IEnumerable<nn.Module> Assigned(nn.Module?[] called)
    {
        foreach (var model in called)
            yield return model ?? throw new System.InvalidOperationException(
                "A model or module field the [Differentiable] Forward calls is null; assign it in the constructor before calling the model.");
    }

    /// <summary>Refuses to run a tape-free sweep past a model whose forward hooks <c>call</c> would run.</summary>
    /// <exception cref="System.InvalidOperationException"><paramref name="called"/> has forward hooks.</exception>
    public static void ThrowIfForwardHooks(nn.Module? called, string field)
    {
        if (called is IForwardHookSource { HasForwardHooks: true })
            throw new System.InvalidOperationException(
                $"'{field}' has forward hooks, which its call(x) runs but a tape-free sweep cannot; remove the hooks, or train through loss.backward(), which runs Forward on the tape when a called model has hooks.");
    }

    static IEnumerable<Tensor> Parameters(nn.Module model) => model.named_parameters().Select(p => (Tensor)p.parameter);
}
