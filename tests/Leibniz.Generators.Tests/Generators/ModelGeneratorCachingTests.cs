using System.Collections;
using System.Reflection;
using Leibniz.Generators.Pipelines;
using Leibniz.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Leibniz.Generators.Tests.Generators;

public sealed class ModelGeneratorCachingTests
{
    static readonly string[] TrackedSteps = { TrackingNames.ModelFrontend, TrackingNames.ModelSpecs };

    static readonly string Model = ModelInputs.Valid["BuffersAndSubmodules"];

    const string Unrelated = """
        namespace Elsewhere;
        public static class Helpers { public static int Twice(int x) => 2 * x; }
        """;

    static GeneratorDriverRunResult Rerun(Compilation first, Compilation second)
    {
        var driver = GeneratorRunner.CreateDriver().RunGenerators(first);
        return driver.RunGenerators(second).GetRunResult();
    }

    static void AssertAllReused(GeneratorDriverRunResult result)
    {
        var run = result.Results.Single(r => r.Generator.GetGeneratorType() == typeof(ModelGenerator));
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
        var compilation = TestCompilation.Create(("Model.cs", Model));
        AssertAllReused(Rerun(compilation, compilation.Clone()));
    }

    [Fact]
    public void An_unrelated_new_file_reuses_every_step()
    {
        var compilation = TestCompilation.Create(("Model.cs", Model));
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(Unrelated, TestCompilation.ParseOptions, "Unrelated.cs"));
        AssertAllReused(Rerun(compilation, edited));
    }

    [Fact]
    public void Editing_a_method_body_of_the_model_reruns_the_front_end_but_leaves_the_spec_unchanged()
    {
        var compilation = TestCompilation.Create(("Model.cs", Model));
        var tree = compilation.SyntaxTrees.Single();
        var editedText = Model.Replace("calls++;", "calls += 2;");
        Assert.NotEqual(Model, editedText);
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(editedText)));

        var run = Rerun(compilation, edited).Results.Single(r => r.Generator.GetGeneratorType() == typeof(ModelGenerator));

        var specs = run.TrackedSteps[TrackingNames.ModelFrontend].SelectMany(s => s.Outputs).ToList();
        Assert.Contains(specs, output => output.Reason == IncrementalStepRunReason.Unchanged);
        Assert.All(specs, output => Assert.NotEqual(IncrementalStepRunReason.Modified, output.Reason));
        Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
    }

    [Fact]
    public void Adding_a_parameter_changes_the_spec_and_the_output()
    {
        var compilation = TestCompilation.Create(("Model.cs", Model));
        var tree = compilation.SyntaxTrees.Single();
        var editedText = Model.Replace("[Parameter] Tensor weight;", "[Parameter] Tensor weight; [Parameter] Tensor extra;");
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(editedText)));

        var run = Rerun(compilation, edited).Results.Single(r => r.Generator.GetGeneratorType() == typeof(ModelGenerator));

        Assert.Contains(run.TrackedSteps[TrackingNames.ModelSpecs].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(run.GeneratedSources, g => g.SourceText.ToString().Contains("visitor.Parameter(\"extra\", ref this.extra);"));
    }

    [Fact]
    public void The_same_source_twice_gives_equal_but_distinct_models()
    {
        var first = SpecsOf(GeneratorRunner.CreateDriver().RunGenerators(TestCompilation.Create(("Model.cs", Model))).GetRunResult());
        var second = SpecsOf(GeneratorRunner.CreateDriver().RunGenerators(TestCompilation.Create(("Model.cs", Model))).GetRunResult());

        Assert.Equal(2, first.Count);
        Assert.Equal(first, second);
        for (var i = 0; i < first.Count; i++)
            Assert.False(ReferenceEquals(first[i], second[i]));
    }

    [Fact]
    public void The_pipeline_models_hold_no_compiler_objects()
    {
        var run = GeneratorRunner.CreateDriver().RunGenerators(TestCompilation.Create(("Model.cs", Model))).GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(ModelGenerator));
        // Only our own steps: Roslyn's internal ones legitimately carry syntax trees.
        var values = TrackedSteps.Where(run.TrackedSteps.ContainsKey)
            .SelectMany(name => run.TrackedSteps[name]).SelectMany(step => step.Outputs).Select(o => o.Value).ToList();
        Assert.NotEmpty(values);

        CompilerObjects.AssertNone(values);
    }

    static List<object> SpecsOf(GeneratorDriverRunResult result)
        => result.Results.Single(r => r.Generator.GetGeneratorType() == typeof(ModelGenerator)).TrackedSteps[TrackingNames.ModelSpecs].SelectMany(s => s.Outputs).Select(o => o.Value).ToList();
}
