using Leibniz.Generators.Diagnostics;
using static Leibniz.Generators.Tests.Analyzers.AnalyzerTestSetup;

namespace Leibniz.Generators.Tests.Analyzers;

/// <summary>LZ0001–LZ0005: why a <c>[Model]</c> class cannot become a module.</summary>
public sealed class ModelDeclarationAnalyzerTests
{
    // ---- LZ0001: partial ------------------------------------------------------------------

    [Fact]
    public Task Non_partial_model_is_reported_on_its_identifier()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public class {|#0:M|}
            {
                public Tensor Forward(Tensor x) => x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.ModelMustBePartial).WithLocation(0).WithArguments("M"));

    [Fact]
    public Task Non_partial_container_of_a_partial_model_is_reported_on_the_container()
        => VerifyAnalyzersAsync(Usings + """
            public class {|#0:Outer|}
            {
                [Model]
                public partial class Inner
                {
                    public Tensor Forward(Tensor x) => x;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.ModelMustBePartial).WithLocation(0).WithArguments("Outer"));

    [Fact]
    public Task Non_partial_container_of_several_models_is_reported_once()
        => VerifyAnalyzersAsync(Usings + """
            public class {|#0:Layers|}
            {
                [Model]
                public partial class First
                {
                    public Tensor Forward(Tensor x) => x;
                }

                public partial class Group
                {
                    [Model]
                    public partial class Second
                    {
                        public Tensor Forward(Tensor x) => x;
                    }
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.ModelMustBePartial).WithLocation(0).WithArguments("Layers"));

    [Fact]
    public Task Non_partial_model_in_a_non_partial_container_is_reported_on_both()
        => VerifyAnalyzersAsync(Usings + """
            public class {|LZ0001:Outer|}
            {
                [Model]
                public class {|LZ0001:Inner|}
                {
                    public Tensor Forward(Tensor x) => x;
                }
            }
            """);

    [Fact]
    public Task Partial_model_in_partial_containers_is_accepted()
        => VerifyAnalyzersAsync(Usings + """
            public static partial class Layers
            {
                internal partial struct Holder
                {
                    [Model]
                    internal sealed partial class Inner
                    {
                        public Tensor Forward(Tensor x) => x;
                    }
                }
            }
            """);

    [Fact]
    public Task Partial_model_is_accepted()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public partial class M
            {
                public Tensor Forward(Tensor x) => x;
            }
            """);

    // ---- LZ0002: component fields ---------------------------------------------------------

    [Fact]
    public Task Parameter_on_an_int_field_is_reported_with_its_type()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public partial class M
            {
                [Parameter] int {|#0:count|};
                public Tensor Forward(Tensor x) => x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.ComponentMustBeTensorField).WithLocation(0)
                .WithArguments("Parameter", "count", " (or Parameter)", "of type 'int'"));

    [Fact]
    public Task Parameter_on_a_static_tensor_field_is_reported()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public partial class M
            {
                [Parameter] static Tensor {|#0:shared|} = zeros(1);
                public Tensor Forward(Tensor x) => x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.ComponentMustBeTensorField).WithLocation(0)
                .WithArguments("Parameter", "shared", " (or Parameter)", "static"));

    [Fact]
    public Task Parameter_on_a_readonly_tensor_field_is_reported()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public partial class M
            {
                [Parameter] readonly Tensor {|#0:weight|} = zeros(1);
                public Tensor Forward(Tensor x) => x * weight;
            }
            """,
            Diagnostic(DiagnosticDescriptors.ComponentMustBeTensorField).WithLocation(0)
                .WithArguments("Parameter", "weight", " (or Parameter)", "readonly (registration stores the Parameter or the moved tensor back into it)"));

    [Fact]
    public Task Buffer_on_a_parameter_field_is_reported_because_buffers_must_be_tensors()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public partial class M
            {
                [Buffer] TorchSharp.Modules.Parameter {|#0:gain|};
                public Tensor Forward(Tensor x) => x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.ComponentMustBeTensorField).WithLocation(0)
                .WithArguments("Buffer", "gain", "", "of type 'TorchSharp.Modules.Parameter'"));

    [Fact]
    public Task Each_declarator_of_a_wrong_field_is_reported()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public partial class M
            {
                [Parameter] float {|LZ0002:a|}, {|LZ0002:b|};
                public Tensor Forward(Tensor x) => x;
            }
            """);

    [Fact]
    public Task Tensor_and_parameter_fields_are_accepted_as_parameters_and_tensor_fields_as_buffers()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public partial class M
            {
                [Parameter] Tensor weight = zeros(1);
                [Parameter] TorchSharp.Modules.Parameter gain = new TorchSharp.Modules.Parameter(ones(1));
                [Buffer] Tensor mean = zeros(1);
                [Buffer(Persistent = false)] Tensor mask = ones(1);
                public Tensor Forward(Tensor x) => (x - mean) * mask * weight * gain;
            }
            """);

