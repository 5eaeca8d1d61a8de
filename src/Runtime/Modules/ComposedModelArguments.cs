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

    static IEnumerable<Tensor> Parameters(nn.Module model) => model.named_parameters().Select(p => (Tensor)p.parameter);
}
