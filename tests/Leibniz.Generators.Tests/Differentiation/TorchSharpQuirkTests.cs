using Microsoft.CodeAnalysis.Diagnostics;
using Leibniz.Generators.Tests.Infrastructure;

namespace Leibniz.Generators.Tests.Differentiation;

/// <summary>
/// TorchSharp APIs whose behaviour differs from PyTorch's documented one are refused rather than given PyTorch's
/// derivative, which would not be the derivative of what runs: hardtanh returns its input unchanged, and var over every
/// element ignores <c>unbiased: false</c>.
/// </summary>
public sealed class TorchSharpQuirkTests
{
    internal static System.Collections.Immutable.ImmutableArray<Microsoft.CodeAnalysis.Diagnostic> DiagnosticsOf(string body)
    {
        var source = $$"""
            using Leibniz;
            using TorchSharp;
            using static TorchSharp.torch;

            public static partial class Quirks
            {
                static readonly long[] Sizes = { 4 };

                [Differentiable]
                public static Tensor F(Tensor a, Tensor b) => {{body}};
            }
            """;
        // The front end's refusals reach the user through the analyzer, as in the IDE; the generator then skips the method.
        var compilation = TestCompilation.Create(("Quirks.cs", source));
        var (run, _) = GeneratorRunner.RunDifferentiable(compilation);
        Assert.Null(run.Exception);
        var analyzed = compilation
            .WithAnalyzers(System.Collections.Immutable.ImmutableArray.Create<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer>(new Leibniz.Analyzers.DifferentiableAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        return run.Diagnostics.AddRange(analyzed);
    }

    [Theory]
    [InlineData("a.var(false)", "LZ0101")]
    [InlineData("torch.var(a, false)", "LZ0101")]
    [InlineData("nn.functional.hardtanh(a)", "LZ0102")]
    [InlineData("a.hardtanh(-0.5, 0.5)", "LZ0102")]
    public void A_quirky_api_is_refused_with_a_diagnostic(string body, string id)
        => Assert.Contains(DiagnosticsOf(body), d => d.Id == id);

    [Theory]
    [InlineData("a.var()")]
    [InlineData("a.var(1, false, true)")]
    [InlineData("a.std(false)")]
    public void The_forms_that_behave_as_documented_are_accepted(string body)
        => Assert.DoesNotContain(DiagnosticsOf(body), d => d.Id.StartsWith("LZ", StringComparison.Ordinal));
}
