using System.Collections;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using Leibniz.Generated;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz;

/// <summary>
/// The parameter gradients of a model that another model's generated <c>Forward</c> calls, under the names
/// <c>named_parameters()</c> gives them on that model (<c>"weight"</c>, <c>"inner.weight"</c> for a model it
/// calls in turn). A caller's <c>Pullback</c> returns one per called model field, summed over its calls.
/// </summary>
public sealed class ModelGradients : IEnumerable<(string Name, Tensor? Gradient)>
{
    readonly List<Entry> _entries = new();
    readonly Dictionary<string, int> _index = new(System.StringComparer.Ordinal);

    sealed class Entry
    {
        public Entry(string name, Tensor parameter, Tensor? gradient)
        {
            Name = name;
            Parameter = parameter;
            Gradient = gradient;
        }

        public string Name { get; }
        public Tensor Parameter { get; }
        public Tensor? Gradient { get; set; }
    }

    /// <summary>
    /// An empty set, for <c>PullbackInto</c> on a model's sweep to fill with all its parameters' gradients, named as
    /// <c>named_parameters()</c> names them.
    /// </summary>
    public ModelGradients()
    {
    }

    /// <summary>The number of parameters listed, with or without a gradient.</summary>
    public int Count => _entries.Count;

    /// <summary>The parameters' names, in the order the pullback reported them.</summary>
    public IReadOnlyList<string> Names => _entries.Select(e => e.Name).ToList();

    /// <summary>The gradient of the parameter named <paramref name="name"/>; null when none reached it.</summary>
    /// <exception cref="KeyNotFoundException">No parameter of that name was differentiated; the message lists those that were.</exception>
    public Tensor? this[string name]
        => _index.TryGetValue(name, out var i)
            ? _entries[i].Gradient
            : throw new KeyNotFoundException($"No parameter named '{name}' was differentiated; the gradients are for: {(_entries.Count == 0 ? "(none)" : string.Join(", ", _entries.Select(e => e.Name)))}.");

    /// <summary>Whether a parameter named <paramref name="name"/> is listed, and its gradient (null when none reached it).</summary>
    public bool TryGetValue(string name, out Tensor? gradient)
    {
        gradient = _index.TryGetValue(name, out var i) ? _entries[i].Gradient : null;
        return _index.ContainsKey(name);
    }

    /// <summary>
    /// Adds each gradient to its parameter's <c>.grad</c>, as <c>loss.backward()</c> would, for any TorchSharp optimizer.
    /// </summary>
    public void Accumulate()
    {
        foreach (var entry in _entries) GradientAccumulation.Accumulate(entry.Parameter, entry.Gradient);
    }

    /// <summary>One step of plain gradient descent, in place: p ← p − <paramref name="learningRate"/>·∂p for every parameter with a gradient.</summary>
    public void Descend(double learningRate)
    {
        using var noGrad = no_grad();
        foreach (var entry in _entries)
        {
            if (entry.Gradient is { } gradient) entry.Parameter.add_(gradient, alpha: -learningRate);
        }
    }

    /// <summary>Generated pullbacks report a parameter's gradient; a second report of the same name adds to the first.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Add(string name, Tensor parameter, Tensor? gradient)
    {
        if (_index.TryGetValue(name, out var i))
        {
            _entries[i].Gradient = Adjoints.Sum(_entries[i].Gradient, gradient);
            return;
        }

        _index[name] = _entries.Count;
        _entries.Add(new Entry(name, parameter, gradient));
    }

    /// <summary>Generated pullbacks report the gradients of a model they call, under that model's field name.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Add(string prefix, ModelGradients called)
    {
        foreach (var entry in called._entries) Add(prefix + "." + entry.Name, entry.Parameter, entry.Gradient);
    }

    /// <summary>
    /// For the generated <c>autograd.Function</c>: one gradient per entry of <paramref name="model"/>'s
    /// <c>named_parameters()</c>, null where none was computed, in that order.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public IEnumerable<Tensor> InOrderOf(nn.Module? model)
        => (model ?? throw new System.InvalidOperationException("A model field the [Differentiable] Forward calls is null; assign it in the constructor before calling the model.")).named_parameters().Select(p => _index.TryGetValue(p.name, out var i) ? _entries[i].Gradient! : null!);

    /// <inheritdoc/>
    public IEnumerator<(string Name, Tensor? Gradient)> GetEnumerator()
        => _entries.Select(e => (e.Name, e.Gradient)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
