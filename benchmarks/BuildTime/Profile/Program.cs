// Times the Leibniz generators and analyzers in process on a project written by generate-project.sh:
//
//   dotnet run -c Release --project benchmarks/BuildTime/Profile -- DIR [RUNS]
//
// For each of RUNS rounds: a fresh generator driver over the whole project (what a command-line build pays), the
// same driver again after one method's body is edited (what an IDE session pays), and the analyzers over the
// compilation with the generated code. Prints wall and thread CPU time per stage, and the slowest incremental steps.
using System.Collections.Immutable;
using System.Diagnostics;
using Leibniz.Analyzers;
using Leibniz.Generators.Pipelines;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

var dir = args.Length > 0 ? args[0] : throw new ArgumentException("usage: DIR [RUNS]");
var runs = args.Length > 1 ? int.Parse(args[1]) : 3;

var parse = new CSharpParseOptions(LanguageVersion.Latest);
const string implicitUsings = """
    global using System;
    global using System.Collections.Generic;
    global using System.IO;
    global using System.Linq;
    global using System.Net.Http;
    global using System.Threading;
    global using System.Threading.Tasks;
    """;
var trees = Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
    .Where(p => !p.Contains("/obj/") && !p.Contains("/bin/"))
    .OrderBy(p => p, StringComparer.Ordinal)
    .Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), parse, p))
    .Append(CSharpSyntaxTree.ParseText(implicitUsings, parse, "GlobalUsings.g.cs"))
    .ToList();
var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
    .Split(Path.PathSeparator)
    .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll");
var references = framework
    .Concat(new[] { typeof(TorchSharp.torch).Assembly.Location, typeof(Leibniz.ModelAttribute).Assembly.Location })
    .Distinct()
    .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
    .ToList();
var options = new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable);
CSharpCompilation Fresh() => CSharpCompilation.Create("BuildTime", trees, references, options);

IIncrementalGenerator[] generators = { new ModelGenerator(), new DifferentiableGenerator() };
DiagnosticAnalyzer[] analyzers = { new DifferentiableAnalyzer(), new ModelDeclarationAnalyzer(), new StrayComponentAnalyzer() };
var driverOptions = new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true);

// The edit run.sh makes: one constant in the first scalar function's body.
var editIndex = trees.FindIndex(t => t.FilePath.EndsWith("Functions00.cs", StringComparison.Ordinal));
var editText = trees[editIndex].GetText().ToString();
var marker = editText.IndexOf("// EDIT", StringComparison.Ordinal);

static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
static double Jit() => System.Runtime.JitInfo.GetCompilationTime().TotalSeconds;
var methods = trees.Sum(t => t.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.AttributeSyntax>().Count(a => a.Name.ToString() == "Differentiable"));
Console.WriteLine($"{trees.Count} files, {methods} [Differentiable] methods, {Environment.ProcessorCount} cores");

// Roslyn's own code warmed first (binding and analysing the user's code with no Leibniz component), so that the
// first round's JIT time is Leibniz's, as in a compiler whose own code is precompiled.
{
    var cpuWarm = Cpu(); var jitWarm = Jit();
    var warm = Fresh();
    _ = warm.GetDiagnostics();
    _ = warm.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new NoOpAnalyzer())).GetAnalyzerDiagnosticsAsync().Result;
    GeneratorDriver warmDriver = CSharpGeneratorDriver.Create(new[] { new NoOpGenerator().AsSourceGenerator() }, parseOptions: parse, driverOptions: driverOptions);
    warmDriver.RunGenerators(warm);
    Console.WriteLine($"Roslyn warmed: {Cpu() - cpuWarm:F2} s CPU ({Jit() - jitWarm:F2} s JIT)");
}

