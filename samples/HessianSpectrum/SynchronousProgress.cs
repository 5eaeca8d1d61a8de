namespace HessianSpectrum;

/// <summary>Runs a progress handler on the reporting thread, so the console shows each step as it happens.</summary>
sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
