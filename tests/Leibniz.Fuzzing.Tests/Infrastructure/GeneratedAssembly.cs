using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Leibniz.Generators.Pipelines;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Leibniz.Fuzzing.Tests.Infrastructure;

/// <summary>
/// Compiles user source through the Leibniz generators, in-process, as a user's build would: the generators run on the
/// compilation, their output joins it, and the whole is emitted and loaded into a collectible context.
/// </summary>
internal static class GeneratedAssembly
{
    static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll");
        var libraries = new[] { typeof(TorchSharp.torch).Assembly.Location, typeof(DifferentiableAttribute).Assembly.Location };
        return framework.Concat(libraries).Distinct().Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToImmutableArray();
    });

    static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    static int s_compilations;

    /// <summary>
    /// Runs the generators over <paramref name="source"/> and compiles the result. The outcome lists the generator's
    /// diagnostics (LZ…) and every warning or error in generated files (the product promises code that compiles with
    /// warnings as errors); the assembly is null when the compilation as a whole has errors.
    /// </summary>
    public static CompilationOutcome Compile(string source)
    {
        var name = "LeibnizFuzz" + Interlocked.Increment(ref s_compilations).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var tree = CSharpSyntaxTree.ParseText(source, ParseOptions, "Program.cs");
        var compilation = CSharpCompilation.Create(
            name,
            new[] { tree },
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, optimizationLevel: OptimizationLevel.Release));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new DifferentiableGenerator().AsSourceGenerator(), new ModelGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);

        var generated = output.SyntaxTrees.Where(t => !ReferenceEquals(t, tree)).ToList();
        // One emit binds everything once and reports every diagnostic; asking for diagnostics first would bind twice.
        using var stream = new MemoryStream();
        var emitted = output.Emit(stream);
        var all = emitted.Diagnostics;
        var leibnizDiagnostics = generatorDiagnostics.Concat(all.Where(d => d.Id.StartsWith("LZ", StringComparison.Ordinal))).ToList();
        var generatedProblems = all
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } t && !ReferenceEquals(t, tree))
            .ToList();
        var sourceErrors = all.Where(d => d.Severity == DiagnosticSeverity.Error && (d.Location.SourceTree is null || ReferenceEquals(d.Location.SourceTree, tree))).ToList();
        var generatedText = string.Join("\n", generated.Select(t => "// " + t.FilePath + "\n" + t.GetText()));

        Assembly? assembly = null;
        if (emitted.Success)
        {
            stream.Position = 0;
            assembly = new AssemblyLoadContext(name, isCollectible: true).LoadFromStream(stream);
        }

        IReadOnlyList<Diagnostic> Analyze() => output
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new Leibniz.Analyzers.DifferentiableAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        return new CompilationOutcome(assembly, leibnizDiagnostics, generatedProblems, sourceErrors, generatedText, Analyze);
    }
}

/// <summary>What compiling one batch of programs gave.</summary>
internal sealed record CompilationOutcome(
    Assembly? Assembly,
    IReadOnlyList<Diagnostic> LeibnizDiagnostics,
    IReadOnlyList<Diagnostic> GeneratedProblems,
    IReadOnlyList<Diagnostic> SourceErrors,
    string GeneratedText,
    Func<IReadOnlyList<Diagnostic>> Analyze)
{
    /// <summary>The diagnostics that belong to the class named <paramref name="typeName"/> (by the span of its declaration in <paramref name="source"/>).</summary>
    public IEnumerable<Diagnostic> LeibnizDiagnosticsIn(string source, string typeName) => In(LeibnizDiagnostics, source, typeName);

    /// <summary>The diagnostics of <paramref name="diagnostics"/> inside the class named <paramref name="typeName"/>.</summary>
    public static IEnumerable<Diagnostic> In(IEnumerable<Diagnostic> diagnostics, string source, string typeName)
    {
        var start = source.IndexOf("class " + typeName + "\n", StringComparison.Ordinal);
        if (start < 0) return Enumerable.Empty<Diagnostic>();
        var end = source.IndexOf("\n}\n", start, StringComparison.Ordinal);
        return diagnostics.Where(d => d.Location.IsInSource && d.Location.SourceSpan.Start >= start && d.Location.SourceSpan.Start <= end);
    }
}
