using System.Reflection;
using System.Runtime.Loader;
using Leibniz.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Leibniz.Generators.Tests.Differentiation;

/// <summary>
/// A variable compared with itself (<c>x != x</c>, the NaN test, or <c>Math.Min(x, x)</c>'s partials) is C#'s warning CS1718:
/// the generated code spells such a comparison by its value, so it compiles with warnings as errors and no pragma, and
/// computes what the source does.
/// </summary>
public sealed class SelfComparisonTests
{
    const string Source = """
        using System;
        using Leibniz;

        namespace SelfCompared;

        public static partial class Functions
        {
            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public static double Tests(double x, int n)
            {
                double y = x == x ? x * x : 0.0;
                if (x != x) y = 1.0;
                double z = x <= x ? y * x : y;
                int k = n;
                double w = k == k ? z + x : z;
                if (k != k) w = 0.0;
                if (k <= k) w = w * x;
                return w + Math.Min(x, x);
            }
        }
        """;

    // (x² · x + x) · x + min(x, x) for every finite x: its derivative 4x³ + 2x + 1, its second 12x² + 2. The partials of
    // min(x, x) compare x with itself too.
    static double Value(double x) => (x * x * x + x) * x + x;

    static double Derivative(double x) => 4 * x * x * x + 2 * x + 1;

    static double SecondDerivative(double x) => 12 * x * x + 2;

    static (IReadOnlyList<SyntaxTree> Generated, Compilation Output) Generate()
    {
        var input = TestCompilation.Create(("Input.cs", Source));
        var (_, output) = GeneratorRunner.RunAll(input);
        return (output.SyntaxTrees.Where(t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal)).ToList(), output);
    }

    [Fact]
    public void Generated_code_compiles_with_warnings_as_errors_and_no_pragma()
    {
        var (generated, output) = Generate();
        Assert.Equal(2, generated.Count);
        foreach (var tree in generated)
        {
            var text = tree.GetText().ToString();
            Assert.DoesNotContain("#pragma", text, StringComparison.Ordinal);
            // The comments quote the source; the code must not.
            var code = string.Join("\n", text.Split('\n').Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal)));
            foreach (var comparison in new[] { "x == x", "x != x", "x <= x", "k == k", "k != k", "k <= k" })
                Assert.DoesNotContain(comparison, code, StringComparison.Ordinal);
        }

        var problems = output.WithOptions(output.Options.WithGeneralDiagnosticOption(ReportDiagnostic.Error)).GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true)
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Values_gradients_and_second_derivatives_are_those_of_the_source()
    {
        var (_, output) = Generate();
        using var stream = new MemoryStream();
        var emitted = output.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        stream.Position = 0;
        var context = new AssemblyLoadContext(nameof(SelfComparisonTests), isCollectible: true);
        try
        {
            var functions = context.LoadFromStream(stream).GetType("SelfCompared.Functions")!;
            foreach (var x in new[] { -1.5, 0.25, 2.0 })
            {
                var arguments = new object?[] { x, 3, null };
                var value = (double)Invoke(functions, "TestsWithGradient", arguments);
                Assert.Equal(Value(x), value, 12);
                Assert.Equal(Derivative(x), (double)arguments[2]!, 12);

                var tangent = new object?[] { x, 3, 1.0, null };
                Assert.Equal(Value(x), (double)Invoke(functions, "TestsTangent", tangent), 12);
                Assert.Equal(Derivative(x), (double)tangent[3]!, 12);

                var product = new object?[] { x, 3, 1.0, null, null };
                Assert.Equal(Derivative(x), (double)Invoke(functions, "TestsHessianVectorProduct", product), 12);
                Assert.Equal(Derivative(x), (double)product[3]!, 12);
                Assert.Equal(SecondDerivative(x), (double)product[4]!, 12);
            }

            // NaN fails x == x and x <= x, passes x != x: y = 1, z = y, w = (z + x) · x, all NaN but y's branch.
            var nan = new object?[] { double.NaN, 3, null };
            Assert.True(double.IsNaN((double)Invoke(functions, "TestsWithGradient", nan)));
        }
        finally
        {
            context.Unload();
        }
    }

    static object Invoke(Type type, string name, object?[] arguments)
        => type.GetMethod(name, BindingFlags.Public | BindingFlags.Static) is { } method
            ? method.Invoke(null, arguments)!
            : throw new MissingMethodException(type.FullName, name);
}
