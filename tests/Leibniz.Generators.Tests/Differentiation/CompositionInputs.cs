namespace Leibniz.Generators.Tests.Differentiation;

/// <summary>[Model] classes whose differentiable Forward calls other models: every shape composition must handle.</summary>
internal static class CompositionInputs
{
    public const string Models = """
        using Leibniz;
        using TorchSharp;
        using static TorchSharp.torch;
        using static TorchSharp.torch.nn.functional;

        namespace Composition;

        [Model]
        public partial class Layer
        {
            [Parameter] Tensor weight = zeros(2, 2), bias = zeros(2);

            [Differentiable]
            public Tensor Forward(Tensor x) => tanh(linear(x, weight, bias));
        }

        public static partial class Blocks
        {
            [Model]
            public partial class Scaled<TTag>
            {
                [Parameter] Tensor scale = ones(2);

                [Differentiable]
                public Tensor Forward(Tensor x) => x * scale;
            }
        }

        /// <summary>Two fields of one model type, called through call() and Forward, and a private nested model.</summary>
        [Model]
        public partial class Encoder
        {
            [Parameter] Tensor gain = ones(2);
            Layer first = new(), second = new();
            Inner inner = new();

            [Differentiable]
            public Tensor Forward(Tensor x)
            {
                var h = first.call(x);
                return inner.Forward(second.Forward(h) * gain);
            }

            [Model]
            partial class Inner
            {
                [Parameter] Tensor w = ones(2, 2);

                [Differentiable]
                public Tensor Forward(Tensor x) => x.matmul(w);
            }
        }

        /// <summary>A grandchild, one model called twice, a generic model, a frozen model and a branch.</summary>
        [Model]
        public partial class Autoencoder
        {
            [Buffer] Tensor flag = ones(1);
            Encoder encoder = new();
            Layer decoder = new();
            Blocks.Scaled<int> scaled = new();
            Layer frozen = new();

            [Differentiable]
            public Tensor Forward(Tensor x)
            {
                var z = encoder.forward(x) + Derivatives.NoDerivative(frozen.call(x));
                var y = decoder.Forward(decoder.call(z));
                if (Enabled(flag))
                    y = scaled.call(y);
                return y;
            }

            static bool Enabled(Tensor flag) => flag.item<double>() > 0;
        }
        """;
}
