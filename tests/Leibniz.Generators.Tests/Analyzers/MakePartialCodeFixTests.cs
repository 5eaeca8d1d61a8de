using static Leibniz.Generators.Tests.Analyzers.AnalyzerTestSetup;

namespace Leibniz.Generators.Tests.Analyzers;

/// <summary>The LZ0001 fix: add <c>partial</c> last among the modifiers, keeping trivia and attributes.</summary>
public sealed class MakePartialCodeFixTests
{
    [Fact]
    public Task Public_class_becomes_public_partial_class()
        => VerifyMakePartialFixAsync(Usings + """
            [Model]
            public class {|LZ0001:M|}
            {
                public Tensor Forward(Tensor x) => x;
            }
            """,
            Usings + """
            [Model]
            public partial class M
            {
                public Tensor Forward(Tensor x) => x;
            }
            """);

    [Fact]
    public Task Class_without_modifiers_keeps_its_comment_and_attribute()
        => VerifyMakePartialFixAsync(Usings + """
            namespace Demo
            {
                // Scales its input.
                [Model]
                class {|LZ0001:M|}
                {
                    public Tensor Forward(Tensor x) => x;
                }
            }
            """,
            Usings + """
            namespace Demo
            {
                // Scales its input.
                [Model]
                partial class M
                {
                    public Tensor Forward(Tensor x) => x;
                }
            }
            """);

    [Fact]
    public Task Container_without_modifiers_keeps_its_doc_comment()
        => VerifyMakePartialFixAsync(Usings + """
            public partial class Outer
            {
                /// <summary>Holds the model.</summary>
                class {|LZ0001:Holder|}
                {
                    [Model]
                    public partial class M
                    {
                        public Tensor Forward(Tensor x) => x;
                    }
                }
            }
            """,
            Usings + """
            public partial class Outer
            {
                /// <summary>Holds the model.</summary>
                partial class Holder
                {
                    [Model]
                    public partial class M
                    {
                        public Tensor Forward(Tensor x) => x;
                    }
                }
            }
            """);

    [Fact]
    public Task Sealed_class_becomes_sealed_partial_class()
        => VerifyMakePartialFixAsync(Usings + """
            [Model]
            public sealed class {|LZ0001:M|}
            {
                public Tensor Forward(Tensor x) => x;
            }
            """,
            Usings + """
            [Model]
            public sealed partial class M
            {
                public Tensor Forward(Tensor x) => x;
            }
            """);

    [Fact]
    public Task Non_partial_container_of_a_nested_model_becomes_partial()
        => VerifyMakePartialFixAsync(Usings + """
            public static class {|LZ0001:Layers|}
            {
                [Model]
                public partial class M
                {
                    public Tensor Forward(Tensor x) => x;
                }
            }
            """,
            Usings + """
            public static partial class Layers
            {
                [Model]
                public partial class M
                {
                    public Tensor Forward(Tensor x) => x;
                }
            }
            """);

    [Fact]
    public Task Model_and_its_container_are_both_fixed()
        => VerifyMakePartialFixAsync(Usings + """
            internal class {|LZ0001:Outer|}
            {
                [Model]
                internal class {|LZ0001:M|}
                {
                    public Tensor Forward(Tensor x) => x;
                }
            }
            """,
            Usings + """
            internal partial class Outer
            {
                [Model]
                internal partial class M
                {
                    public Tensor Forward(Tensor x) => x;
                }
            }
            """);
}
