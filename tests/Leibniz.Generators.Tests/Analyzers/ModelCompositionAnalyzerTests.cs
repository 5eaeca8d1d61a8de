using Leibniz.Generators.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using static Leibniz.Generators.Tests.Analyzers.AnalyzerTestSetup;

namespace Leibniz.Generators.Tests.Analyzers;

/// <summary>
/// LZ0110: a [Model] field called on a differentiable path without a generated backward to run through.
/// The generator does not run in these tests, so a [Model] class has no base class and <c>call</c> does
/// not resolve (CS1061); the analyzer binds it as the generated base will.
/// </summary>
public sealed class ModelCompositionAnalyzerTests
{
    const string Layer = """

        [Model]
        public partial class Layer
        {
            [Parameter] Tensor w = ones(2, 2);

            [Differentiable]
            public Tensor Forward(Tensor x) => x.matmul(w);

            public Tensor Scale(Tensor x) => x * 2;
        }

        """;

    static DiagnosticResult WithoutBackward(int location, string call, string model, string problem)
        => Diagnostic(DiagnosticDescriptors.ModelCallWithoutBackward).WithLocation(location).WithArguments(call, model, problem);

    [Fact]
    public Task TorchSharp_modules_held_in_fields_are_called_inside_a_Differentiable_Forward()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public partial class Net
            {
                TorchSharp.Modules.Linear fc = nn.Linear(2, 2);
                TorchSharp.Modules.Sequential head = nn.Sequential(nn.Linear(2, 2), nn.Tanh());
                TorchSharp.Modules.LayerNorm norm = nn.LayerNorm(2);

                [Differentiable]
                public Tensor Forward(Tensor x) => head.call(norm.forward(fc.call(x).tanh()));
            }
            """);

    [Fact]
    public Task A_TorchSharp_module_outside_the_model_s_fields_is_refused_with_what_to_write_instead()
        => VerifyAnalyzersAsync(Usings + """
            public sealed class Holder
            {
                public TorchSharp.Modules.Linear Fc = nn.Linear(2, 2);
            }

            [Model]
            public partial class Net
            {
                [Parameter] Tensor w = ones(2);
                readonly Holder holder = new();

                [Differentiable]
                public Tensor Forward(Tensor x) => {|#0:holder.Fc.call(x)|} * w;
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedStatement).WithLocation(0).WithArguments("holder.Fc.call(x)", "Forward",
                "calling the TorchSharp module 'Linear' here: a module's call is differentiated only on a field of the [Model] whose method calls it (fc.call(x), with 'fc' a field of that model); otherwise hold its weight and bias as [Parameter] Tensor fields and call nn.functional.linear(x, weight, bias)"));

    [Fact]
    public Task A_TorchSharp_module_has_no_tangent_for_forward_mode()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public partial class Net
            {
                TorchSharp.Modules.Linear fc = nn.Linear(2, 2);

                [Differentiable(Modes = DerivativeModes.Forward)]
                public Tensor Forward(Tensor x) => {|#0:fc.call(x)|}.tanh();
            }
            """,
            Diagnostic(DiagnosticDescriptors.ForwardModeUnavailable).WithLocation(0).WithArguments("fc.call(x)", "Forward",
                "'fc' holds the TorchSharp module Linear, whose call runs on TorchSharp's tape and has no generated tangent; write its computation with TorchSharp operations on [Parameter] fields (nn.functional.linear(x, weight, bias)) for forward mode"));

    [Fact]
    public Task A_TorchSharp_module_may_be_called_in_a_loop()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public partial class Net
            {
                TorchSharp.Modules.Linear cell = nn.Linear(2, 2);

                [Differentiable]
                public Tensor Forward(Tensor x)
                {
                    var h = x;
                    for (var t = 0; t < 3; t++) h = cell.call(h).tanh();
                    return h;
                }
            }
            """);

    [Fact]
    public Task Forward_forward_call_and_a_frozen_call_are_accepted()
        => VerifyAnalyzersAsync(Usings + Layer + """
            [Model]
            public partial class Net
            {
                Layer first = new(), second = new(), frozen = new();

                [Differentiable]
                public Tensor Forward(Tensor x)
                {
                    var h = first.{|CS1061:call|}(x);
                    var g = second.Forward(h) + this.first.{|CS1061:forward|}(h);
                    return g * Derivatives.NoDerivative(frozen.{|CS1061:call|}(x));
                }
            }
            """);

