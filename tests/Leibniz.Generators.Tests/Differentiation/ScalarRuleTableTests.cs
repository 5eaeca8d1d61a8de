using System.Reflection;
using Leibniz.Generators.Rules;
using Leibniz.Generators.Rules.Scalar;
using Leibniz.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Leibniz.Generators.Tests.Differentiation;

/// <summary>
/// The scalar rule table against the framework it describes: every row names a real function, every partial calls
/// only what the classes holding the row have (or the generated code would not compile for one of them), and every row
/// has a double and a float function in the run-time rule tests. A generated example shows new rows' code.
/// </summary>
public sealed class ScalarRuleTableTests
{
    static readonly Type[] Classes = { typeof(Math), typeof(MathF), typeof(double), typeof(float) };

    /// <summary>The classes with a public static <paramref name="name"/> of <paramref name="arity"/> parameters returning a float type.</summary>
    static IEnumerable<Type> ClassesWith(string name, int arity) => Classes.Where(type => type.GetMethods(BindingFlags.Public | BindingFlags.Static)
        .Any(m => m.Name == name && m.GetParameters().Length == arity && (m.ReturnType == typeof(double) || m.ReturnType == typeof(float))));

    static IEnumerable<MathCall> Calls(DerivativeExpression? expression) => expression switch
    {
        MathCall c => new[] { c }.Concat(c.Arguments.SelectMany(Calls)),
        Operation o => Calls(o.Left).Concat(Calls(o.Right)),
        Negation n => Calls(n.Operand),
        Piecewise p => Calls(p.Left).Concat(Calls(p.Right)).Concat(Calls(p.WhenTrue)).Concat(Calls(p.WhenFalse)),
        Argument or Number or null => Enumerable.Empty<MathCall>(),
        _ => throw new InvalidOperationException($"the test does not know the partial {expression.GetType().Name}"),
    };

    public static TheoryData<string, int> Rows()
    {
        var rows = new TheoryData<string, int>();
        foreach (var rule in ScalarRules.All) rows.Add(rule.Name, rule.Arity);
        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Every_row_names_a_function_and_its_partials_call_only_what_its_classes_have(string name, int arity)
    {
        Assert.True(ScalarRules.TryGet(name, arity, out var rule));
        Assert.Equal(arity, rule.Partials.Length);
        var classes = ClassesWith(name, arity).ToList();
        Assert.True(classes.Count > 0, $"{name}/{arity} is not a function of Math, MathF, double or float");
        foreach (var call in rule.Partials.SelectMany(Calls))
        {
            foreach (var type in classes)
                Assert.True(ClassesWith(call.Function, call.Arguments.Length).Contains(type), $"{name}'s partial calls {call.Function}, which {type.Name} does not have");
        }
    }

    [Fact]
    public void Piecewise_constant_functions_exist_in_every_class()
    {
        foreach (var name in ScalarRules.PiecewiseConstantFunctions)
            Assert.All(Classes, type => Assert.Contains(type.GetMethods(BindingFlags.Public | BindingFlags.Static), m => m.Name == name));
    }

    /// <summary>(class, function, argument count, the enclosing method's return type) of every math call in the rule tests' functions.</summary>
    static List<(string Class, string Function, int Arity, string Precision)> RuleTestCalls()
    {
        var path = Path.Combine(TestCompilation.RepositoryRoot, "tests", "Leibniz.Tests", "Differentiation", "ScalarRuleFunctions.cs");
        var root = CSharpSyntaxTree.ParseText(File.ReadAllText(path)).GetRoot();
        return root.DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Where(i => i.Expression is MemberAccessExpressionSyntax)
            .Select(i => (Access: (MemberAccessExpressionSyntax)i.Expression, Invocation: i))
            .Select(x => (x.Access.Expression.ToString(), x.Access.Name.Identifier.Text, x.Invocation.ArgumentList.Arguments.Count,
                x.Invocation.Ancestors().OfType<MethodDeclarationSyntax>().First().ReturnType.ToString()))
            .ToList();
    }

    [Fact]
    public void Every_row_and_piecewise_constant_function_has_a_double_and_a_float_function_in_the_rule_tests()
    {
        var calls = RuleTestCalls();
        var missing = new List<string>();
        foreach (var precision in new[] { "double", "float" })
        {
            foreach (var rule in ScalarRules.All)
            {
                if (!calls.Any(c => c.Function == rule.Name && c.Arity == rule.Arity && c.Precision == precision))
                    missing.Add($"{rule.Name}/{rule.Arity} ({precision})");
            }

            foreach (var name in ScalarRules.PiecewiseConstantFunctions)
            {
                if (!calls.Any(c => c.Function == name && c.Precision == precision)) missing.Add($"{name} ({precision})");
            }
        }

        Assert.True(missing.Count == 0, "tests/Leibniz.Tests/Differentiation/ScalarRuleFunctions.cs has no function for " + string.Join(", ", missing)
            + "; add one (and its float twin, and a domain in ScalarRuleTests)");
    }

    [Fact]
    public void A_hand_written_derivative_of_a_math_function_wins_over_the_table()
    {
        // A straight-through estimator: Floor's table derivative is zero, the user's is one.
        const string source = """
            using System;
            using Leibniz;

            namespace Custom;

            public static partial class Functions
            {
                [Derivative(Of = nameof(Math.Floor), In = typeof(Math))]
                public static double FloorPullback(double x, double seed, ref double dx)
                {
                    dx += seed;
                    return Math.Floor(x);
                }

                [Differentiable]
                public static double Quantized(double x) => Math.Floor(x) * 2;
            }
            """;
        var (result, output) = GeneratorRunner.RunDifferentiable(TestCompilation.Create(("Functions.cs", source)));

        Assert.Empty(GeneratorRunner.Problems(output));
        Assert.Empty(result.Diagnostics);
        Assert.Contains("FloorPullback(", Assert.Single(result.GeneratedSources).SourceText.ToString());
    }

    const string NewRows = """
        using System;
        using Leibniz;

        namespace ScalarRules;

        public static partial class Functions
        {
            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public static double Catenary(double x, double y) => Math.Cosh(x) * Math.Asinh(y) + double.Hypot(x, y);

            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public static float CubeRootOfSum(float x, float y) => MathF.Cbrt(x + y) + float.Exp2(x) * MathF.CopySign(y, x);

            [Differentiable]
            public static double Stepped(double x) => Math.Floor(x) * x + Math.Round(x, 1, MidpointRounding.AwayFromZero) + double.Sin(x);
        }
        """;

    [Fact]
    public void New_rows_generate_their_verified_derivatives_and_compile_cleanly()
    {
        var (results, output) = GeneratorRunner.RunAll(TestCompilation.Create(("Functions.cs", NewRows)));

        Assert.Empty(GeneratorRunner.Problems(output));
        foreach (var result in results.Where(r => r.GeneratedSources.Length > 0 && r.Generator.GetGeneratorType() != typeof(Pipelines.ModelGenerator)))
        {
            Assert.Null(result.Exception);
            Assert.Empty(result.Diagnostics);
            foreach (var generated in result.GeneratedSources)
                Snapshot.Verify($"Differentiation/{Path.GetFileNameWithoutExtension(generated.HintName)}", generated.SourceText.ToString());
        }

        var text = string.Concat(results.SelectMany(r => r.GeneratedSources).Select(s => s.SourceText.ToString()));
        // double.Sin is Math.Sin: one primitive, whichever way it is spelled.
        Assert.DoesNotContain("System.Double.Sin(", text);
        Assert.Contains("global::System.Double.Hypot(", text);
    }
}
