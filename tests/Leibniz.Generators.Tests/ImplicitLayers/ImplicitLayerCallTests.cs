using System.Collections.Immutable;
using Leibniz.Analyzers;
using Leibniz.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Leibniz.Generators.Tests.ImplicitLayers;

/// <summary>What the analyzers say about calls of implicit layers on the compilation a build has: the user's code and the generated.</summary>
public sealed class ImplicitLayerCallTests
{
    static async Task<IReadOnlyList<Diagnostic>> Analyze(string source)
    {
        var (_, output) = GeneratorRunner.RunAll(TestCompilation.Create(("Layers.cs", source)));
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new DifferentiableAnalyzer(), new ImplicitLayerAnalyzer());
        var diagnostics = await output.WithAnalyzers(analyzers).GetAllDiagnosticsAsync();
        return diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
    }

    const string Layer = """
        using Leibniz;
        using TorchSharp;
        using static TorchSharp.torch;

        [ImplicitLayer]
        public static partial class Ridge
        {
            [Solver] public static Tensor Solve(Tensor a) => a;
            [OptimalityCondition] public static Tensor F(Tensor x, Tensor a) => x - a;
        }

        """;

    [Fact]
    public async Task In_differentiable_code_Apply_is_refused_with_the_solver_to_call_instead()
    {
        var diagnostics = await Analyze(Layer + """
            public static partial class Uses
            {
                [Differentiable]
                public static Tensor Loss(Tensor a) => Ridge.Apply(a).square().sum();
            }
            """);

        var refused = Assert.Single(diagnostics);
        Assert.Equal("LZ0101", refused.Id);
        Assert.Contains("write Ridge.Solve(...)", refused.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calling_the_solver_and_Apply_outside_differentiable_code_is_clean()
    {
        var diagnostics = await Analyze(Layer + """
            public static class Plain
            {
                public static Tensor Both(Tensor a) => Ridge.Apply(a) + Ridge.Solve(a);
            }

            public static partial class Uses
            {
                [Differentiable(Modes = DerivativeModes.Forward)]
                public static Tensor Loss(Tensor a) => Ridge.Solve(a).square().sum();
            }
            """);

        Assert.Empty(diagnostics);
    }

    [Fact]
    public async Task A_Hessian_vector_product_through_a_layer_is_refused_by_name()
    {
        var diagnostics = await Analyze(Layer + """
            public static partial class Uses
            {
                [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
                public static Tensor Loss(Tensor a) => Ridge.Solve(a).square().sum();
            }
            """);

        var refused = Assert.Single(diagnostics);
        Assert.Equal("LZ0109", refused.Id);
        Assert.Contains("no Hessian–vector product yet", refused.GetMessage(), StringComparison.Ordinal);
    }
}
