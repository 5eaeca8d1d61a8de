using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Curvature;

/// <summary>
/// The shapes of a list of parameter tensors and their places in one flat vector, so that a
/// product defined per parameter (a Hessian–vector product of a model's loss) can be seen as a
/// product on flat vectors, and back.
/// </summary>
/// <remarks>
/// The flat vector is the parameters' elements in list order, each tensor in row-major order — the
/// order of <c>torch.nn.utils.parameters_to_vector</c>. All parameters must share one floating
/// dtype and one device.
/// </remarks>
public sealed class ParameterLayout
{
    readonly long[][] _shapes;
    readonly long[] _offsets;

    ParameterLayout(long[][] shapes, ScalarType dtype, Device device)
    {
        _shapes = shapes;
        _offsets = new long[shapes.Length + 1];
        for (var i = 0; i < shapes.Length; i++)
            _offsets[i + 1] = _offsets[i] + shapes[i].Aggregate(1L, (product, size) => product * size);
        DType = dtype;
        Device = device;
    }

    /// <summary>The layout of <paramref name="parameters"/>, in the order given.</summary>
    /// <param name="parameters">The tensors; at least one, all float32 or all float64, all on one device.</param>
    /// <exception cref="ArgumentException">The list is empty, or its tensors differ in dtype or device, or one is not floating-point.</exception>
    public static ParameterLayout Of(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = parameters.ToList();
        if (list.Count == 0)
            throw new ArgumentException("There are no parameters to lay out; pass at least one tensor (a module's parameters() that require grad).", nameof(parameters));

        var first = list[0];
        for (var i = 0; i < list.Count; i++)
        {
            var tensor = list[i] ?? throw new ArgumentException($"Parameter {i} is null.", nameof(parameters));
            if (tensor.IsInvalid)
                throw new ObjectDisposedException(nameof(parameters), $"Parameter {i} was disposed; lay out the parameters of a live model.");
            if (tensor.dtype is not (ScalarType.Float32 or ScalarType.Float64))
                throw new ArgumentException($"Parameter {i} is {tensor.dtype}; the curvature tools need float32 or float64 parameters.", nameof(parameters));
            if (tensor.dtype != first.dtype)
                throw new ArgumentException($"Parameter {i} is {tensor.dtype} but parameter 0 is {first.dtype}; convert the model to one dtype with .to(...).", nameof(parameters));
            if (!SymmetricOperator.SameDevice(tensor.device, first.device))
                throw new ArgumentException($"Parameter {i} is on {tensor.device} but parameter 0 is on {first.device}; move the model to one device with .to(...).", nameof(parameters));
        }

        return new ParameterLayout(list.Select(t => t.shape).ToArray(), first.dtype, first.device);
    }

    /// <summary>The layout of the parameters of <paramref name="module"/> that require gradients, in <c>parameters()</c> order.</summary>
    /// <exception cref="ArgumentException">The module has no trainable parameters, or they differ in dtype or device.</exception>
    public static ParameterLayout Of(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return Of(module.parameters().Where(p => p.requires_grad).Cast<Tensor>());
    }

    /// <summary>The number of parameter tensors.</summary>
    public int Count => _shapes.Length;

    /// <summary>The length of the flat vector: the total number of elements.</summary>
    public long Dimension => _offsets[^1];

    /// <summary>The parameters' element type.</summary>
    public ScalarType DType { get; }

    /// <summary>The parameters' device.</summary>
    public Device Device { get; }

    /// <summary>The shape of parameter <paramref name="index"/> (a copy).</summary>
    public long[] Shape(int index) => (long[])_shapes[CheckIndex(index)].Clone();

    /// <summary>Where parameter <paramref name="index"/>'s elements start in the flat vector.</summary>
    public long Offset(int index) => _offsets[CheckIndex(index)];

    /// <summary>Concatenates one tensor per parameter, in layout order, into a new flat vector.</summary>
    /// <param name="tensors">Tensors shaped like the parameters, of the layout's dtype and device.</param>
    /// <exception cref="ArgumentException">The count, a shape, the dtype or the device does not match the layout.</exception>
    public Tensor Flatten(IReadOnlyList<Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count != Count)
            throw new ArgumentException($"Got {tensors.Count} tensors for a layout of {Count} parameters; pass one per parameter, in order.", nameof(tensors));

        for (var i = 0; i < Count; i++)
        {
            var tensor = tensors[i];
            if (tensor is null || tensor.IsInvalid)
                throw new ArgumentException($"Tensor {i} is missing (null or disposed); a product must return one tensor per parameter — zeros where it does not depend on it.", nameof(tensors));
            if (!tensor.shape.SequenceEqual(_shapes[i]))
                throw new ArgumentException($"Tensor {i} has shape {SymmetricOperator.Format(tensor.shape)}; parameter {i} has shape {SymmetricOperator.Format(_shapes[i])}.", nameof(tensors));
            if (tensor.dtype != DType || !SymmetricOperator.SameDevice(tensor.device, Device))
                throw new ArgumentException($"Tensor {i} is {tensor.dtype} on {tensor.device}; the parameters are {DType} on {Device}.", nameof(tensors));
        }

        using var scope = NewDisposeScope();
        return cat(tensors.Select(t => t.reshape(-1)).ToList(), dim: 0L).MoveToOuterDisposeScope();
    }

    /// <summary>Splits a flat vector into one view per parameter, shaped like it (no copy: writes go through).</summary>
    /// <param name="flat">A 1-D tensor of length <see cref="Dimension"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="flat"/> is not a vector of length <see cref="Dimension"/>.</exception>
    public Tensor[] Unflatten(Tensor flat)
    {
        ArgumentNullException.ThrowIfNull(flat);
        if (flat.IsInvalid)
            throw new ObjectDisposedException(nameof(flat), "The flat vector was disposed before the layout read it.");
        if (flat.dim() != 1 || flat.shape[0] != Dimension)
            throw new ArgumentException($"The flat vector has shape {SymmetricOperator.Format(flat.shape)}; this layout needs [{Dimension}].", nameof(flat));

        var views = new Tensor[Count];
        for (var i = 0; i < Count; i++)
            views[i] = flat.narrow(0, _offsets[i], _offsets[i + 1] - _offsets[i]).view(_shapes[i]);
        return views;
    }

    int CheckIndex(int index)
        => index >= 0 && index < Count
            ? index
            : throw new ArgumentOutOfRangeException(nameof(index), index, $"The layout has parameters 0 to {Count - 1}.");
}
