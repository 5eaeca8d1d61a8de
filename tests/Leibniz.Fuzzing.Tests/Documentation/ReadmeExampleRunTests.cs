using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using Leibniz.Generators.Pipelines;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Abstractions;

namespace Leibniz.Fuzzing.Tests.Documentation;

/// <summary>
/// Each C# block of the README is a whole program: compiled through the generators in-process, as a user's build would
/// compile it, it runs to the end on TorchSharp and prints its result. (The generator tests check that it compiles with no
/// warning; this runs it.)
/// </summary>
public sealed class ReadmeExampleRunTests(ITestOutputHelper output)
{
    static readonly Regex CSharpBlock = new(@"^```csharp\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline | RegexOptions.CultureInvariant);

    static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    // What a console project's ImplicitUsings gives a reader who pastes the block into Program.cs.
    const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    static string RepositoryRoot { get; } = typeof(ReadmeExampleRunTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    static IReadOnlyList<string> Blocks()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot, "README.md")).Replace("\r\n", "\n");
        return CSharpBlock.Matches(readme).Select(m => m.Groups[1].Value).ToList();
    }

    public static TheoryData<int> Indexes()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Blocks().Count; i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Indexes))]
    public void Readme_block_runs(int index)
    {
        var entryPoint = Compile(index);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TorchSharp.torch.manual_seed(1);
        var printed = new StringWriter();
        var console = Console.Out;
        Console.SetOut(printed);
        try
        {
            entryPoint.Invoke(null, new object[] { Array.Empty<string>() });
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            Assert.Fail($"block {index + 1} of the README threw {inner}");
        }
        finally
        {
            Console.SetOut(console);
        }

        output.WriteLine($"ran in {clock.Elapsed.TotalSeconds:F1} s:\n{printed}");
        Assert.False(string.IsNullOrWhiteSpace(printed.ToString()), $"block {index + 1} of the README printed nothing");
    }

    static MethodInfo Compile(int index)
    {
        var name = "LeibnizReadme" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var trees = new[]
        {
            CSharpSyntaxTree.ParseText(ImplicitUsings, ParseOptions, "ImplicitUsings.cs"),
            CSharpSyntaxTree.ParseText(Blocks()[index], ParseOptions, "Program.cs"),
        };
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll");
        var references = framework
            .Concat(new[] { typeof(TorchSharp.torch).Assembly.Location, typeof(DifferentiableAttribute).Assembly.Location })
            .Distinct()
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(name, trees, references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new DifferentiableGenerator().AsSourceGenerator(), new ModelGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorDiagnostics);
        Assert.True(generatorDiagnostics.IsEmpty, $"block {index + 1} of the README: " + string.Join("\n", generatorDiagnostics));

        using var stream = new MemoryStream();
        var emitted = generated.Emit(stream);
        Assert.True(emitted.Success, $"block {index + 1} of the README:\n" + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        stream.Position = 0;
        var assembly = new AssemblyLoadContext(name, isCollectible: true).LoadFromStream(stream);
        return assembly.EntryPoint ?? throw new InvalidOperationException($"block {index + 1} of the README has no top-level statements to run");
    }
}
