using Leibniz.Solvers;

namespace Leibniz.Tests.Solvers;

/// <summary>Records reports on the solver's thread (unlike <see cref="Progress{T}"/>, which posts them asynchronously).</summary>
sealed class RecordingProgress : IProgress<SolverProgress>
{
    public List<SolverProgress> Reports { get; } = new();

    public void Report(SolverProgress value) => Reports.Add(value);
}
