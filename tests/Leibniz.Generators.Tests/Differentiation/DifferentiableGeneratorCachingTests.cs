using System.Reflection;
using Leibniz.Generators.IR;
using Leibniz.Generators.Pipelines;
using Leibniz.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Leibniz.Generators.Tests.Differentiation;

/// <summary>
/// The <c>[Differentiable]</c> pipeline lowers each method once, and everything after the lowering is reused
/// (<see cref="IncrementalStepRunReason.Cached"/>, not merely found equal) when an edit leaves the method's meaning alone.
/// </summary>
public sealed class DifferentiableGeneratorCachingTests
{
    /// <summary>Every step of the pipeline, from its <see cref="TrackingNames"/>.</summary>
    static readonly string[] AllSteps = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (string)field.GetValue(null)!)
        .Where(name => name.StartsWith("Differentiable", StringComparison.Ordinal) || name.StartsWith("Forward", StringComparison.Ordinal))
        .ToArray();

    /// <summary>
    /// The lowering itself. <c>ForAttributeWithMetadataName</c> runs its transform again on every new compilation (a method
    /// may mean something else once another file changes), so the best it can do is find its result <c>Unchanged</c>;
    /// what matters is that nothing after it runs.
    /// </summary>
    static readonly string[] LoweringSteps = { TrackingNames.DifferentiableFrontend };

    /// <summary>The steps holding the compilation: they run on every edit by design, and only place diagnostics.</summary>
    static readonly string[] CompilationSteps = { TrackingNames.DifferentiableCompilation, TrackingNames.DifferentiableTransformDiagnostics };

    /// <summary>Steps after a <c>Collect</c>: they run again when any method changes, and must then find the others' results equal.</summary>
    static readonly string[] AfterCollect =
    {
        // The methods of [Differentiable] and of implicit layers' conditions join in one stream after a Collect; a method
        // found equal there is Unchanged, and every per-method step after it is Cached.
        TrackingNames.DifferentiableMethodsCollected, TrackingNames.DifferentiableMethods,
        TrackingNames.DifferentiableReverseCollected, TrackingNames.DifferentiableTypes, TrackingNames.ForwardCollected,
        TrackingNames.ForwardResolved, TrackingNames.ForwardTypes, TrackingNames.ForwardFailures,
        TrackingNames.DifferentiableReverseFailuresCollected, TrackingNames.DifferentiableFailuresCombined, TrackingNames.DifferentiablePendingDiagnostics,
    };

    /// <summary>The steps whose values are specs: none may hold a compiler object.</summary>
    static readonly string[] SpecSteps = AllSteps.Except(LoweringSteps).Except(CompilationSteps).Except(new[] { TrackingNames.DifferentiableFrontendDiagnostics }).ToArray();

    const string Other = """
        using System;
        using Leibniz;

        namespace Elsewhere;

        public static partial class Others
        {
            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public static double Cube(double x) => x * x * x;

            [Differentiable]
            public static double Twice(double x) => 2 * x;
        }
        """;

    static CSharpCompilation TwoFiles() => TestCompilation.Create(("Functions.cs", ForwardInputs.Scalar), ("Others.cs", Other));

    static (GeneratorRunResult First, GeneratorRunResult Second) Rerun(Compilation first, Compilation second)
    {
        var driver = GeneratorRunner.CreateDriver().RunGenerators(first);
        var before = driver.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(DifferentiableGenerator));
        var after = driver.RunGenerators(second).GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(DifferentiableGenerator));
        return (before, after);
    }

    static Compilation Edit(Compilation compilation, string path, string from, string to)
    {
        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        var text = tree.GetText().ToString();
        var edited = text.Replace(from, to);
        Assert.NotEqual(text, edited);
        return compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(edited)));
    }

    /// <summary>The user type a step's value belongs to, or null for a value over all of them.</summary>
    static string? TypeOf(object? value) => value switch
    {
        DifferentiableGenerator.Lowering lowering => lowering.Method?.Hierarchy.Type.NameWithTypeParameters,
        DifferentiableGenerator.DifferentiableMethod method => method.Hierarchy.Type.NameWithTypeParameters,
        DifferentiableGenerator.Differentiated differentiated => differentiated.Spec?.Hierarchy.Type.NameWithTypeParameters,
        DifferentiableGenerator.TypedFunction function => function.Hierarchy.Type.NameWithTypeParameters,
        DifferentiableGenerator.TypeFunctions functions => functions.Hierarchy.Type.NameWithTypeParameters,
        DifferentiableGenerator.Tangent tangent => tangent.Hierarchy.Type.NameWithTypeParameters,
        DifferentiableGenerator.TypeTangents tangents => tangents.Hierarchy.Type.NameWithTypeParameters,
        _ => null,
    };

    static IEnumerable<(string Step, IncrementalStepRunReason Reason, object? Value)> Outputs(GeneratorRunResult run, string step)
        => run.TrackedSteps.TryGetValue(step, out var steps)
            ? steps.SelectMany(s => s.Outputs).Select(o => (step, o.Reason, (object?)o.Value))
            : Enumerable.Empty<(string, IncrementalStepRunReason, object?)>();

    /// <summary>Steps that yield one value per diagnostic, so none at all (and no record of having run) for clean input.</summary>
    static readonly string[] DiagnosticSteps = { TrackingNames.DifferentiableFrontendDiagnostics, TrackingNames.DifferentiableReverseFailures };

    /// <summary>Each step that ran the first time is on record the second time, so a test cannot pass by looking at nothing.</summary>
    static void AssertStepsTracked(GeneratorRunResult first, GeneratorRunResult second)
    {
        var ran = AllSteps.Except(CompilationSteps).Except(DiagnosticSteps).Where(first.TrackedSteps.ContainsKey).ToList();
        Assert.Contains(TrackingNames.DifferentiableReverse, ran);
        foreach (var step in ran)
            Assert.True(second.TrackedSteps.ContainsKey(step), $"step {step} was not tracked");
    }

    static void AssertSameSources(GeneratorRunResult first, GeneratorRunResult second)
    {
        Assert.Equal(
            first.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())),
            second.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())));
        Assert.Empty(second.Diagnostics);
    }

    /// <summary>
    /// After an edit that moves <c>Forward.Functions</c>'s methods but changes none: the lowering finds its results
    /// equal, and every step after it, and every source output, is reused without running.
    /// </summary>
    static void AssertReusedAfterPositionalEdit(GeneratorRunResult first, GeneratorRunResult second)
    {
        AssertStepsTracked(first, second);
        foreach (var (step, reason, _) in LoweringSteps.SelectMany(s => Outputs(second, s)))
            Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {step} output was {reason}");
        foreach (var (step, reason, value) in AllSteps.Except(LoweringSteps).Except(CompilationSteps).SelectMany(s => Outputs(second, s)))
        {
            // A Collect over nothing (no method asks for forward mode, say) is made anew each run; there is nothing in it to reuse.
            if (value is System.Collections.ICollection { Count: 0 } && reason == IncrementalStepRunReason.Unchanged) continue;
            Assert.True(reason == IncrementalStepRunReason.Cached, $"step {step} output was {reason}, not Cached");
        }
        foreach (var output in second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs))
            Assert.True(output.Reason == IncrementalStepRunReason.Cached, $"a source output was {output.Reason}, not Cached");
        AssertSameSources(first, second);
    }

    [Fact]
    public void Every_step_has_a_tracking_name()
    {
        var run = GeneratorRunner.CreateDriver().RunGenerators(TwoFiles()).GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(DifferentiableGenerator));
        // One name per step: the driver's own steps (the attribute search) aside, each tracked step is one of ours.
        foreach (var step in AllSteps.Except(DiagnosticSteps))
            Assert.True(run.TrackedSteps.ContainsKey(step), $"step {step} was not tracked");
    }

    [Fact]
    public void Rerunning_on_a_cloned_compilation_reuses_every_step()
    {
        var compilation = TwoFiles();
        var (first, second) = Rerun(compilation, compilation.Clone());
        AssertReusedAfterPositionalEdit(first, second);
    }

    [Fact]
    public void An_unrelated_new_file_reuses_every_step()
    {
        var compilation = TwoFiles();
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Elsewhere; public static class Helpers { public static int Twice(int x) => 2 * x; }", TestCompilation.ParseOptions, "Unrelated.cs"));
        var (first, second) = Rerun(compilation, edited);
        AssertReusedAfterPositionalEdit(first, second);
    }

    [Fact]
    public void Whitespace_above_a_method_reuses_every_step_after_the_lowering()
    {
        var compilation = TwoFiles();
        var edited = Edit(compilation, "Functions.cs", "{\n    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]\n    public static double SinTimesX",
            "{\n\n\n        \n    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]\n    public static double SinTimesX");
        var (first, second) = Rerun(compilation, edited);
        AssertReusedAfterPositionalEdit(first, second);
    }

    [Fact]
    public void A_comment_above_a_method_reuses_every_step_after_the_lowering()
    {
        var compilation = TwoFiles();
        var edited = Edit(compilation, "Functions.cs", "    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]\n    public static double SinTimesX",
            "    // The first function: sin(x)·x, with its\n    // Hessian–vector product.\n    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]\n    public static double SinTimesX");
        var (first, second) = Rerun(compilation, edited);
        AssertReusedAfterPositionalEdit(first, second);
    }

    [Fact]
    public void A_comment_inside_a_function_reuses_every_step_after_the_lowering()
    {
        var compilation = TwoFiles();
        var edited = Edit(compilation, "Functions.cs", "var sum = 0.0;", "var sum = 0.0; // the running total");
        var (first, second) = Rerun(compilation, edited);
        AssertReusedAfterPositionalEdit(first, second);
    }

    [Fact]
    public void Editing_a_method_of_another_type_in_another_file_reuses_every_step_of_this_one()
    {
        var compilation = TwoFiles();
        var edited = Edit(compilation, "Others.cs", "x * x * x;", "x * x * x * x;");
        var (first, second) = Rerun(compilation, edited);
        AssertStepsTracked(first, second);

        // Per-method steps: Forward.Functions's methods are lowered again and found equal, and nothing after runs for them.
        foreach (var (step, reason, value) in LoweringSteps.SelectMany(s => Outputs(second, s)))
        {
            if (TypeOf(value) == "Functions") Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {step} output for Functions was {reason}");
        }

        foreach (var (step, reason, value) in AllSteps.Except(LoweringSteps).Except(AfterCollect).Except(CompilationSteps).SelectMany(s => Outputs(second, s)))
        {
            if (TypeOf(value) == "Functions") Assert.True(reason == IncrementalStepRunReason.Cached, $"step {step} output for Functions was {reason}, not Cached");
        }

        // After a Collect a step sees every method, so it runs again; what it makes for Functions must then be equal.
        foreach (var (step, reason, value) in AfterCollect.SelectMany(s => Outputs(second, s)))
        {
            if (TypeOf(value) == "Functions") Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {step} output for Functions was {reason}");
        }

        // So the source outputs for Functions do not run.
        var outputs = second.TrackedOutputSteps.SelectMany(s => s.Value)
            .SelectMany(step => step.Outputs.Select(o => (o.Reason, Type: TypeOf(step.Inputs[0].Source.Outputs[step.Inputs[0].OutputIndex].Value))))
            .ToList();
        Assert.Contains(outputs, o => o.Type == "Functions");
        foreach (var output in outputs.Where(o => o.Type == "Functions"))
            Assert.True(output.Reason == IncrementalStepRunReason.Cached, $"a source output for Functions was {output.Reason}, not Cached");
        Assert.Contains(outputs, o => o.Type == "Others" && o.Reason == IncrementalStepRunReason.Modified);

        foreach (var hint in new[] { "Forward.Functions.Derivatives.g.cs", "Forward.Functions.Tangents.g.cs" })
            Assert.Equal(first.GeneratedSources.Single(s => s.HintName == hint).SourceText.ToString(), second.GeneratedSources.Single(s => s.HintName == hint).SourceText.ToString());
        Assert.Contains("x * x * x * x", string.Join("\n", second.GeneratedSources.Where(s => s.HintName.StartsWith("Elsewhere.Others", StringComparison.Ordinal)).Select(s => s.SourceText.ToString())).Replace("global::", ""), StringComparison.Ordinal);
    }

    /// <summary>
    /// Forty methods in one type, the even ones with Hessian–vector products, as the build-time benchmark's project has
    /// them: an edit of one body differentiates that method again and no other (the work grows with the edit, not with
    /// the number of methods), in reverse mode and forward mode alike.
    /// </summary>
    [Fact]
    public void Editing_one_method_among_many_differentiates_only_that_method_again()
    {
        var methods = string.Join("\n", Enumerable.Range(0, 40).Select(i => $$"""
                [Differentiable{{(i % 2 == 0 ? "(Modes = DerivativeModes.HessianVectorProduct)" : "")}}]
                public static double F{{i:D2}}(double x, double y)
                {
                    var z = Math.Exp(-x * x) * Math.Log(1.0 + y * y) + {{i}}.5 * x * y;
                    if (z > 1.0) z = Math.Sqrt(z * z + 1.0);
                    return Math.Tanh(z) * x;
                }
            """));
        var source = $$"""
            using System;
            using Leibniz;

            namespace Many;

            public static partial class Functions
            {
            {{methods}}
            }
            """;
        var compilation = TestCompilation.Create(("Many.cs", source));
        var edited = Edit(compilation, "Many.cs", "+ 4.5 * x * y;", "+ 4.25 * x * y;");
        var (first, second) = Rerun(compilation, edited);
        AssertStepsTracked(first, second);

        static string? NameOf(object? value) => value switch
        {
            DifferentiableGenerator.DifferentiableMethod method => method.Function.Name,
            DifferentiableGenerator.Differentiated differentiated => differentiated.Spec?.Function.Primal.Name,
            DifferentiableGenerator.Tangent tangent => tangent.Name,
            _ => null,
        };

        // F04 asks for Hessian–vector products, so both modes run for it; each step runs once per method.
        foreach (var step in new[] { TrackingNames.DifferentiableMethods, TrackingNames.DifferentiableReverse, TrackingNames.ForwardRequests, TrackingNames.ForwardTangents })
        {
            var outputs = Outputs(second, step).ToList();
            Assert.Equal(step.StartsWith("Forward", StringComparison.Ordinal) ? 20 : 40, outputs.Count);
            var ran = outputs.Where(o => o.Reason is not IncrementalStepRunReason.Cached and not IncrementalStepRunReason.Unchanged).ToList();
            Assert.True(ran.Count == 1 && NameOf(ran[0].Value) == "F04" && ran[0].Reason == IncrementalStepRunReason.Modified,
                $"step {step} ran for {string.Join(", ", ran.Select(o => NameOf(o.Value) + " (" + o.Reason + ")"))}, not F04 alone");
            var others = outputs.Where(o => NameOf(o.Value) != "F04");
            if (step == TrackingNames.DifferentiableMethods)
                Assert.All(others, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
            else
                Assert.All(others, o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        }

        Assert.Contains("4.25", second.GeneratedSources.Single(s => s.HintName == "Many.Functions.Derivatives.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_comment_inside_a_reverse_only_function_reuses_the_derivative()
    {
        var compilation = TestCompilation.Create(("Functions.cs", ScalarInputs.Functions));
        var edited = Edit(compilation, "Functions.cs", "var sum = 0.0;", "var sum = 0.0; // the running total");
        var (first, second) = Rerun(compilation, edited);
        AssertReusedAfterPositionalEdit(first, second);
    }

    [Fact]
    public void Changing_a_function_regenerates_its_derivative()
    {
        var compilation = TestCompilation.Create(("Functions.cs", ScalarInputs.Functions));
        var edited = Edit(compilation, "Functions.cs", "Math.Sin(x) * x;", "Math.Cos(x) * x;");

        var (_, run) = Rerun(compilation, edited);

        Assert.Contains(run.TrackedSteps[TrackingNames.DifferentiableReverse].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(run.GeneratedSources, g => g.SourceText.ToString().Contains("global::System.Math.Cos(x);"));
    }

    [Fact]
    public void Changing_a_function_regenerates_its_tangent()
    {
        var compilation = TestCompilation.Create(("Functions.cs", ForwardInputs.Scalar));
        var edited = Edit(compilation, "Functions.cs", "Math.Sin(x) * x;", "Math.Cos(x) * x;");

        var (_, run) = Rerun(compilation, edited);

        Assert.Contains(run.TrackedSteps[TrackingNames.ForwardTangents].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        var tangents = run.GeneratedSources.Single(g => g.HintName.EndsWith(".Tangents.g.cs", StringComparison.Ordinal)).SourceText.ToString();
        Assert.True(tangents.Contains("(-global::System.Math.Sin(x))") || tangents.Contains("global::System.Math.Sin(x);"));
    }

    [Fact]
    public void Each_method_is_lowered_once_for_every_mode()
    {
        var run = GeneratorRunner.CreateDriver().RunGenerators(TestCompilation.Create(("Functions.cs", ForwardInputs.Scalar))).GetRunResult()
            .Results.Single(r => r.Generator.GetGeneratorType() == typeof(DifferentiableGenerator));
        var lowered = Outputs(run, TrackingNames.DifferentiableFrontend).Select(o => o.Value).OfType<DifferentiableGenerator.Lowering>().ToList();
        var names = lowered.Where(l => l.Method is not null).Select(l => l.Method!.Function.Name).ToList();

        // One lowering per [Differentiable] method of the source, whatever modes it asks for.
        var declared = ForwardInputs.Scalar.Split("[Differentiable").Length - 1;
        Assert.Equal(declared, lowered.Count);
        Assert.Equal(names.Distinct().Count(), names.Count);
        Assert.Contains("SinTimesX", names);
        Assert.Contains(run.GeneratedSources, s => s.HintName == "Forward.Functions.Derivatives.g.cs");
        Assert.Contains(run.GeneratedSources, s => s.HintName == "Forward.Functions.Tangents.g.cs");
    }

    [Fact]
    public void The_pipeline_specs_hold_no_compiler_objects()
    {
        var run = GeneratorRunner.CreateDriver().RunGenerators(TwoFiles()).GetRunResult()
            .Results.Single(r => r.Generator.GetGeneratorType() == typeof(DifferentiableGenerator));
        var values = SpecSteps.SelectMany(step => Outputs(run, step)).Select(o => o.Value!).ToList();
        Assert.Contains(values, v => v is DifferentiableGenerator.DifferentiableMethod);
        Assert.Contains(values, v => v is DifferentiableGenerator.Tangent);
        Assert.Contains(values, v => v is DifferentiableGenerator.TypeFunctions);
        CompilerObjects.AssertNone(values);

        // The lowering's result too, but for its diagnostics, which carry real locations by design.
        var methods = Outputs(run, TrackingNames.DifferentiableFrontend).Select(o => ((DifferentiableGenerator.Lowering)o.Value!).Method).OfType<object>().ToList();
        Assert.NotEmpty(methods);
        CompilerObjects.AssertNone(methods);
    }

    [Theory]
    [InlineData(TrackingNames.DifferentiableMethods)]
    [InlineData(TrackingNames.DifferentiableReverse)]
    [InlineData(TrackingNames.DifferentiableTypes)]
    [InlineData(TrackingNames.ForwardTangents)]
    [InlineData(TrackingNames.ForwardTypes)]
    public void The_same_source_twice_gives_equal_but_distinct_specs(string step)
    {
        List<object> Specs() => Outputs(
                GeneratorRunner.CreateDriver().RunGenerators(TwoFiles()).GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(DifferentiableGenerator)),
                step)
            .Select(o => o.Value!)
            .ToList();

        var first = Specs();
        var second = Specs();

        Assert.NotEmpty(first);
        Assert.Equal(first, second);
        for (var i = 0; i < first.Count; i++)
        {
            Assert.False(ReferenceEquals(first[i], second[i]));
            Assert.Equal(first[i].GetHashCode(), second[i].GetHashCode());
        }
    }
}
