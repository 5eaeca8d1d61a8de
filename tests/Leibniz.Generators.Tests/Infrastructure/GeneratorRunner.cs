using Leibniz.Generators.Pipelines;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Leibniz.Generators.Tests.Infrastructure;

/// <summary>Runs the Leibniz generators on a compilation, with step tracking for caching tests.</summary>
internal static class GeneratorRunner
{
    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        new[] { new ModelGenerator().AsSourceGenerator(), new DifferentiableGenerator().AsSourceGenerator(), new ForwardModeGenerator().AsSourceGenerator() },
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

    /// <summary>The result of the <c>[Differentiable]</c> generator alone.</summary>
    public static (GeneratorRunResult Result, Compilation Output) RunDifferentiable(Compilation input)
    {
        var (results, output) = RunAll(input);
        return (results.Single(r => r.Generator.GetGeneratorType() == typeof(DifferentiableGenerator)), output);
    }

    /// <summary>The result of the forward-mode generator alone.</summary>
    public static (GeneratorRunResult Result, Compilation Output) RunForward(Compilation input)
    {
        var (results, output) = RunAll(input);
        return (results.Single(r => r.Generator.GetGeneratorType() == typeof(ForwardModeGenerator)), output);
    }

    /// <summary>Errors and warnings of a compilation, minus those the test input causes on purpose.</summary>
    public static IReadOnlyList<Diagnostic> Problems(Compilation compilation)
        => compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
}
