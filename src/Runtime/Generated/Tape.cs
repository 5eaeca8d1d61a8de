using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Leibniz.Generated;

/// <summary>
/// The stack a generated derivative uses to keep, inside loops, the values its reverse sweep needs.
/// One per thread and element type, grown on demand and never shrunk, so after warm-up a gradient
/// allocates nothing; pushes and pops nest, so recursive and nested derivative calls share it.
/// </summary>
/// <typeparam name="T">The element type (<c>double</c>, <c>float</c>, <c>int</c>, <c>bool</c>).</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class Tape<T>
{
    [ThreadStatic]
    static Tape<T>? s_current;

    T[] _items = new T[256];
    int _count;

    /// <summary>This thread's tape.</summary>
    public static Tape<T> Current => s_current ??= new Tape<T>();

    /// <summary>How many values are on the tape.</summary>
    public int Count => _count;

    /// <summary>The values on the tape, oldest first.</summary>
    internal ReadOnlySpan<T> Values => _items.AsSpan(0, _count);

    /// <summary>Keeps <paramref name="value"/> for the reverse sweep.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(T value)
    {
        var items = _items;
        var count = _count;
        if ((uint)count < (uint)items.Length)
        {
            items[count] = value;
            _count = count + 1;
            return;
        }

        Grow(value);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    void Grow(T value)
    {
        Array.Resize(ref _items, _items.Length * 2);
        _items[_count++] = value;
    }

    /// <summary>Takes back the value pushed last.</summary>
    /// <exception cref="InvalidOperationException">The tape is empty: pushes and pops of a generated derivative did not match.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Pop()
    {
        var count = _count - 1;
        var items = _items;
        if ((uint)count >= (uint)items.Length) ThrowEmpty();
        _count = count;
        return items[count];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void ThrowEmpty()
        => throw new InvalidOperationException("The derivative tape is empty: a generated reverse sweep popped more values than its forward sweep pushed. This is a bug in Leibniz; please report it.");
}
