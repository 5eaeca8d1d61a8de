using System;

namespace Leibniz;

/// <summary>
/// Marks a <c>Tensor</c> field of a <see cref="ModelAttribute">[Model]</see> class as a buffer: state
/// that moves with the module (<c>.to(device)</c>) and, when <see cref="Persistent"/>, is saved in
/// <c>state_dict()</c>, but is not trained (running statistics, masks, constants).
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false, AllowMultiple = false)]
public sealed class BufferAttribute : Attribute
{
    /// <summary>Whether the buffer is part of <c>state_dict()</c>. Default <see langword="true"/>.</summary>
    public bool Persistent { get; set; } = true;
}
