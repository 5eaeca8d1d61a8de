using Leibniz.Generators.Tests.Infrastructure;

namespace Leibniz.Generators.Tests.Differentiation;

/// <summary>
/// Which loops run their reverse inside themselves: those whose iterations' reverses are independent (an accumulator
/// the code after the loop only hands the seed to, values read in the iteration that computed them), and no other.
/// Their gradients are checked against central differences in tests/Leibniz.Tests (LoopFusionTests), on the same source.
/// </summary>
public sealed class ReverseLoopFusionTests
{
    // The functions whose gradients tests/Leibniz.Tests checks against central differences, generated here as written there.
    static readonly string Source = "using System;\nusing Leibniz;\n\n"
        + File.ReadAllText(Path.Combine(TestCompilation.RepositoryRoot, "tests", "Leibniz.Tests", "Differentiation", "LoopFusionFunctions.cs"));

    [Theory]
    [InlineData("Rosenbrock", true)]
    [InlineData("SharedScale", true)]
    [InlineData("Product", false)]
    [InlineData("IndexAdvancedInTheBody", false)]
    [InlineData("SquaredAfterTheLoop", false)]
    [InlineData("Carried", false)]
    public void A_loop_runs_its_reverse_inside_itself_only_when_its_iterations_are_independent(string function, bool fused)
    {
        var (result, output) = GeneratorRunner.RunDifferentiable(TestCompilation.Create(("Functions.cs", Source)));
        Assert.Empty(GeneratorRunner.Problems(output));
        var text = Assert.Single(result.GeneratedSources).SourceText.ToString();
        var start = text.IndexOf($"double {function}Pullback(", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no pullback for {function}");
        var end = text.IndexOf("Pullback(", start + function.Length + 20, StringComparison.Ordinal);
        var pullback = end < 0 ? text.Substring(start) : text.Substring(start, end - start);
        Assert.Equal(fused, pullback.Contains("each loop iteration's reverse run inside it", StringComparison.Ordinal));
        Assert.Equal(!fused, pullback.Contains("per iteration, last first", StringComparison.Ordinal));
    }
}
