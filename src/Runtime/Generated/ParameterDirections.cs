using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>
/// A direction over every parameter of a model — one tensor per entry of its <c>named_parameters()</c>, in order, its
/// own fields' and its called models' alike — checked once and split by name: a model's forward-mode methods read
/// their own fields' tangents from it and hand each called model the part under that model's field. The same order is
/// <see cref="Curvature.ParameterLayout"/>'s for a model whose parameters all require grad, so a flat vector unflattened by
/// the layout is a direction. Meant for generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ParameterDirections
{
    readonly string[] _names;
    readonly Tensor[] _directions;

    ParameterDirections(string[] names, Tensor[] directions)
    {
        _names = names;
        _directions = directions;
    }

    /// <summary>
    /// <paramref name="directions"/> checked against <paramref name="model"/>'s parameters: one per parameter, each of its
    /// parameter's shape, dtype and device. A mismatch is an <see cref="ArgumentException"/> naming the parameter.
    /// </summary>
    /// <param name="model">The model whose parameters the directions follow.</param>
    /// <param name="directions">One tensor per <c>named_parameters()</c> entry, in order.</param>
    /// <param name="name">The argument's name, for the message.</param>
    public static ParameterDirections Of(nn.Module model, IReadOnlyList<Tensor>? directions, string name)
    {
        if (directions is null)
            throw new ArgumentNullException(name, $"{name} is null; pass one tensor per parameter of the model, in the order of named_parameters() (zeros_like(p) to hold p fixed).");
        var parameters = model.named_parameters().ToList();
        if (directions.Count != parameters.Count)
            throw new ArgumentException(
                $"{name} has {directions.Count} tensors but the model has {parameters.Count} parameters ({string.Join(", ", parameters.Select(p => p.name))}); pass one per parameter, in that order (ParameterLayout.Of(model).Unflatten(v) gives them from a flat vector).",
                name);
        for (var i = 0; i < parameters.Count; i++)
            Validation.Direction(directions[i], parameters[i].parameter, $"{name}[{i}]", parameters[i].name);
        return new ParameterDirections(parameters.Select(p => p.name).ToArray(), directions.ToArray());
    }

    /// <summary>The direction of the model's own parameter <paramref name="field"/>.</summary>
    public Tensor Own(string field)
    {
        var index = Array.IndexOf(_names, field);
        if (index < 0)
            throw new ArgumentException($"The model has no parameter named '{field}'; its parameters are {string.Join(", ", _names)}.", nameof(field));
        return _directions[index];
    }

    /// <summary>The directions of the parameters of the model held in <paramref name="field"/>, in its own <c>named_parameters()</c> order.</summary>
    public IReadOnlyList<Tensor> Called(string field)
    {
        var prefix = field + ".";
        var called = new List<Tensor>();
        for (var i = 0; i < _names.Length; i++)
        {
            if (_names[i].StartsWith(prefix, StringComparison.Ordinal)) called.Add(_directions[i]);
        }

        return called;
    }

    /// <summary>
    /// The per-field values <paramref name="gradients"/> holds, as one tensor per <c>named_parameters()</c> entry of
    /// <paramref name="model"/>, in order; zeros where a parameter got none (the output does not depend on it).
    /// </summary>
    public static Tensor[] InOrder(nn.Module model, ModelGradients gradients)
        => model.named_parameters()
            .Select(p => gradients.TryGetValue(p.name, out var g) && g is not null ? g : zeros_like(p.parameter))
            .ToArray();

    /// <summary>
    /// <paramref name="values"/>, one per parameter field of <paramref name="model"/> by name, as one tensor per
    /// <c>named_parameters()</c> entry, in order; zeros where a value is null or missing.
    /// </summary>
    public static Tensor[] InOrder(nn.Module model, params (string Name, Tensor Parameter, Tensor? Value)[] values)
    {
        var gradients = new ModelGradients();
        foreach (var (name, parameter, value) in values) gradients.Add(name, parameter, value);
        return InOrder(model, gradients);
    }
}