for (var run = 1; run <= runs; run++)
{
    // A fresh compilation: nothing bound yet, as in a command-line build.
    var compilation = Fresh();
    var sw = Stopwatch.StartNew();
    var cpu0 = Cpu(); var jit0 = Jit();
    GeneratorDriver driver = CSharpGeneratorDriver.Create(generators.Select(g => g.AsSourceGenerator()), parseOptions: parse, driverOptions: driverOptions);
    driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
    var genWall = sw.Elapsed.TotalSeconds; var genCpu = Cpu() - cpu0;
    var result = driver.GetRunResult();
    var timing = driver.GetTimingInfo();
    Console.WriteLine($"run {run}: generators, fresh driver: {genWall:F2} s wall, {genCpu:F2} s CPU ({Jit() - jit0:F2} s of it JIT); {result.GeneratedTrees.Length} files, {generatorDiagnostics.Length} diagnostics");
    foreach (var g in timing.GeneratorTimes) Console.WriteLine($"    {g.Generator.GetGeneratorType().Name,-28} {g.ElapsedTime.TotalSeconds:F3} s");
    PrintSteps(result);

    // Compile errors in the output (sanity check: the generated code must bind).
    var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
    if (errors.Count > 0) Console.WriteLine($"    {errors.Count} compile errors, first: {errors[0]}");

    // Analyzers over the compilation with the generated code, as the compiler runs them.
    sw.Restart(); cpu0 = Cpu(); jit0 = Jit();
    var withAnalyzers = output.WithAnalyzers(analyzers.ToImmutableArray(), new CompilationWithAnalyzersOptions(
        new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true, reportSuppressedDiagnostics: false));
    var analyzerDiagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync().Result;
    var anWall = sw.Elapsed.TotalSeconds; var anCpu = Cpu() - cpu0;
    Console.WriteLine($"    analyzers (with binding the whole compilation): {anWall:F2} s wall, {anCpu:F2} s CPU ({Jit() - jit0:F2} s JIT); {analyzerDiagnostics.Length} diagnostics");
    foreach (var a in analyzers)
        Console.WriteLine($"    {a.GetType().Name,-28} {withAnalyzers.GetAnalyzerTelemetryInfoAsync(a, default).Result.ExecutionTime.TotalSeconds:F3} s");

    // The same driver after one method's body changed.
    var edited = editText.Substring(0, marker).Replace("0.5 * x[k] * x[k];", $"0.{500 + run} * x[k] * x[k];") + editText.Substring(marker);
    var next = compilation.ReplaceSyntaxTree(trees[editIndex], CSharpSyntaxTree.ParseText(edited, parse, trees[editIndex].FilePath));
    sw.Restart(); cpu0 = Cpu();
    driver = driver.RunGenerators(next);
    Console.WriteLine($"    after one edit, same driver: {sw.Elapsed.TotalSeconds:F3} s wall, {Cpu() - cpu0:F3} s CPU");
    PrintSteps(driver.GetRunResult(), onlyRan: true);
}

static void PrintSteps(GeneratorDriverRunResult result, bool onlyRan = false)
{
    foreach (var generator in result.Results)
        foreach (var (name, steps) in generator.TrackedSteps.OrderByDescending(s => s.Value.Sum(x => x.ElapsedTime.Ticks)))
        {
            var total = TimeSpan.FromTicks(steps.Sum(s => s.ElapsedTime.Ticks));
            var ran = steps.Sum(s => s.Outputs.Count(o => o.Reason is IncrementalStepRunReason.New or IncrementalStepRunReason.Modified));
            var all = steps.Sum(s => s.Outputs.Length);
            if (total.TotalMilliseconds < 5 && !onlyRan) continue;
            if (onlyRan && ran == 0 && total.TotalMilliseconds < 5) continue;
            Console.WriteLine($"      {name,-42} {total.TotalSeconds,7:F3} s  {steps.Length,4} runs, outputs new/modified {ran}/{all}");
        }
}

[DiagnosticAnalyzer(LanguageNames.CSharp)]
sealed class NoOpAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray<DiagnosticDescriptor>.Empty;

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxNodeAction(c => c.SemanticModel.GetDeclaredSymbol(c.Node), Microsoft.CodeAnalysis.CSharp.SyntaxKind.MethodDeclaration);
    }
}

sealed class NoOpGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
        => context.RegisterSourceOutput(context.SyntaxProvider.ForAttributeWithMetadataName("Leibniz.DifferentiableAttribute", (n, _) => true, (c, _) => c.TargetSymbol.Name), (_, _) => { });
}
