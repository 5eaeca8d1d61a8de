using Leibniz;
using Leibniz.LinearSystems;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Implicit;

/// <summary>x*(A, B) = A⁻¹B for a vector or a matrix B: the simplest condition, Ax − B = 0, with each kind of backward.</summary>
[ImplicitLayer]
public static partial class LinearSystemByNormalEquations
{
    [Solver] public static Tensor Solve(Tensor A, Tensor B) => linalg.solve(A, B);
    [OptimalityCondition] public static Tensor Residual(Tensor x, Tensor A, Tensor B) => A.matmul(x) - B;
}

[ImplicitLayer(LinearSolver = LinearSolverKind.Gmres, Tolerance = 1e-12)]
public static partial class LinearSystemByGmres
{
    [Solver] public static Tensor Solve(Tensor A, Tensor B) => linalg.solve(A, B);
    [OptimalityCondition] public static Tensor Residual(Tensor x, Tensor A, Tensor B) => A.matmul(x) - B;
}

[ImplicitLayer(LinearSolver = LinearSolverKind.BiCgStab, Tolerance = 1e-12)]
public static partial class LinearSystemByBiCgStab
{
    [Solver] public static Tensor Solve(Tensor A, Tensor B) => linalg.solve(A, B);
    [OptimalityCondition] public static Tensor Residual(Tensor x, Tensor A, Tensor B) => A.matmul(x) - B;
}

[ImplicitLayer(LinearSolver = LinearSolverKind.DenseLu)]
public static partial class LinearSystemDense
{
    [Solver] public static Tensor Solve(Tensor A, Tensor B) => linalg.solve(A, B);
    [OptimalityCondition] public static Tensor Residual(Tensor x, Tensor A, Tensor B) => A.matmul(x) - B;
}
