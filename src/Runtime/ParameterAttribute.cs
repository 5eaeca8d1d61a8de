using System;

namespace Leibniz;

/// <summary>
/// Marks a <c>Tensor</c> (or <c>Parameter</c>) field of a <see cref="ModelAttribute">[Model]</see> class
/// as a trainable parameter. The generated registration wraps a plain tensor in a
/// <c>torch.nn.Parameter</c> (which requires grad) and stores it back in the field, so the field and
/// <c>parameters()</c> always hold the same tensor.
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false, AllowMultiple = false)]
public sealed class ParameterAttribute : Attribute
{
}
