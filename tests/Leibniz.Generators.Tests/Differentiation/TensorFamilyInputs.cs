namespace Leibniz.Generators.Tests.Differentiation;

/// <summary>One tensor [Differentiable] function per family of the tensor rule table.</summary>
internal static class TensorFamilyInputs
{
    public const string Functions = """
        using Leibniz;
        using TorchSharp;
        using static TorchSharp.torch;
        using static TorchSharp.torch.nn.functional;

        namespace TensorFamilies;

        public static partial class Functions
        {
            // Elementwise functions and broadcasting arithmetic with a scalar mixed in.
            [Differentiable]
            public static Tensor Elementwise(Tensor a, Tensor row) => a.exp() * row.sigmoid() - tanh(a) / 2.0 + row.square();

            // Linear algebra and the linear layer.
            [Differentiable]
            public static Tensor Linear(Tensor x, Tensor w, Tensor b, Tensor m) => linear(x, w, b).matmul(m);

            // Reductions over everything and over one dimension.
            [Differentiable]
            public static Tensor Reductions(Tensor a) => a.sum(dim: 1L, keepdim: true).mean() + a.logsumexp(0L).sum();

            // The softmax family over a dimension.
            [Differentiable]
            public static Tensor Softmax(Tensor logits) => (log_softmax(logits, 1L) * softmax(logits, 1L)).sum();

            // Shape: reshape, transpose, unsqueeze, squeeze, expand.
            [Differentiable]
            public static Tensor Shape(Tensor a) => a.reshape(-1, 2).t().unsqueeze(0).squeeze(0).expand(3, 2, -1).sum();

            // Selection steered by a derivative-free mask.
            [Differentiable]
            public static Tensor Selection(Tensor a, Tensor b) => where(a.gt(b), a * b, a - b).clamp(-1.0, 1.0).sum();

            // Losses against data.
            [Differentiable]
            public static Tensor Losses(Tensor logits, [NoDerivative] Tensor classes, [NoDerivative] Tensor target)
                => cross_entropy(logits, classes) + mse_loss(logits.relu(), target);

            // A tensor carried through a loop with a run-time trip count.
            [Differentiable]
            public static Tensor Recurrence(Tensor h, Tensor w, int steps)
            {
                for (var i = 0; i < steps; i++) h = tanh(h.matmul(w));
                return h.sum();
            }
        }
        """;
}
