using Leibniz.Analyzers;
using Leibniz.CodeFixes;
using static Leibniz.Generators.Tests.Analyzers.AnalyzerTestSetup;

namespace Leibniz.Generators.Tests.Analyzers;

/// <summary>
/// The LZ0102 fix (wrap the call in <c>NoDerivative(...)</c>, by its short name only where it
/// resolves) and the LZ0104 fix (add <c>partial</c>). Each fixed text must also pass the analyzer.
/// </summary>
public sealed class DifferentiableCodeFixTests
{
    static Task VerifyNoDerivativeFixAsync(string source, string fixedSource)
        => VerifyFixAsync<DifferentiableAnalyzer, WrapInNoDerivativeCodeFixProvider>(source, fixedSource);

    static Task VerifyPartialFixAsync(string source, string fixedSource, int? iterations = null)
        => VerifyFixAsync<DifferentiableAnalyzer, MakePartialCodeFixProvider>(source, fixedSource, iterations);

    // ---- LZ0102: NoDerivative(...) --------------------------------------------------------

    [Fact]
    public Task Call_is_wrapped_by_the_short_name_under_using_Leibniz()
        => VerifyNoDerivativeFixAsync("""
            using System;
            using Leibniz;

            public static partial class Functions
            {
                [Differentiable]
                public static double F(double x) => {|LZ0102:Math.BitIncrement(x)|} * x;
            }
            """,
            """
            using System;
            using Leibniz;

            public static partial class Functions
            {
                [Differentiable]
                public static double F(double x) => Derivatives.NoDerivative(Math.BitIncrement(x)) * x;
            }
            """);

    [Fact]
    public Task Call_is_wrapped_by_the_qualified_name_without_using_Leibniz()
        => VerifyNoDerivativeFixAsync("""
            using System;

            public static partial class Functions
            {
                static double G(double x) => x * x;

                [Leibniz.Differentiable]
                public static double F(double x)
                {
                    double y = {|LZ0102:G(x)|};
                    return y * x;
                }
            }
            """,
            """
            using System;

            public static partial class Functions
            {
                static double G(double x) => x * x;

                [Leibniz.Differentiable]
                public static double F(double x)
                {
                    double y = global::Leibniz.Derivatives.NoDerivative(G(x));
                    return y * x;
                }
            }
            """);

    [Fact]
    public Task Call_is_wrapped_by_the_qualified_name_where_another_Derivatives_shadows_it()
        => VerifyNoDerivativeFixAsync("""
            using System;
            using Leibniz;

            namespace Demo
            {
                static class Derivatives { }

                public static partial class Functions
                {
                    [Differentiable]
                    public static double F(double x) => {|LZ0102:Math.BitDecrement(x)|} + x;
                }
            }
            """,
            """
            using System;
            using Leibniz;

            namespace Demo
            {
                static class Derivatives { }

                public static partial class Functions
                {
                    [Differentiable]
                    public static double F(double x) => global::Leibniz.Derivatives.NoDerivative(Math.BitDecrement(x)) + x;
                }
            }
            """);

    [Fact]
    public Task Every_call_in_the_document_is_wrapped_and_comments_stay()
        => VerifyNoDerivativeFixAsync("""
            using System;
            using Leibniz;

            public static partial class Functions
            {
                [Differentiable]
                public static double F(double x)
                {
                    double a = /* step */ {|LZ0102:Math.BitIncrement(x)|} /* down */;
                    double b = {|LZ0102:Math.ReciprocalEstimate(x * 2)|};
                    return a * b * x;
                }
            }
            """,
            """
            using System;
            using Leibniz;

            public static partial class Functions
            {
                [Differentiable]
                public static double F(double x)
                {
                    double a = /* step */ Derivatives.NoDerivative(Math.BitIncrement(x)) /* down */;
                    double b = Derivatives.NoDerivative(Math.ReciprocalEstimate(x * 2));
                    return a * b * x;
                }
            }
            """);

    // ---- LZ0104: partial ------------------------------------------------------------------

    [Fact]
    public Task Static_class_becomes_static_partial_class()
        => VerifyPartialFixAsync("""
            using Leibniz;

            public static class {|LZ0104:Functions|}
            {
                [Differentiable]
                public static double Square(double x) => x * x;
            }
            """,
            """
            using Leibniz;

            public static partial class Functions
            {
                [Differentiable]
                public static double Square(double x) => x * x;
            }
            """);

    [Fact]
    public Task Class_with_several_Differentiable_methods_gets_partial_once()
        => VerifyPartialFixAsync("""
            using Leibniz;

            static class {|LZ0104:{|LZ0104:Functions|}|}
            {
                [Differentiable]
                public static double Square(double x) => x * x;

                [Differentiable]
                public static double Cube(double x) => x * x * x;
            }
            """,
            """
            using Leibniz;

            static partial class Functions
            {
                [Differentiable]
                public static double Square(double x) => x * x;

                [Differentiable]
                public static double Cube(double x) => x * x * x;
            }
            """);

    [Fact]
    public Task Class_then_its_container_are_made_partial()
        => VerifyPartialFixAsync("""
            using Leibniz;

            public class Outer
            {
                // Scalar helpers.
                internal static class {|LZ0104:Functions|}
                {
                    [Differentiable]
                    public static double Square(double x) => x * x;
                }
            }
            """,
            """
            using Leibniz;

            public partial class Outer
            {
                // Scalar helpers.
                internal static partial class Functions
                {
                    [Differentiable]
                    public static double Square(double x) => x * x;
                }
            }
            """,
            iterations: 2);
}
