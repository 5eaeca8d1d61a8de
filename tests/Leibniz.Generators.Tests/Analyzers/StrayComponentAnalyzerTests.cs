using Leibniz.Generators.Diagnostics;
using static Leibniz.Generators.Tests.Analyzers.AnalyzerTestSetup;

namespace Leibniz.Generators.Tests.Analyzers;

/// <summary>LZ0006: <c>[Parameter]</c>/<c>[Buffer]</c> outside a <c>[Model]</c> does nothing.</summary>
public sealed class StrayComponentAnalyzerTests
{
    [Fact]
    public Task Parameter_outside_a_model_is_a_warning_on_the_field()
        => VerifyAnalyzersAsync(Usings + """
            public class Helper
            {
                [Parameter] Tensor {|#0:weight|} = zeros(1);
            }
            """,
            Diagnostic(DiagnosticDescriptors.ComponentOutsideModel).WithLocation(0).WithArguments("Parameter", "weight", "Helper"));

    [Fact]
    public Task Buffer_outside_a_model_is_a_warning_on_the_field()
        => VerifyAnalyzersAsync(Usings + """
            public class Helper
            {
                [Buffer(Persistent = false)] Tensor {|#0:mask|} = ones(1);
            }
            """,
            Diagnostic(DiagnosticDescriptors.ComponentOutsideModel).WithLocation(0).WithArguments("Buffer", "mask", "Helper"));

    [Fact]
    public Task Class_nested_in_a_model_is_not_a_model()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public partial class M
            {
                public Tensor Forward(Tensor x) => x;

                sealed class State
                {
                    [Parameter] Tensor {|#0:weight|} = zeros(1);
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.ComponentOutsideModel).WithLocation(0).WithArguments("Parameter", "weight", "State"));

    [Fact]
    public Task Pragma_warning_disable_suppresses_the_warning()
        => VerifyAnalyzersAsync(Usings + """
            public class Helper
            {
            #pragma warning disable LZ0006
                [Parameter] Tensor weight = zeros(1);
            #pragma warning restore LZ0006
            }
            """);

    [Fact]
    public Task Components_inside_a_model_are_not_reported()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public partial class M
            {
                [Parameter] Tensor weight = zeros(1);
                [Buffer] Tensor mean = zeros(1);
                public Tensor Forward(Tensor x) => (x - mean) * weight;
            }
            """);

    [Fact]
    public Task Components_in_another_part_of_a_model_are_not_reported()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public partial class M
            {
                public Tensor Forward(Tensor x) => x * weight;
            }

            public partial class M
            {
                [Parameter] Tensor weight = zeros(1);
            }
            """);
}
