namespace Leibniz.Generators.Tests.Differentiation;

/// <summary>A [Differentiable] tensor function using each layer whose backward the generator writes: conv2d, max_pool2d, dropout.</summary>
internal static class LayerInputs
{
    public const string Functions = """
        using Leibniz;
        using TorchSharp;
        using static TorchSharp.torch;

        namespace Layers;

        public static partial class Functions
        {
            [Differentiable]
            public static Tensor ConvPoolDropout(Tensor x, Tensor kernels, Tensor bias, [NoDerivative] Tensor target)
            {
                var h = nn.functional.relu(nn.functional.conv2d(x, kernels, bias, padding: new long[] { 1, 1 }, groups: 2));
                var pooled = nn.functional.max_pool2d(h, (3, 2), stride: (2, 1), ceil_mode: true);
                var dropped = nn.functional.dropout(pooled, 0.25);
                return nn.functional.mse_loss(dropped.flatten(1), target);
            }
        }
        """;
}
