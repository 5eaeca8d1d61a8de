using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>
/// Argument checks that generated entry points run in managed code before any native call: a libtorch error
/// raised inside an autograd callback terminates the process instead of throwing, so a wrong shape, dtype or
/// device, a null or a disposed tensor, or a short gradient buffer is reported here as an exception naming the
/// argument, what was expected and what was passed. Meant for generated code; its messages are part of the
/// library's behaviour.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Validation
{
    /// <summary>
    /// A tensor argument: not null (<see cref="ArgumentNullException"/>) and not disposed
    /// (<see cref="ObjectDisposedException"/>).
    /// </summary>
    /// <param name="value">The argument.</param>
    /// <param name="name">The parameter's name.</param>
    /// <param name="function">The member that received it, for the message.</param>
    public static void Tensor(Tensor? value, string name, string function)
    {
        if (value is null)
            throw new ArgumentNullException(name, $"{name} is null; {function} needs a tensor.");
        if (value.IsInvalid)
            throw new ObjectDisposedException(name, $"{name} was disposed before {function} read it; keep it alive (out of a dispose scope that ends first) until the call returns.");
    }

    /// <summary>
    /// A tensor argument that must be on <paramref name="reference"/>'s device: not null, not disposed, and on
    /// the same device. A 0-dimensional CPU tensor mixes with any device, as in TorchSharp's own operations.
    /// </summary>
    public static void Tensor(Tensor? value, string name, string function, Tensor reference, string referenceName)
    {
        Tensor(value, name, function);
        if (value!.device_type == reference.device_type && value.device_index == reference.device_index) return;
        if (value.dim() == 0 && value.device_type == DeviceType.CPU) return;
        throw new ArgumentException(
            $"{name} is on {Device(value)} but {referenceName} is on {Device(reference)}; move it to {referenceName}'s device (.to({referenceName}.device)).",
            name);
    }

    /// <summary>
    /// The seed of a pullback: null stands for ones; otherwise it must be alive and match
    /// <paramref name="output"/> in shape, dtype and device, as the output's gradient does.
    /// </summary>
    /// <param name="seed">The seed passed.</param>
    /// <param name="output">The function's output, which the seed is the gradient of.</param>
    /// <param name="name">The seed parameter's name.</param>
    /// <param name="function">The function whose output it seeds, for the message.</param>
    public static void Seed(Tensor? seed, Tensor output, string name, string function)
    {
        if (output.IsInvalid)
            throw new ObjectDisposedException("Output", $"The output of {function} was disposed before its reverse sweep ran; the sweep reads it, so keep what {function} returned alive (out of a dispose scope that ends first) until the pullback returns.");
        if (seed is null) return;
        if (seed.IsInvalid)
            throw new ObjectDisposedException(name, $"{name} was disposed before the reverse sweep of {function} read it; keep it alive until the pullback returns.");
        var (seedShape, outputShape) = (seed.shape, output.shape);
        if (!seedShape.AsSpan().SequenceEqual(outputShape))
            throw new ArgumentException(
                $"{name} has shape {Shape(seedShape)} but the output of {function} has shape {Shape(outputShape)}{(outputShape.Length == 0 ? " (a scalar)" : "")}; pass a seed shaped like the output (or null for ones).",
                name);
        if (seed.dtype != output.dtype)
            throw new ArgumentException(
                $"{name} has dtype {seed.dtype} but the output of {function} has dtype {output.dtype}; pass a seed of the output's dtype (or null for ones).",
                name);
        if (seed.device_type != output.device_type || seed.device_index != output.device_index)
            throw new ArgumentException(
                $"{name} is on {Device(seed)} but the output of {function} is on {Device(output)}; pass a seed on the output's device (or null for ones).",
                name);
    }

    /// <summary>
    /// An adjoint a pullback adds into (<c>ref</c>): null stands for zero; otherwise it must be alive and match
    /// <paramref name="primal"/> in shape, dtype and device.
    /// </summary>
    /// <param name="adjoint">The adjoint passed.</param>
    /// <param name="primal">The input it is the adjoint of.</param>
    /// <param name="name">The adjoint parameter's name.</param>
    /// <param name="primalName">The input's parameter name.</param>
    public static void Adjoint(Tensor? adjoint, Tensor primal, string name, string primalName)
    {
        if (adjoint is null) return;
        if (adjoint.IsInvalid)
            throw new ObjectDisposedException(name, $"{name} was disposed before the pullback added to it; pass a live tensor, or null for zero.");
        var (adjointShape, primalShape) = (adjoint.shape, primal.shape);
        if (!adjointShape.AsSpan().SequenceEqual(primalShape))
            throw new ArgumentException(
                $"{name} has shape {Shape(adjointShape)} but {primalName} has shape {Shape(primalShape)}; pass an adjoint shaped like {primalName} (or null for zero).",
                name);
        if (adjoint.dtype != primal.dtype)
            throw new ArgumentException(
                $"{name} has dtype {adjoint.dtype} but {primalName} has dtype {primal.dtype}; pass an adjoint of {primalName}'s dtype (or null for zero).",
                name);
        if (adjoint.device_type != primal.device_type || adjoint.device_index != primal.device_index)
            throw new ArgumentException(
                $"{name} is on {Device(adjoint)} but {primalName} is on {Device(primal)}; pass an adjoint on {primalName}'s device (or null for zero).",
                name);
    }

    /// <summary>
    /// A direction (tangent) for forward mode: not null, alive, and of <paramref name="primal"/>'s shape, dtype and
    /// device — a tensor of another shape would broadcast into a wrong result without a word.
    /// </summary>
    /// <param name="direction">The direction passed.</param>
    /// <param name="primal">The input it moves.</param>
    /// <param name="name">The direction parameter's name.</param>
    /// <param name="primalName">The input's parameter name.</param>
    public static void Direction(Tensor? direction, Tensor primal, string name, string primalName)
    {
        var hint = $"(zeros_like({primalName}) to hold it fixed)";
        if (direction is null)
            throw new ArgumentNullException(name, $"{name} is null; pass a direction shaped like {primalName} {hint}.");
        if (direction.IsInvalid)
            throw new ObjectDisposedException(name, $"{name} was disposed before forward mode read it; keep it alive until the call returns.");
        var (directionShape, primalShape) = (direction.shape, primal.shape);
        if (!directionShape.AsSpan().SequenceEqual(primalShape))
            throw new ArgumentException($"{name} has shape {Shape(directionShape)} but {primalName} has shape {Shape(primalShape)}; pass a direction shaped like {primalName} {hint}.", name);
        if (direction.dtype != primal.dtype)
            throw new ArgumentException($"{name} has dtype {direction.dtype} but {primalName} has dtype {primal.dtype}; pass a direction of {primalName}'s dtype {hint}.", name);
        if (direction.device_type != primal.device_type || direction.device_index != primal.device_index)
            throw new ArgumentException($"{name} is on {Device(direction)} but {primalName} is on {Device(primal)}; pass a direction on {primalName}'s device {hint}.", name);
    }

    /// <summary>A direction (tangent) array for forward mode: not null, and as long as <paramref name="primal"/>.</summary>
    public static void Direction<T>(T[]? direction, T[] primal, string name, string primalName)
    {
        if (direction is null || direction.Length != primal.Length)
            ThrowBadDirection(direction, primal.Length, name, primalName);
    }

    /// <summary>A model field a generated sweep calls: not null (<see cref="InvalidOperationException"/> naming the field).</summary>
    /// <param name="model">The field's value.</param>
    /// <param name="field">The field's name.</param>
    public static T Assigned<T>(T? model, string field) where T : class
        => model ?? throw new InvalidOperationException($"The model field '{field}' is null when the [Differentiable] Forward calls it; assign it in the constructor before calling the model.");

    /// <summary>Any other reference argument: not null.</summary>
    public static void NotNull<T>(T? value, string name, string function) where T : class
    {
        if (value is null) ThrowNull(name, $"{name} is null; {function} needs one.");
    }

    /// <summary>An array argument: not null.</summary>
    public static void Array<T>(T[]? value, string name, string function)
    {
        if (value is null) ThrowNull(name, $"{name} is null; {function} needs an array.");
    }

    /// <summary>A gradient buffer: not null, and as long as <paramref name="primal"/>.</summary>
    /// <param name="buffer">The buffer passed.</param>
    /// <param name="primal">The array it receives the gradient of.</param>
    /// <param name="name">The buffer parameter's name.</param>
    /// <param name="primalName">The array's parameter name.</param>
    public static void Buffer<T>(T[]? buffer, T[] primal, string name, string primalName)
    {
        if (buffer is null || buffer.Length != primal.Length)
            ThrowBadBuffer(buffer, primal.Length, name, primalName);
    }

    // The checks above are inlined into generated scalar sweeps, which the JIT inlines in turn; the messages are
    // built out of line so that no string handler's stack space, zeroed with wide vector stores on entry, comes
    // with them (on AVX-512 machines that zeroing slowed Rosenbrock's whole gradient loop by a quarter).
    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    static void ThrowNull(string name, string message) => throw new ArgumentNullException(name, message);

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    static void ThrowBadDirection(Array? direction, int length, string name, string primalName)
    {
        if (direction is null)
            throw new ArgumentNullException(name, $"{name} is null; pass a direction of {primalName}'s length ({length}).");
        throw new ArgumentException($"{name} has length {direction.Length} but {primalName} has length {length}; pass a direction of {primalName}'s length.", name);
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    static void ThrowBadBuffer(Array? buffer, int length, string name, string primalName)
    {
        if (buffer is null)
            throw new ArgumentNullException(name, $"{name} is null; pass an array of {primalName}'s length ({length}) to receive its gradient.");
        throw new ArgumentException(
            $"{name} has length {buffer.Length} but {primalName} has length {length}; pass a gradient buffer of {primalName}'s length.",
            name);
    }

    /// <summary>
    /// What a recorded forward pass kept for its reverse sweep: each tensor must still be alive. Thrown when a
    /// dispose scope that ended, or a <c>Dispose</c> call, released one before the pullback ran.
    /// </summary>
    /// <param name="function">The function whose sweep it is.</param>
    /// <param name="kept">The tensors the sweep reads, by name; a null one was not formed and is skipped.</param>
    public static void Kept(string function, params (string Name, Tensor? Value)[] kept)
    {
        foreach (var (name, value) in kept)
        {
            if (value is null || !value.IsInvalid) continue;
            throw new ObjectDisposedException(name,
                $"{name}, which the reverse sweep of {function} reads, was disposed before the sweep ran (a dispose scope ended, or it was disposed); "
                + $"run {function}WithPullback and its pullback inside the same dispose scope, or keep its input and the model's parameters alive until the pullback returns.");
        }
    }

    static string Shape(long[] shape) => "[" + string.Join(", ", shape) + "]";

    static string Device(Tensor tensor)
        => tensor.device_type == DeviceType.CPU || tensor.device_index < 0
            ? tensor.device_type.ToString().ToLowerInvariant()
            : $"{tensor.device_type.ToString().ToLowerInvariant()}:{tensor.device_index}";
}
