namespace Leibniz.Curvature;

/// <summary>Where a <see cref="StochasticLanczosQuadrature"/> estimate stands, reported after each Lanczos step.</summary>
/// <param name="Run">The run in progress (1-based).</param>
/// <param name="Runs">The number of runs.</param>
/// <param name="Step">Steps taken in this run.</param>
/// <param name="Steps">The most steps a run takes.</param>
public readonly record struct SpectralDensityProgress(int Run, int Runs, int Step, int Steps);
