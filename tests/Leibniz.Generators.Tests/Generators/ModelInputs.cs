namespace Leibniz.Generators.Tests.Generators;

/// <summary>Small [Model] declarations, each exercising one shape the emitter must handle.</summary>
internal static class ModelInputs
{
    public const string Usings = """
        using Leibniz;
        using TorchSharp;
        using static TorchSharp.torch;
        """;

    public static readonly IReadOnlyDictionary<string, string> Valid = new SortedDictionary<string, string>
    {
        ["BuffersAndSubmodules"] = Usings + """

            namespace Shapes;

            [Model]
            public partial class Encoder
            {
                [Parameter] Tensor weight;
                [Parameter] TorchSharp.Modules.Parameter gain;
                [Buffer] Tensor runningMean;
                [Buffer(Persistent = false)] Tensor mask;
                readonly TorchSharp.Modules.Linear head;
                Decoder decoder;
                static Tensor shared = zeros(1);
                int calls;

                public Encoder()
                {
                    weight = zeros(3, 3);
                    gain = new TorchSharp.Modules.Parameter(ones(1));
                    runningMean = zeros(3);
                    mask = ones(3);
                    head = nn.Linear(3, 2);
                    decoder = new Decoder();
                }

                public Tensor Forward(Tensor x) { calls++; return decoder.forward(head.call(x.matmul(weight) * gain * mask - runningMean + shared)); }
            }

            [Model]
            public partial class Decoder
            {
                [Parameter] Tensor? scale = ones(1);

                public Tensor Forward(Tensor x) => x * scale!;
            }
            """,

        ["NestedGenericModel"] = Usings + """

            namespace Shapes.Nested
            {
                public static partial class Layers
                {
                    internal partial struct Holder<TTag>
                    {
                        [Model]
                        internal sealed partial class Scaled<T> where T : struct
                        {
                            [Parameter] Tensor factor = ones(1);

                            public Tensor Forward((Tensor Value, T Tag) input) => input.Value * factor;
                        }
                    }
                }
            }
            """,

        ["UserDeclaredForward"] = Usings + """

            namespace Shapes;

            [Model]
            public partial class Identity
            {
                [Parameter] Tensor bias = zeros(1);

                public Tensor Forward(Tensor x) => x + bias;

                public override Tensor forward(Tensor x) => Forward(x) * 1;
            }
            """,

        ["GlobalNamespaceAndKeywords"] = Usings + """

            [Model]
            public partial class Keywords
            {
                [Parameter] Tensor @base = zeros(1);
                [Parameter] Tensor @event = zeros(1);

                public Tensor Forward(Tensor @in) => @in + @base + @event;
            }
            """,
    };
}
