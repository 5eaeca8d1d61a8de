using Leibniz.Generators.Pipelines;
using Leibniz.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Leibniz.Generators.Tests.ImplicitLayers;

/// <summary>The generated code of implicit layers, one of each kind, and of a method that calls one.</summary>
public sealed class ImplicitLayerSnapshotTests
{
    internal static string Source => Layers;

    const string Layers = """
        using System;
        using Leibniz;
        using Leibniz.LinearSystems;
        using TorchSharp;
        using static TorchSharp.torch;

        namespace Implicit;

        /// <summary>A parameter named like a generated local (solution) and one that is data (steps).</summary>
        [ImplicitLayer(LinearSolver = LinearSolverKind.Gmres, Tolerance = 1e-12, Ridge = 1e-9)]
        public static partial class Ridge
        {
            [Solver]
            public static Tensor Solve(Tensor X, Tensor solution, Tensor lambda, int steps)
                => linalg.solve(X.T.matmul(X) + lambda * eye(X.shape[1], dtype: X.dtype), X.T.matmul(solution));

            [OptimalityCondition]
            public static Tensor Condition(Tensor w, Tensor X, Tensor solution, Tensor lambda, int steps)
                => X.T.matmul(X.matmul(w) - solution) + lambda * w;
        }

        [ImplicitLayer]
        public static partial class Equilibrium
        {
            [Solver]
            public static Tensor Solve(Tensor W, Tensor x, [NoDerivative] Tensor start)
            {
                var z = start;
                for (var i = 0; i < 200; i++) z = (W.matmul(z) + x).tanh();
                return z;
            }

            [FixedPoint]
            public static Tensor Map(Tensor z, Tensor W, Tensor x, [NoDerivative] Tensor start) => (W.matmul(z) + x).tanh();
        }

        [ImplicitLayer(ResidualTolerance = 1e-8)]
        public static partial class Minimiser
        {
            [Solver]
            public static Tensor Solve(Tensor a, Tensor b) => b / a;

            [Objective]
            public static Tensor Energy(Tensor x, Tensor a, Tensor b) => (0.5 * a * x.square() - b * x).sum();
        }

        /// <summary>Names a user may well pick that the generated members also want: each generated one moves aside.</summary>
        [ImplicitLayer(LinearSolver = LinearSolverKind.NormalConjugateGradient)]
        public static partial class Collisions
        {
            [Solver]
            public static Tensor Gradient(Tensor seed, Tensor dseed, Tensor v, Tensor u, Tensor leaves) => seed + dseed + v + u + leaves;

            [FixedPoint]
            public static Tensor Jacobian(Tensor x, Tensor seed, Tensor dseed, Tensor v, Tensor u, Tensor leaves)
                => 0.5 * x + 0.5 * (seed + dseed + v + u + leaves);
        }

        [ImplicitLayer(Mode = ImplicitMode.Unrolled)]
        public static partial class TransposedJacobian
        {
            [Solver] public static Tensor Solve(Tensor gradients, Tensor leaves) => gradients * leaves;
            [Objective] public static Tensor TransposedJacobianPullback(Tensor x, Tensor gradients, Tensor leaves) => (x - gradients * leaves).square().sum();
        }

        public static partial class Uses
        {
            [Differentiable(Modes = DerivativeModes.Forward)]
            public static Tensor Validation(Tensor X, Tensor y, Tensor lambda, Tensor Xv, Tensor yv)
                => (Xv.matmul(Ridge.Solve(X, y, lambda, 3)) - yv).square().mean();
        }
        """;

    [Fact]
    public void Implicit_layers_generate_their_verified_members_and_compile_cleanly()
    {
        var (results, output) = GeneratorRunner.RunAll(TestCompilation.Create(("Layers.cs", Layers)));

        Assert.All(results, result => Assert.Null(result.Exception));
        Assert.All(results, result => Assert.Empty(result.Diagnostics));
        Assert.Empty(GeneratorRunner.Problems(output));
        var generated = results.Single(r => r.Generator.GetGeneratorType() == typeof(DifferentiableGenerator)).GeneratedSources;
        foreach (var source in generated.Where(g => g.HintName.EndsWith(".ImplicitLayer.g.cs", StringComparison.Ordinal) || g.HintName.Contains("Uses")).OrderBy(g => g.HintName, StringComparer.Ordinal))
            Snapshot.Verify($"ImplicitLayers/{Path.GetFileNameWithoutExtension(source.HintName)}", source.SourceText.ToString());
        Assert.Equal(5, generated.Count(g => g.HintName.EndsWith(".ImplicitLayer.g.cs", StringComparison.Ordinal)));
    }
}
