namespace Leibniz.Curvature;

/// <summary>Where a <see cref="Lanczos"/> run stands, reported after each step.</summary>
/// <param name="Step">Steps taken (operator products so far).</param>
/// <param name="MaxSteps">The most steps the run will take.</param>
/// <param name="Converged">How many of the wanted eigenpairs meet the tolerance; 0 until convergence is first checked.</param>
/// <param name="Wanted">How many eigenpairs were asked for.</param>
public readonly record struct LanczosProgress(int Step, int MaxSteps, int Converged, int Wanted);
