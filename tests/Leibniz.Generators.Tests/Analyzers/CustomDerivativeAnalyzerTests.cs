using Leibniz.Generators.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using static Leibniz.Generators.Tests.Analyzers.AnalyzerTestSetup;

namespace Leibniz.Generators.Tests.Analyzers;

/// <summary>
/// LZ0105: a hand-written <c>[Derivative]</c> must have the signature of the pullback it replaces; LZ0111: a
/// hand-written <c>[Tangent]</c>, that of the Jacobian–vector product it replaces.
/// </summary>
public sealed class CustomDerivativeAnalyzerTests
{
    const string Header = """
        using System;
        using Leibniz;

        public static partial class Functions
        {
            public static double F(double x, double y) => x * y;

        """;

    static DiagnosticResult Mismatch(string method, string problem)
        => Diagnostic(DiagnosticDescriptors.DerivativeSignatureMismatch).WithLocation(0).WithArguments(method, "Functions.F", problem);

    static DiagnosticResult TangentMismatch(string method, string problem)
        => Diagnostic(DiagnosticDescriptors.TangentSignatureMismatch).WithLocation(0).WithArguments(method, "Functions.F", problem);

    [Fact]
    public Task A_tangent_of_the_right_shape_is_accepted()
        => VerifyAnalyzersAsync(Header + """
                [Tangent(Of = nameof(F))]
                public static double FTangentByHand(double x, double y, double dx, double dy) => y * dx + x * dy;
            }
            """);

    [Fact]
    public Task A_tangent_taking_its_tangents_by_ref_is_named_with_the_position()
        => VerifyAnalyzersAsync(Header + """
                [Tangent(Of = nameof(F))]
                public static double {|#0:ByRef|}(double x, double y, ref double dx, double dy) => y * dx + x * dy;
            }
            """,
            TangentMismatch("ByRef", "type mismatch at 3rd parameter: expected 'double', found 'ref double'"));

    [Fact]
    public Task A_tangent_with_a_seed_lists_the_expected_signature()
        => VerifyAnalyzersAsync(Header + """
                [Tangent(Of = nameof(F))]
                public static double {|#0:LikeAPullback|}(double x, double y, double seed, double dx, double dy) => seed;
            }
            """,
            TangentMismatch("LikeAPullback", "it takes 5 parameters, but a tangent of 'F' takes 4: (double, double, double, double)"));

    [Fact]
    public Task A_tangent_of_a_missing_function_is_reported()
        => VerifyAnalyzersAsync(Header + """
                [Tangent(Of = "G")]
                public static double {|#0:Orphan|}(double x, double dx) => dx;
            }
            """,
            Diagnostic(DiagnosticDescriptors.TangentSignatureMismatch).WithLocation(0).WithArguments("Orphan", "Functions.G", "'Functions' has no method named 'G'"));

    [Fact]
    public Task A_pullback_of_the_right_shape_is_accepted()
        => VerifyAnalyzersAsync(Header + """
                [Derivative(Of = nameof(F))]
                public static double FPullbackByHand(double x, double y, double seed, ref double dx, ref double dy)
                {
                    dx += seed * y;
                    dy += seed * x;
                    return x * y;
                }
            }
            """);

    [Fact]
    public Task A_missing_ref_is_named_with_its_position()
        => VerifyAnalyzersAsync(Header + """
                [Derivative(Of = nameof(F))]
                public static double {|#0:Wrong|}(double x, double y, double seed, double dx, ref double dy) => x * y;
            }
            """,
            Mismatch("Wrong", "type mismatch at 4th parameter: expected 'ref double', found 'double'"));

    [Fact]
    public Task A_wrong_parameter_count_lists_the_expected_signature()
        => VerifyAnalyzersAsync(Header + """
                [Derivative(Of = nameof(F))]
                public static double {|#0:Short|}(double x, double y, double seed, ref double dx) => x * y;
            }
            """,
            Mismatch("Short", "it takes 4 parameters, but a pullback of 'F' takes 5: (double, double, double, ref double, ref double)"));

    [Fact]
    public Task A_tensor_pullback_without_its_tensor_adjoint_is_reported_with_the_expected_signature()
        => VerifyAnalyzersAsync("""
            using Leibniz;
            using TorchSharp;
            using static TorchSharp.torch;

            public static partial class Functions
            {
                public static Tensor Scale(Tensor x, double s) => x * s;

                [Derivative(Of = nameof(Scale))]
                public static Tensor {|#0:ScalePullback|}(Tensor x, double s, Tensor seed, ref double ds) => x * s;

                [Derivative(Of = nameof(Scale))]
                public static Tensor Fits(Tensor x, double s, Tensor seed, ref Tensor? dx, ref double ds) => x * s;
            }
            """,
            Diagnostic(DiagnosticDescriptors.DerivativeSignatureMismatch).WithLocation(0).WithArguments("ScalePullback", "Functions.Scale",
                "it takes 4 parameters, but a pullback of 'Scale' takes 5: (TorchSharp.torch.Tensor, double, TorchSharp.torch.Tensor, ref TorchSharp.torch.Tensor?, ref double)"));

    [Fact]
    public Task A_wrong_return_type_is_reported()
        => VerifyAnalyzersAsync(Header + """
                [Derivative(Of = nameof(F))]
                public static void {|#0:NoValue|}(double x, double y, double seed, ref double dx, ref double dy) { }
            }
            """,
            Mismatch("NoValue", "it must return 'double' (the function's value), not 'void'"));

    [Fact]
    public Task A_name_with_no_function_is_reported()
        => VerifyAnalyzersAsync(Header + """
                [Derivative(Of = "G")]
                public static double {|#0:Orphan|}(double x, double seed, ref double dx) => x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.DerivativeSignatureMismatch).WithLocation(0).WithArguments("Orphan", "Functions.G", "'Functions' has no method named 'G'"));
}
