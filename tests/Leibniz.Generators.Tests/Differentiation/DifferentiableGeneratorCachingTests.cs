using Leibniz.Generators.Pipelines;
using Leibniz.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Leibniz.Generators.Tests.Differentiation;

public sealed class DifferentiableGeneratorCachingTests
{
    static readonly string[] TrackedSteps = { TrackingNames.DifferentiableFrontend, TrackingNames.DifferentiableReverse, TrackingNames.DifferentiableTypes };

    static GeneratorRunResult Rerun(Compilation first, Compilation second)
    {
        var driver = GeneratorRunner.CreateDriver().RunGenerators(first);
        return driver.RunGenerators(second).GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(DifferentiableGenerator));
    }

    static void AssertAllReused(GeneratorRunResult run)
    {
        foreach (var step in TrackedSteps)
        {
            Assert.True(run.TrackedSteps.ContainsKey(step), $"step {step} was not tracked");
            foreach (var output in run.TrackedSteps[step].SelectMany(s => s.Outputs))
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {step} output was {output.Reason}");
        }

        foreach (var output in run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs))
            Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"a source output was {output.Reason}");
    }

    [Fact]
    public void Rerunning_on_a_cloned_compilation_reuses_every_step()
    {
        var compilation = TestCompilation.Create(("Functions.cs", ScalarInputs.Functions));
        AssertAllReused(Rerun(compilation, compilation.Clone()));
    }

    [Fact]
    public void An_unrelated_new_file_reuses_every_step()
    {
        var compilation = TestCompilation.Create(("Functions.cs", ScalarInputs.Functions));
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Elsewhere; public static class Helpers { public static int Twice(int x) => 2 * x; }", TestCompilation.ParseOptions, "Unrelated.cs"));
        AssertAllReused(Rerun(compilation, edited));
    }

    [Fact]
    public void A_comment_inside_a_function_reruns_the_front_end_but_reuses_the_derivative()
    {
        var compilation = TestCompilation.Create(("Functions.cs", ScalarInputs.Functions));
        var tree = compilation.SyntaxTrees.Single();
        var editedText = ScalarInputs.Functions.Replace("var sum = 0.0;", "var sum = 0.0; // the running total");
        Assert.NotEqual(ScalarInputs.Functions, editedText);
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(editedText)));

        var run = Rerun(compilation, edited);

        Assert.All(run.TrackedSteps[TrackingNames.DifferentiableReverse].SelectMany(s => s.Outputs),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"reverse step was {output.Reason}"));
        Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"a source output was {output.Reason}"));
    }

    [Fact]
    public void Changing_a_function_regenerates_its_derivative()
    {
        var compilation = TestCompilation.Create(("Functions.cs", ScalarInputs.Functions));
        var tree = compilation.SyntaxTrees.Single();
        var editedText = ScalarInputs.Functions.Replace("Math.Sin(x) * x;", "Math.Cos(x) * x;");
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(editedText)));

        var run = Rerun(compilation, edited);

        Assert.Contains(run.TrackedSteps[TrackingNames.DifferentiableReverse].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(run.GeneratedSources, g => g.SourceText.ToString().Contains("global::System.Math.Cos(x);"));
    }

    [Fact]
    public void The_pipeline_models_hold_no_compiler_objects()
    {
        var run = GeneratorRunner.CreateDriver().RunGenerators(TestCompilation.Create(("Functions.cs", ScalarInputs.Functions))).GetRunResult()
            .Results.Single(r => r.Generator.GetGeneratorType() == typeof(DifferentiableGenerator));
        var values = TrackedSteps.SelectMany(name => run.TrackedSteps[name]).SelectMany(step => step.Outputs).Select(o => o.Value).ToList();
        Assert.NotEmpty(values);
        CompilerObjects.AssertNone(values);
    }
}
