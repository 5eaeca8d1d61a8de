namespace Leibniz.Tests.Curvature;

/// <summary>An <see cref="IProgress{T}"/> that runs its handler on the reporting thread, so tests see reports in order.</summary>
sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
