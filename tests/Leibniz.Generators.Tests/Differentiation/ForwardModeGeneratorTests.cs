using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Leibniz.Generators.Tests.Differentiation;

/// <summary>What the forward-mode pipeline generates when it cannot follow everything it is asked to.</summary>
public sealed class ForwardModeGeneratorTests
{
    const string Source = """
        using System;
        using Leibniz;

        namespace Blocked;

        public static partial class Functions
        {
            public static double Smooth(double x) => x * x * (3 - 2 * x);

            [Derivative(Of = nameof(Smooth))]
            public static double SmoothPullback(double x, double seed, ref double dx)
            {
                dx += seed * 6 * x * (1 - x);
                return Smooth(x);
            }

            [Differentiable(Modes = DerivativeModes.Forward)]
            public static double Inner(double x) => Smooth(x) + x;

            [Differentiable(Modes = DerivativeModes.Forward)]
            public static double Outer(double x) => Inner(x) * x;

            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public static double Fine(double x) => Math.Sin(x) * x;
        }
        """;

    [Fact]
    public void A_function_calling_one_without_forward_mode_gets_none_itself_and_reverse_mode_is_untouched()
    {
        var input = TestCompilation.Create(("Functions.cs", Source));
        var (results, output) = GeneratorRunner.RunAll(input);
        var run = results.Single(r => r.Generator.GetGeneratorType() == typeof(Pipelines.DifferentiableGenerator));

        Assert.Empty(GeneratorRunner.Problems(output));
        var tangents = Assert.Single(run.GeneratedSources, s => s.HintName.EndsWith(".Tangents.g.cs", StringComparison.Ordinal)).SourceText.ToString();
        Assert.Contains("FineTangent(", tangents);
        Assert.Contains("FineHessianVectorProduct(", tangents);
        Assert.DoesNotContain("InnerTangent", tangents);
        Assert.DoesNotContain("OuterTangent", tangents);

        // Inner's own LZ0109 comes from the analyzer; Outer's, which only the pipeline can see, from the generator.
        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal(DiagnosticDescriptors.ForwardModeUnavailable.Id, diagnostic.Id);
        Assert.Contains("'Inner'", diagnostic.GetMessage());
        Assert.Equal("Functions.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal("Outer", Source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        // In the user's own tree, not a location naming only a file: #pragma warning disable LZ0109 applies to it.
        Assert.Same(input.SyntaxTrees.Single(), diagnostic.Location.SourceTree);

        var derivatives = Assert.Single(run.GeneratedSources, s => s.HintName.EndsWith(".Derivatives.g.cs", StringComparison.Ordinal)).SourceText.ToString();
        Assert.Contains("OuterWithGradient(", derivatives);
        Assert.Contains("InnerPullback(", derivatives);
    }

    [Fact]
    public void A_diagnostic_follows_its_method_when_lines_are_added_above_while_nothing_is_differentiated_again()
    {
        var input = TestCompilation.Create(("Functions.cs", Source));
        var tree = input.SyntaxTrees.Single();
        var movedSource = Source.Replace("public static partial class Functions\n{", "public static partial class Functions\n{\n    // Two lines\n    // added above.\n");
        Assert.NotEqual(Source, movedSource);
        var moved = input.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(movedSource)));

        var driver = GeneratorRunner.CreateDriver().RunGenerators(input);
        var run = driver.RunGenerators(moved).GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(Pipelines.DifferentiableGenerator));

        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Same(moved.SyntaxTrees.Single(), diagnostic.Location.SourceTree);
        Assert.Equal("Outer", movedSource.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        foreach (var step in new[] { Pipelines.TrackingNames.ForwardTangents, Pipelines.TrackingNames.ForwardResolved, Pipelines.TrackingNames.DifferentiablePendingDiagnostics })
            Assert.All(run.TrackedSteps[step].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Overloads_with_forward_mode_are_generated_side_by_side_without_an_exception()
    {
        const string overloads = """
            using System;
            using Leibniz;

            public static partial class Overloaded
            {
                [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
                public static double Energy(double x) => Math.Sin(x) * x;

                [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
                public static double Energy(double x, double y) => Energy(x) * y + y * y;
            }
            """;
        var (results, output) = GeneratorRunner.RunAll(TestCompilation.Create(("Overloaded.cs", overloads)));
        var run = results.Single(r => r.Generator.GetGeneratorType() == typeof(Pipelines.DifferentiableGenerator));

        Assert.Null(run.Exception);
        Assert.Empty(GeneratorRunner.Problems(output));
        var tangents = Assert.Single(run.GeneratedSources, s => s.HintName.EndsWith(".Tangents.g.cs", StringComparison.Ordinal)).SourceText.ToString();
        Assert.Contains("EnergyTangent(double x, double dx,", tangents);
        Assert.Contains("EnergyTangent(double x, double y, double dx, double dy,", tangents);
    }
}
