using Leibniz.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Leibniz.Generators.Tests.Differentiation;

/// <summary>
/// Source the differential tester found to make generated code warn or fail to compile: each program must give generated
/// code with no warning and no error, in reverse mode, forward mode and H·v.
/// </summary>
public sealed class CleanOutputTests
{
    [Theory]
    [InlineData("ConstantCondition", "double y = (1 <= 1 ? x : 0.0) * x; if (2 > 3) return y; return y + x;")]
    [InlineData("SelfAssignment", "double y = x * x; x = x; y = y; return y * x;")]
    [InlineData("UnchangedTangent", "double acc = x; for (int i = 0; i < n; i++) acc += 2.0 * i; return acc * x;")]
    [InlineData("SelfComparison", "int k = n; double y = k < k ? x : x * x; return x < x ? y : y * 2.0;")]
    [InlineData("SelfComparedPartials", "float c = (float)x; return Math.Min(x, x) * x + MathF.Max(c, c) + Math.Max(x, x) + Math.Clamp(x, x, x);")]
    [InlineData("InfiniteConstant", "double y = x * Math.Atan(0.25 / ((double)(0 - 2 + 2))); return y + (x > -1e300 / 0.0 ? x : 0.0 / 0.0);")]
    [InlineData("NegativeZero", "return Math.Atan2(-0.0, 1.5 + x * x) + Math.Atan2(x, 2.0) * (-0.0 + n) - Math.Atan2(-0.0f, x);")]
    [InlineData("IntInParentheses", "return x * (n) + x * (n + 1) + x / (n + 1) + (n > 1 ? 2 : 3) * x + Math.Sin((n)) * x;")]
    public void The_generated_code_compiles_without_a_warning(string name, string body)
    {
        var source = $$"""
            using System;
            using Leibniz;

            namespace Clean;

            public static partial class Functions
            {
                [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
                public static double {{name}}(double x, int n)
                {
                    {{body}}
                }
            }
            """;
        var (results, output) = GeneratorRunner.RunAll(TestCompilation.Create(("Input.cs", source)));
        Assert.Contains(results.SelectMany(r => r.GeneratedSources), s => s.SourceText.ToString().Contains(name + "HessianVectorProduct("));
        var generated = output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true)
            .ToList();
        Assert.True(generated.Count == 0, string.Join("\n", generated));
    }
}
