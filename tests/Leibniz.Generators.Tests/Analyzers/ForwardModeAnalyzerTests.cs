using Leibniz.Generators.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using static Leibniz.Generators.Tests.Analyzers.AnalyzerTestSetup;

namespace Leibniz.Generators.Tests.Analyzers;

/// <summary>LZ0109: what forward mode cannot follow, reported only in methods that ask for it.</summary>
public sealed class ForwardModeAnalyzerTests
{
    const string Header = """
        using System;
        using Leibniz;
        using TorchSharp;
        using static TorchSharp.torch;

        public static partial class Functions
        {
            public static double Smooth(double x) => x * x * (3 - 2 * x);

            [Derivative(Of = nameof(Smooth))]
            public static double SmoothPullback(double x, double seed, ref double dx)
            {
                dx += seed * 6 * x * (1 - x);
                return x * x * (3 - 2 * x);
            }

            [Differentiable]
            public static double ReverseOnly(double x) => Math.Sin(x);

            [Differentiable(Modes = DerivativeModes.Forward)]
            public static double ForwardOnly(double x) => Math.Cos(x);

        """;

    static DiagnosticResult Unavailable(string code, string method, string why)
        => Diagnostic(DiagnosticDescriptors.ForwardModeUnavailable).WithLocation(0).WithArguments(code, method, why);

    [Fact]
    public Task A_call_with_only_a_hand_written_pullback_has_no_tangent()
        => VerifyAnalyzersAsync(Header + """
                [Differentiable(Modes = DerivativeModes.Forward)]
                public static double F(double x) => {|#0:Smooth(x)|} * x;
            }
            """,
            Unavailable("Smooth(x)", "F", "'Smooth' has a hand-written [Derivative] pullback, which gives no tangent; write its [Tangent] too, or mark 'Smooth' [Differentiable] instead"));

    [Fact]
    public Task A_hand_written_tangent_lets_forward_mode_follow_the_call()
        => VerifyAnalyzersAsync(Header + """
                [Tangent(Of = nameof(Smooth))]
                public static double SmoothTangent(double x, double dx) => 6 * x * (1 - x) * dx;

                [Differentiable(Modes = DerivativeModes.Forward)]
                public static double F(double x) => Smooth(x) * x;
            }
            """);

    [Fact]
    public Task A_Hessian_vector_product_needs_the_hand_written_tangent_to_be_Differentiable()
        => VerifyAnalyzersAsync(Header + """
                [Tangent(Of = nameof(Smooth))]
                public static double SmoothTangent(double x, double dx) => 6 * x * (1 - x) * dx;

                [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
                public static double F(double x) => {|#0:Smooth(x)|} * x;
            }
            """,
            Unavailable("Smooth(x)", "F", "its hand-written tangent 'SmoothTangent' is not [Differentiable], and a Hessian–vector product runs reverse mode over it; mark 'SmoothTangent' [Differentiable]"));

    [Fact]
    public Task Without_Modes_the_same_call_is_silent_because_forward_mode_is_opt_in()
        => VerifyAnalyzersAsync(Header + """
                [Differentiable]
                public static double F(double x) => Smooth(x) * x;
            }
            """);

    [Fact]
    public Task A_callee_that_does_not_ask_for_forward_mode_is_named_with_the_fix()
        => VerifyAnalyzersAsync(Header + """
                [Differentiable(Modes = DerivativeModes.Forward)]
                public static double F(double x) => {|#0:ReverseOnly(x)|} + x;
            }
            """,
            Unavailable("ReverseOnly(x)", "F", "'ReverseOnly' does not ask for it; add Modes = DerivativeModes.Forward to its [Differentiable]"));

    [Fact]
    public Task A_Hessian_vector_product_needs_its_callees_to_ask_for_one_too()
        => VerifyAnalyzersAsync(Header + """
                [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
                public static double F(double x) => {|#0:ForwardOnly(x)|} * x;

                [Differentiable(Modes = DerivativeModes.Forward)]
                public static double G(double x) => ForwardOnly(x) * x;
            }
            """,
            Unavailable("ForwardOnly(x)", "F", "'ForwardOnly' does not ask for it; add Modes = DerivativeModes.HessianVectorProduct to its [Differentiable]"));

    [Fact]
    public Task Inside_NoDerivative_nothing_needs_a_tangent()
        => VerifyAnalyzersAsync(Header + """
                [Differentiable(Modes = DerivativeModes.Forward)]
                public static double F(double x) => x * Derivatives.NoDerivative(Smooth(x) + ReverseOnly(x));
            }
            """);

    [Fact]
    public Task Tensor_rules_and_loops_are_followed_without_a_word()
        => VerifyAnalyzersAsync(Header + """
                [Differentiable(Modes = DerivativeModes.All)]
                public static Tensor F(Tensor x, Tensor w, int depth)
                {
                    var h = x;
                    for (var i = 0; i < depth; i++) h = nn.functional.gelu(h.matmul(w)).softmax(1);
                    return nn.functional.cross_entropy(h, x.argmax(1));
                }
            }
            """);

    [Fact]
    public Task A_model_method_asks_for_forward_mode_like_any_other()
        => VerifyAnalyzersAsync("""
            using Leibniz;
            using TorchSharp;
            using static TorchSharp.torch;

            [Model]
            public partial class Layer
            {
                [Parameter] Tensor w = null!;

                [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
                public Tensor Forward(Tensor x) => x.matmul(w).tanh();
            }
            """);
}