    [Fact]
    public Task A_model_whose_Forward_is_not_Differentiable_is_reported()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public partial class Plain
            {
                [Parameter] Tensor w = ones(2);

                public Tensor Forward(Tensor x) => x * w;
            }

            [Model]
            public partial class Net
            {
                Plain plain = new();

                [Differentiable]
                public Tensor Forward(Tensor x) => {|#0:plain.{|CS1061:call|}(x)|} * 2;
            }
            """,
            WithoutBackward(0, "plain.call(x)", "Plain", "'Plain.Forward' is not [Differentiable]; mark it [Differentiable], or wrap the call in NoDerivative(...) if 'Plain' is frozen"));

    [Fact]
    public Task A_model_called_with_a_tuple_is_reported()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public partial class Pair
            {
                [Parameter] Tensor w = ones(2);

                public Tensor Forward((Tensor Left, Tensor Right) input) => input.Left * w + input.Right;
            }

            [Model]
            public partial class Net
            {
                Pair pair = new();

                [Differentiable]
                public Tensor Forward(Tensor x) => {|#0:pair.Forward((x, x))|};
            }
            """,
            WithoutBackward(0, "pair.Forward((x, x))", "Pair", "'Pair.Forward' is not [Differentiable]; mark it [Differentiable], or wrap the call in NoDerivative(...) if 'Pair' is frozen"));

    [Fact]
    public Task Calling_a_model_whose_Forward_takes_a_tuple_is_reported_at_the_call()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public partial class Pair
            {
                [Parameter] Tensor w = ones(2);

                [Differentiable]
                public Tensor Forward((Tensor Left, Tensor Right) input) => input.Left * w + input.Right;
            }

            [Model]
            public partial class Net
            {
                Pair pair = new();

                [Differentiable]
                public Tensor Forward(Tensor x) => {|#0:pair.Forward((x, x))|};
            }
            """,
            WithoutBackward(0, "pair.Forward((x, x))", "Pair", "'Pair.Forward' takes a tuple of tensors, and a model calling such a model inside its own [Differentiable] Forward is not supported yet; call it outside a [Differentiable] method, or write the call as a [Differentiable] method of 'Pair' taking one Tensor"));

    [Fact]
    public Task Calling_a_model_that_declares_its_own_forward_through_forward_is_reported()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public partial class Custom
            {
                [Parameter] Tensor w = ones(2);

                [Differentiable]
                public Tensor Forward(Tensor x) => x * w;

                public Tensor forward(Tensor x) => Forward(x) + 1;
            }

            [Model]
            public partial class Net
            {
                Custom custom = new();

                [Differentiable]
                public Tensor Forward(Tensor x) => {|#0:custom.forward(x)|} + custom.Forward(x);
            }
            """,
            WithoutBackward(0, "custom.forward(x)", "Custom", "'Custom' declares its own forward(), which forward() runs instead of Forward; call Forward, or remove the hand-written forward()"));

    [Fact]
    public Task Another_method_of_a_model_is_reported()
        => VerifyAnalyzersAsync(Usings + Layer + """
            [Model]
            public partial class Net
            {
                Layer layer = new();

                [Differentiable]
                public Tensor Forward(Tensor x) => {|#0:layer.Scale(x)|} + Derivatives.NoDerivative(layer.Scale(x));
            }
            """,
            WithoutBackward(0, "layer.Scale(x)", "Layer", "only its Forward (also called as forward(x) or call(x)) runs through a generated backward, not 'Scale'; call Forward, or wrap the call in NoDerivative(...) to treat its result as data"));

    [Fact]
    public Task A_model_call_inside_a_loop_is_reported()
        => VerifyAnalyzersAsync(Usings + Layer + """
            [Model]
            public partial class Net
            {
                [Buffer] Tensor steps = ones(1);
                Layer layer = new();

                [Differentiable]
                public Tensor Forward(Tensor x)
                {
                    var h = x;
                    for (int i = 0; i < 3; i++)
                        h = {|#0:layer.Forward(h)|};
                    return h;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedStatement).WithLocation(0)
                .WithArguments("layer.Forward(h)", "Forward", "a [Model] call inside a loop is not supported yet; unroll the loop, move the call out of it, or hold the layer as a TorchSharp module (nn.Linear), which may be called in a loop"));
}