    // ---- LZ0003: Forward ------------------------------------------------------------------

    [Fact]
    public Task Model_without_Forward_is_reported_on_its_identifier()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public partial class {|#0:M|}
            {
                [Parameter] Tensor weight = zeros(1);
            }
            """,
            Diagnostic(DiagnosticDescriptors.ModelNeedsForward).WithLocation(0)
                .WithArguments("M", "has no instance method 'Forward'"));

    [Fact]
    public Task Static_Forward_does_not_count_as_Forward()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public partial class {|#0:M|}
            {
                public static Tensor Forward(Tensor x) => x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.ModelNeedsForward).WithLocation(0)
                .WithArguments("M", "has no instance method 'Forward'"));

    [Theory]
    [InlineData("public Tensor {|#0:Forward|}(Tensor x, Tensor y) => x + y;", "has a 'Forward' that takes 2 parameters")]
    [InlineData("public Tensor {|#0:Forward|}() => zeros(1);", "has a 'Forward' that takes 0 parameters")]
    [InlineData("public Tensor {|#0:Forward|}(Tensor x) => x; public Tensor Forward(Tensor x, Tensor y) => x + y;", "has 2 overloads of 'Forward'")]
    [InlineData("public void {|#0:Forward|}(Tensor x) { }", "has a 'Forward' that returns void")]
    [InlineData("public T {|#0:Forward|}<T>(T x) => x;", "has a generic 'Forward'")]
    [InlineData("public Tensor {|#0:Forward|}(ref Tensor x) => x;", "has a 'Forward' whose input is passed by reference")]
    public Task Unusable_Forward_is_reported_on_the_method(string members, string problem)
        => VerifyAnalyzersAsync(Usings + $$"""
            [Model]
            public partial class M
            {
                {{members}}
            }
            """,
            Diagnostic(DiagnosticDescriptors.ModelNeedsForward).WithLocation(0).WithArguments("M", problem));

    [Fact]
    public Task Forward_taking_a_tuple_is_accepted()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public partial class M
            {
                public Tensor Forward((Tensor X, Tensor Y) input) => input.X + input.Y;
            }
            """);

    // ---- LZ0004: base class ---------------------------------------------------------------

    [Fact]
    public Task Model_with_a_base_class_is_reported_on_the_base_type()
        => VerifyAnalyzersAsync(Usings + """
            namespace Demo;

            public class Layer { }

            [Model]
            public partial class M : {|#0:Layer|}, System.IDisposable
            {
                public Tensor Forward(Tensor x) => x;
                public void Dispose() { }
            }
            """,
            Diagnostic(DiagnosticDescriptors.ModelCannotHaveBaseClass).WithLocation(0).WithArguments("M", "Demo.Layer"));

    [Fact]
    public Task Model_implementing_only_interfaces_is_accepted()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public partial class M : System.IDisposable
            {
                public Tensor Forward(Tensor x) => x;
                public void Dispose() { }
            }
            """);

    // ---- LZ0005: static -------------------------------------------------------------------

    [Fact]
    public Task Static_model_is_reported_and_its_static_Forward_too()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public static partial class {|#0:M|}
            {
                public static Tensor Forward(Tensor x) => x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.ModelMustBeInstantiable).WithLocation(0).WithArguments("M"),
            Diagnostic(DiagnosticDescriptors.ModelNeedsForward).WithLocation(0).WithArguments("M", "has no instance method 'Forward'"));

    // ---- All together ---------------------------------------------------------------------

    [Fact]
    public Task Complete_model_with_parameters_buffer_and_submodule_has_no_diagnostics()
        => VerifyAnalyzersAsync(Usings + """
            namespace Demo;

            [Model]
            public sealed partial class Classifier
            {
                [Parameter] Tensor weight;
                [Parameter] Tensor bias;
                [Buffer] Tensor runningMean = zeros(4);
                readonly TorchSharp.Modules.Linear head = nn.Linear(4, 2);
                readonly Scale scale = new Scale();

                public Classifier()
                {
                    weight = randn(4, 4) * 0.1;
                    bias = zeros(4);
                }

                public Tensor Forward(Tensor x)
                    => scale.Forward(head.call(nn.functional.relu(nn.functional.linear(x - runningMean, weight, bias))));
            }

            [Model]
            public partial class Scale
            {
                [Parameter] TorchSharp.Modules.Parameter factor = new TorchSharp.Modules.Parameter(ones(1));

                public Tensor Forward(Tensor x) => x * factor;
            }
            """);
}
