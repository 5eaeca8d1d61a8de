using System.Collections.Immutable;
using Leibniz.Generators.Pipelines;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Leibniz.Generators.Tests.Infrastructure;

/// <summary>Runs the Leibniz generators on a compilation, with step tracking for caching tests.</summary>
internal static class GeneratorRunner
{
    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        new[] { new ModelGenerator().AsSourceGenerator(), new DifferentiableGenerator().AsSourceGenerator() },
        parseOptions: TestCompilation.ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once and returns its result and the compilation including its output.</summary>
    public static (GeneratorRunResult Result, Compilation Output) Run(Compilation input)
    {
        var (results, output) = RunAll(input);
        return (results.Single(r => r.Generator.GetGeneratorType() == typeof(ModelGenerator)), output);
    }

    /// <summary>Runs every generator; returns each one's result and the compilation including all their output.</summary>
    public static (IReadOnlyList<GeneratorRunResult> Results, Compilation Output) RunAll(Compilation input)
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(input, out var output, out _);
        return (driver.GetRunResult().Results, output);
    }

    /// <summary>The <c>[Differentiable]</c> generator's reverse-mode output (its <c>.Derivatives.g.cs</c> files) and diagnostics.</summary>
    public static (PipelineRun Result, Compilation Output) RunDifferentiable(Compilation input) => RunMode(input, ".Derivatives.g.cs");

    /// <summary>The <c>[Differentiable]</c> generator's forward-mode output (its <c>.Tangents.g.cs</c> files) and diagnostics.</summary>
    public static (PipelineRun Result, Compilation Output) RunForward(Compilation input) => RunMode(input, ".Tangents.g.cs");

    static (PipelineRun Result, Compilation Output) RunMode(Compilation input, string hintSuffix)
    {
        var (results, output) = RunAll(input);
        var run = results.Single(r => r.Generator.GetGeneratorType() == typeof(DifferentiableGenerator));
        var sources = run.GeneratedSources.Where(s => s.HintName.EndsWith(hintSuffix, StringComparison.Ordinal)).ToImmutableArray();
        return (new PipelineRun(run.Exception, run.Diagnostics, sources), output);
    }

    /// <summary>Errors and warnings of a compilation, minus those the test input causes on purpose.</summary>
    public static IReadOnlyList<Diagnostic> Problems(Compilation compilation)
        => compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
}

/// <summary>One mode's share of a generator run: the generator's exception and diagnostics, and that mode's sources.</summary>
internal sealed record PipelineRun(Exception? Exception, ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<GeneratedSourceResult> GeneratedSources);
