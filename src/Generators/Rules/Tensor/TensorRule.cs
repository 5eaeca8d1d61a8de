using System.Linq;

namespace Leibniz.Generators.Rules.Tensor;

/// <summary>
/// One row of the tensor derivative table: a TorchSharp API and, per parameter, its vector–Jacobian
/// product as a C# template over <c>{g}</c> (the output's adjoint), <c>{y}</c> (the output) and
/// <c>{0}</c>, <c>{1}</c>… (the arguments in parameter order, the receiver first for methods).
/// </summary>
/// <param name="Key">The API: <c>Tensor.matmul</c>, <c>torch.exp</c>, <c>nn.functional.relu</c>, <c>Tensor.op_Addition</c>.</param>
/// <param name="Vjps">One template per parameter; null where no derivative flows (dims, flags, targets).</param>
/// <param name="Broadcasts">Whether each argument may have been broadcast, so its adjoint is summed back to its shape.</param>
/// <param name="Comment">The identity, printed above the generated adjoint.</param>
internal sealed record TensorRule(string Key, string?[] Vjps, bool[] Broadcasts, string Comment)
{
    /// <summary>
    /// Marks a parameter whose pullback reverse mode derives by transposing the row's tangent rule
    /// (<see cref="TensorTangentRules"/>) rather than from a hand-written template.
    /// </summary>
    public const string Derived = "derived from the tangent rule";

    /// <summary>Whether every parameter with a derivative has it derived from the tangent rule.</summary>
    public bool IsDerived => Vjps.Any(v => v is not null) && Vjps.All(v => v is null || ReferenceEquals(v, Derived));

    /// <summary>Whether the output has the shape of the first argument (an elementwise function of it).</summary>
    public bool SameShapeAsFirst { get; init; }

    /// <summary>Whether the output has the broadcast shape of the tensor arguments (an elementwise function of several).</summary>
    public bool Broadcasting { get; init; }

    /// <summary>When set, the row holds only if every parameter from this index on keeps its default (a reduction mode, an in-place flag).</summary>
    public int? DefaultsFrom { get; init; }

    /// <summary>
    /// Per parameter, an optional in-place form that adds α times the contribution to <c>{acc}</c> without
    /// materialising it (<c>addmm_</c> for a weight): how a gradient-descent step folds into the backward.
    /// <c>{alpha}</c> is the scale. Without one, the contribution is computed and added with <c>add_</c>.
    /// </summary>
    public string?[] Into { get; init; } = System.Array.Empty<string?>();

    /// <summary>The in-place form for parameter <paramref name="index"/>, or null.</summary>
    public string? IntoFor(int index) => index < Into.Length ? Into[index] : null;

    /// <summary>
    /// For an API taking a list of tensors (<c>cat</c>, <c>stack</c>), the list's parameter. Its elements' adjoints differ
    /// by position, so they come from <see cref="ElementVjp"/> once the call's list length is known.
    /// </summary>
    public int? ListParameter { get; init; }

    /// <summary>The template for element k of the list, where <c>{@j}</c> is element j; the other parameters as usual.</summary>
    public System.Func<int, string>? ElementVjp { get; init; }

    /// <summary>The template for parameter <paramref name="index"/>, or null when no derivative flows into it.</summary>
    public string? Vjp(int index) => index < Vjps.Length ? Vjps[index] : null;

    public bool Broadcast(int index) => index < Broadcasts.Length && Broadcasts[index];

    /// <summary>Whether a template reads the output, which the forward sweep must then keep.</summary>
    public bool ReadsOutput(int parameter) => Vjp(parameter) is { } template && !ReferenceEquals(template, Derived) && template.Contains("{y}");
}
