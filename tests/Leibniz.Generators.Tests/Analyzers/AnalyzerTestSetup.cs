using Leibniz.Analyzers;
using Leibniz.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Leibniz.Generators.Tests.Analyzers;

/// <summary>
/// What every analyzer and code-fix test compiles against: the .NET 8 reference assemblies (the
/// oldest framework Leibniz.Runtime targets), TorchSharp and Leibniz.Runtime. The generator does
/// not run here, so a valid <c>[Model]</c> class has no base type and compiles on its own.
/// </summary>
internal static class AnalyzerTestSetup
{
    /// <summary>The usings a model file starts with; test sources append to it.</summary>
    public const string Usings = """
        using Leibniz;
        using TorchSharp;
        using static TorchSharp.torch;

        """;

    static readonly MetadataReference[] Libraries =
    {
        MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(ModelAttribute).Assembly.Location),
    };

    public static void Configure(AnalyzerTest<DefaultVerifier> test)
    {
        test.ReferenceAssemblies = ReferenceAssemblies.Net.Net80;
        test.TestState.AdditionalReferences.AddRange(Libraries);
    }

    /// <summary>Runs every Leibniz analyzer on <paramref name="source"/> and expects exactly <paramref name="expected"/>.</summary>
    public static Task VerifyAnalyzersAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new LeibnizAnalyzerTest { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>Applies the LZ0001 fix to <paramref name="source"/> (markup marks the diagnostics) and expects <paramref name="fixedSource"/>.</summary>
    public static Task VerifyMakePartialFixAsync(string source, string fixedSource)
    {
        var test = new CSharpCodeFixTest<ModelDeclarationAnalyzer, MakePartialCodeFixProvider, DefaultVerifier>
        {
            TestCode = source,
            FixedCode = fixedSource,
        };
        Configure(test);
        return test.RunAsync();
    }

    /// <summary>
    /// Applies <typeparamref name="TCodeFix"/> to the diagnostics <typeparamref name="TAnalyzer"/> reports in
    /// <paramref name="source"/> (markup marks them) and expects <paramref name="fixedSource"/>, with no diagnostics left.
    /// <paramref name="iterations"/> is how many rounds of fixing that takes, where a fix uncovers the next diagnostic.
    /// </summary>
    public static Task VerifyFixAsync<TAnalyzer, TCodeFix>(string source, string fixedSource, int? iterations = null)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            TestCode = source,
            FixedCode = fixedSource,
        };
        if (iterations is { } rounds)
        {
            test.NumberOfIncrementalIterations = rounds;
            test.NumberOfFixAllIterations = rounds;
        }

        Configure(test);
        return test.RunAsync();
    }

    /// <summary>A diagnostic with the descriptor's id, severity and message format, for <c>WithLocation</c>/<c>WithArguments</c>.</summary>
    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    /// <summary>
    /// Every analyzer at once, so that a test expecting one rule also proves the others stay quiet.
    /// </summary>
    sealed class LeibnizAnalyzerTest : CSharpAnalyzerTest<ModelDeclarationAnalyzer, DefaultVerifier>
    {
        public LeibnizAnalyzerTest() => Configure(this);

        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers()
            => new DiagnosticAnalyzer[] { new ModelDeclarationAnalyzer(), new StrayComponentAnalyzer(), new DifferentiableAnalyzer(), new ImplicitLayerAnalyzer() };
    }
}
