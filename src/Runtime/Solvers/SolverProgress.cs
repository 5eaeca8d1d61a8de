namespace Leibniz.Solvers;

/// <summary>What a solver reports through <see cref="SolverOptions.Progress"/> after each iteration.</summary>
/// <param name="Iteration">Iterations completed so far (1 for the first report).</param>
/// <param name="Residual">The solver's stopping measure after that iteration (see <see cref="SolverResult.Residual"/>).</param>
public sealed record SolverProgress(int Iteration, double Residual);
