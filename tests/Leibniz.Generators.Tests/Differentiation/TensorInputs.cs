namespace Leibniz.Generators.Tests.Differentiation;

/// <summary>Tensor [Differentiable] functions, one per family of tensor rules whose arguments are lists, indices or defaults.</summary>
internal static class TensorInputs
{
    public const string Functions = """
        using Leibniz;
        using TorchSharp;
        using static TorchSharp.torch;

        namespace Tensors;

        public static partial class Functions
        {
            /// <summary>Reductions over lists of dimensions.</summary>
            [Differentiable]
            public static Tensor Reductions(Tensor x)
                => x.sum(new long[] { 0, 2 }).sin().sum() + x.mean(new long[] { 1 }, keepdim: true).square().sum();

            /// <summary>Extrema: ties shared (amax), the returned index (max along a dimension), the indices as data.</summary>
            [Differentiable]
            public static Tensor Extrema(Tensor x)
            {
                var (values, indexes) = x.max(1);
                return x.amax(-1).square().sum() + (values * indexes).sum();
            }

            [Differentiable]
            public static Tensor Permute(Tensor x) => x.permute(2, 0, 1).sin().sum();

            [Differentiable]
            public static Tensor Joins(Tensor a, Tensor b) => torch.cat(new[] { a, b }, 1).sin().sum() + torch.stack(new[] { a, a.exp() }).sum();

            [Differentiable]
            public static Tensor Indexing(Tensor x, int k) => x[.., 1..^1].sin().sum() + x[k].square().sum() + x.select(0, -1).sum();

            /// <summary>Scalars set and left to their defaults: a default of one multiplies nothing.</summary>
            [Differentiable]
            public static Tensor Scalars(Tensor x, Tensor a, Tensor b)
                => nn.functional.softplus(x, 2.0, 3.0).sum() + nn.functional.leaky_relu(x).sum() + x.addmm(a, b, alpha: 0.5f).sum();
        }
        """;
}
