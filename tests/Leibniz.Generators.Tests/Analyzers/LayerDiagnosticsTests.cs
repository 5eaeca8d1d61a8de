using Leibniz.Generators.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using static Leibniz.Generators.Tests.Analyzers.AnalyzerTestSetup;

namespace Leibniz.Generators.Tests.Analyzers;

/// <summary>Argument forms of conv2d, max_pool2d and dropout whose derivative the generator cannot write: each is reported, none differentiated wrongly.</summary>
public sealed class LayerDiagnosticsTests
{
    static DiagnosticResult Unsupported(int location, string code, string method, string why)
        => Diagnostic(DiagnosticDescriptors.UnsupportedStatement).WithLocation(location).WithArguments(code, method, why);

    const string Sizes = "sizes, strides, padding and dilation must be constants written at the call (new long[] { 2, 2 }, or (2, 2)), which the generated backward repeats";

    [Fact]
    public Task In_place_dropout_is_refused()
        => VerifyAnalyzersAsync(Usings + """
            public static partial class Functions
            {
                [Differentiable]
                public static Tensor F(Tensor x) => {|#0:nn.functional.dropout(x, 0.5, true, inplace: true)|}.sum();
            }
            """,
            Diagnostic(DiagnosticDescriptors.InPlaceMutation).WithLocation(0).WithArguments("dropout(…, inplace: true)", "dropout(…, inplace: false)"));

    [Fact]
    public Task In_place_dropout_through_a_variable_is_refused_too()
        => VerifyAnalyzersAsync(Usings + """
            public static partial class Functions
            {
                [Differentiable]
                public static Tensor F(Tensor x, bool inPlace) => {|#0:nn.functional.dropout(x, 0.5, true, inPlace)|}.sum();
            }
            """,
            Diagnostic(DiagnosticDescriptors.InPlaceMutation).WithLocation(0).WithArguments("dropout(…, inplace: true)", "dropout(…, inplace: false)"));

    [Fact]
    public Task Dropout_inside_a_loop_is_refused_because_the_reverse_sweep_recomputes_iterations()
        => VerifyAnalyzersAsync(Usings + """
            public static partial class Functions
            {
                [Differentiable]
                public static Tensor F(Tensor x, int n)
                {
                    var h = x;
                    for (var i = 0; i < n; i++)
                        h = {|#0:nn.functional.dropout(h.tanh(), 0.2)|};
                    return h.sum();
                }
            }
            """,
            Unsupported(0, "nn.functional.dropout(h.tanh(), 0.2)", "F",
                "dropout inside a loop: the reverse sweep recomputes each iteration and would draw a new mask; apply dropout before or after the loop"));

    [Fact]
    public Task Calling_a_differentiable_method_that_applies_dropout_is_refused()
        => VerifyAnalyzersAsync(Usings + """
            public static partial class Functions
            {
                [Differentiable]
                public static Tensor Dropped(Tensor x) => nn.functional.dropout(x, 0.3);

                [Differentiable]
                public static Tensor Data(Tensor x) => Derivatives.NoDerivative(nn.functional.dropout(x, 0.3)) * x;

                [Differentiable]
                public static Tensor F(Tensor x) => ({|#0:Dropped(x)|} + Data(x)).sum();
            }
            """,
            Unsupported(0, "Dropped(x)", "F", "'Dropped' applies dropout, and its pullback would run it again with a new mask; apply the dropout in this method instead"));

    [Fact]
    public Task Sizes_that_are_not_constants_at_the_call_are_refused()
        => VerifyAnalyzersAsync(Usings + """
            public static partial class Functions
            {
                static long[] Twos() => new long[] { 2, 2 };

                [Differentiable]
                public static Tensor Convolve(Tensor x, Tensor w, int step)
                    => nn.functional.conv2d(x, w, strides: {|#0:new long[] { step, step }|}).sum() + nn.functional.conv2d(x, w, padding: {|#1:Twos()|}).sum();

                [Differentiable]
                public static Tensor Pool(Tensor x, int size)
                    => nn.functional.max_pool2d(x, {|#2:(size, 2)|}).sum();
            }
            """,
            Unsupported(0, "new long[] { step, step }", "Convolve", Sizes),
            Unsupported(1, "Twos()", "Convolve", Sizes),
            Unsupported(2, "(size, 2)", "Pool", Sizes));

    [Fact]
    public Task Conv2d_with_a_padding_mode_has_no_derivative()
        => VerifyAnalyzersAsync(Usings + """
            public static partial class Functions
            {
                [Differentiable]
                public static Tensor F(Tensor x, Tensor w) => {|#0:nn.functional.conv2d_padding(x, w, padding: Padding.Same)|}.sum();
            }
            """,
            Diagnostic(DiagnosticDescriptors.NonDifferentiableCall).WithLocation(0)
                .WithArguments("TorchSharp.torch.nn.functional.conv2d_padding(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor?, long[]?, TorchSharp.Padding, long[]?, long)", "Leibniz has no rule for this TorchSharp operation: write it with operations that have one (docs/reverse-mode.md lists them), or wrap the call in NoDerivative(...) if its derivative should be zero"));

    [Fact]
    public Task Every_argument_form_the_layers_support_is_accepted()
        => VerifyAnalyzersAsync(Usings + """
            public static partial class Functions
            {
                [Differentiable]
                public static Tensor F(Tensor x, Tensor w, Tensor b, bool training, int kernel)
                {
                    var h = nn.functional.conv2d(x, w, b, new long[] { 2, 1 }, [1, 1], new[] { 1L, 2L }, 1);
                    h = nn.functional.conv2d(h, w, null, padding: new long[] { 1 });
                    h = nn.functional.max_pool2d(h, kernel, stride: 1, ceil_mode: true) + nn.functional.max_pool2d(h, (3, 3), stride: (1, 1), padding: (1, 1));
                    h = nn.functional.max_pool2d(h, new long[] { 2, 2 });
                    return nn.functional.dropout(h, 0.2, training, inplace: false).sum() + nn.functional.dropout(h, training: false).sum();
                }
            }
            """);
}
