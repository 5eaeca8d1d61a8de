using Leibniz.Generators.Diagnostics;
using static Leibniz.Generators.Tests.Analyzers.AnalyzerTestSetup;

namespace Leibniz.Generators.Tests.Analyzers;

/// <summary>LZ0109 at a call of another model: only when that model's Forward does not ask for forward mode.</summary>
public sealed class ComposedForwardModeAnalyzerTests
{
    const string Child = """
        using Leibniz;
        using TorchSharp;
        using static TorchSharp.torch;

        [Model]
        public partial class Child
        {
            [Parameter] Tensor w = null!;

            [Differentiable(Modes = DerivativeModes.Forward)]
            public Tensor Forward(Tensor x) => x.matmul(w).tanh();
        }

        [Model]
        public partial class ReverseOnly
        {
            [Parameter] Tensor w = null!;

            [Differentiable]
            public Tensor Forward(Tensor x) => x.matmul(w);
        }

        """;

    [Fact]
    public Task A_model_calling_a_model_with_forward_mode_is_followed_without_a_word()
        => VerifyAnalyzersAsync(Child + """
            [Model]
            public partial class Parent
            {
                [Parameter] Tensor scale = null!;
                Child child = new();

                [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
                public Tensor Forward(Tensor x) => child.Forward(child.Forward(x) * scale);
            }
            """);

    [Fact]
    public Task A_called_model_without_forward_mode_is_reported_at_the_call()
        => VerifyAnalyzersAsync(Child + """
            [Model]
            public partial class Parent
            {
                ReverseOnly plain = new();
                ReverseOnly frozen = new();

                [Differentiable(Modes = DerivativeModes.Forward)]
                public Tensor Forward(Tensor x) => {|#0:plain.Forward(x)|} + Derivatives.NoDerivative(frozen.Forward(x));
            }
            """,
            Diagnostic(DiagnosticDescriptors.ForwardModeUnavailable).WithLocation(0).WithArguments(
                "plain.Forward(x)", "Forward", "'plain' is a [Model] whose Forward does not ask for forward mode; add Modes = DerivativeModes.Forward to ReverseOnly.Forward's [Differentiable]"));
}
