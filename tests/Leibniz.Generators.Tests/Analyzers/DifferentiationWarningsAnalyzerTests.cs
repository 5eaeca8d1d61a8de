using Leibniz.Generators.Diagnostics;
using static Leibniz.Generators.Tests.Analyzers.AnalyzerTestSetup;

namespace Leibniz.Generators.Tests.Analyzers;

/// <summary>LZ0106–LZ0108: in-place tensor updates, conversions with a zero derivative, results independent of the inputs.</summary>
public sealed class DifferentiationWarningsAnalyzerTests
{
    const string Header = """
        using System;
        using Leibniz;
        using TorchSharp;
        using static TorchSharp.torch;

        public static partial class Functions
        {

        """;

    [Fact]
    public Task An_in_place_tensor_operation_is_an_error_naming_the_out_of_place_one()
        => VerifyAnalyzersAsync(Header + """
                [Differentiable]
                public static Tensor F(Tensor x)
                {
                    var h = x.exp();
                    var y = {|#0:h.add_(x)|};
                    return y.sum();
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.InPlaceMutation).WithLocation(0).WithArguments("add_", "add"));

    [Fact]
    public Task An_in_place_operation_written_as_a_statement_is_the_same_error()
        => VerifyAnalyzersAsync(Header + """
                [Differentiable]
                public static Tensor F(Tensor x, Tensor y)
                {
                    var h = x.exp();
                    {|#0:h.add_(y)|};
                    return h.sum();
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.InPlaceMutation).WithLocation(0).WithArguments("add_", "add"));

    [Fact]
    public Task Compound_assignment_on_a_tensor_is_not_in_place()
        => VerifyAnalyzersAsync(Header + """
                [Differentiable]
                public static Tensor F(Tensor x)
                {
                    var h = x.exp();
                    h += x;
                    return h.sum();
                }
            }
            """);

    [Fact]
    public Task A_conversion_to_int_warns_that_its_derivative_is_zero()
        => VerifyAnalyzersAsync(Header + """
                [Differentiable]
                public static double F(double x) => x * {|#0:(int)(x * 10)|};
            }
            """,
            Diagnostic(DiagnosticDescriptors.IntegerConversion).WithLocation(0).WithArguments("x * 10", "int"));

    [Fact]
    public Task A_conversion_to_long_warns_as_one_to_int_does()
        => VerifyAnalyzersAsync(Header + """
                [Differentiable]
                public static double F(double x) => x * {|#0:(long)(x * 10)|};
            }
            """,
            Diagnostic(DiagnosticDescriptors.IntegerConversion).WithLocation(0).WithArguments("x * 10", "long"));

    [Fact]
    public Task A_conversion_inside_NoDerivative_is_intended_and_silent()
        => VerifyAnalyzersAsync(Header + """
                [Differentiable]
                public static double F(double x) => x * Derivatives.NoDerivative((int)(x * 10));
            }
            """);

    [Fact]
    public Task A_result_that_ignores_the_inputs_warns_with_their_names()
        => VerifyAnalyzersAsync(Header + """
                [Differentiable]
                public static double {|#0:F|}(double x, double y)
                {
                    var z = x * y;
                    return 3.0;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.ResultIndependentOfInputs).WithLocation(0).WithArguments("F", "x, y"));

    [Fact]
    public Task A_result_that_depends_only_on_a_non_wrt_input_warns()
        => VerifyAnalyzersAsync(Header + """
                [Differentiable(Wrt = new[] { nameof(x) })]
                public static double {|#0:F|}(double x, double y) => Math.Sin(y);
            }
            """,
            Diagnostic(DiagnosticDescriptors.ResultIndependentOfInputs).WithLocation(0).WithArguments("F", "x"));
}
