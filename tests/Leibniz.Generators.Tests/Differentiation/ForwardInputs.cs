namespace Leibniz.Generators.Tests.Differentiation;

/// <summary>[Differentiable] functions asking for forward mode and Hessian–vector products, one per construct the transform follows.</summary>
internal static class ForwardInputs
{
    public const string Scalar = """
        using System;
        using Leibniz;

        namespace Forward;

        public static partial class Functions
        {
            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public static double SinTimesX(double x) => Math.Sin(x) * x;

            public static double Smooth(double x) => x * x * (3 - 2 * x);

            [Derivative(Of = nameof(Smooth))]
            public static double SmoothPullback(double x, double seed, ref double dx)
            {
                dx += seed * 6 * x * (1 - x);
                return x * x * (3 - 2 * x);
            }

            [Tangent(Of = nameof(Smooth))]
            [Differentiable]
            public static double SmoothTangent(double x, double dx) => 6 * x * (1 - x) * dx;

            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public static double UsesSmooth(double x, double y) => Smooth(x * y) + y;

            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public static double Rosenbrock(double[] x)
            {
                var sum = 0.0;
                for (var i = 0; i < x.Length - 1; i++)
                {
                    var a = x[i + 1] - x[i] * x[i];
                    var b = 1 - x[i];
                    sum += 100 * a * a + b * b;
                }

                return sum;
            }

            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public static double Piecewise(double x, double y)
            {
                if (x > y) return x * x - y;
                var z = x < 0 ? -x : Math.Exp(x);
                return z * y / (1 + Math.Abs(x));
            }

            [Differentiable(Wrt = new[] { nameof(x) }, Modes = DerivativeModes.HessianVectorProduct)]
            public static double Power(double x, double y, [NoDerivative] double scale, int times)
            {
                var p = 1.0;
                var k = 0;
                while (k < times)
                {
                    p *= x;
                    k++;
                }

                return scale * p + Math.Pow(x, y);
            }

            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public static double Calls(double x, double y) => SinTimesX(x) + Piecewise(y, x) / 2;

            [Differentiable(Modes = DerivativeModes.Forward)]
            public static float Single(float x) => MathF.Tanh(x) * x + 2f;
        }
        """;

    public const string Tensor = """
        using Leibniz;
        using TorchSharp;
        using static TorchSharp.torch;

        namespace Forward;

        public static partial class Layers
        {
            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public static Tensor Mlp(Tensor x, Tensor w1, Tensor b1, Tensor w2, [NoDerivative] Tensor target)
            {
                var h = nn.functional.relu(nn.functional.linear(x, w1, b1));
                var y = h.matmul(w2).tanh();
                return nn.functional.mse_loss(y, target);
            }

            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public static Tensor Softmax(Tensor x, [NoDerivative] Tensor w) => (x.softmax(1) * w).sum();

            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public static Tensor ConvolvedAndPooled(Tensor x, Tensor weight, [NoDerivative] Tensor other)
            {
                var features = nn.functional.max_pool2d(nn.functional.conv2d(x, weight, padding: new long[] { 1 }), 2);
                return torch.cat(new[] { features, other }, 1).max(1).values.square().sum();
            }
        }
        """;

    public const string Model = """
        using Leibniz;
        using TorchSharp;
        using static TorchSharp.torch;

        namespace Forward;

        [Model]
        public partial class Classifier
        {
            [Parameter] Tensor w1, b1, w2;

            public Classifier(int inputs, int hidden, int classes)
            {
                w1 = randn(hidden, inputs);
                b1 = zeros(hidden);
                w2 = randn(classes, hidden);
            }

            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public Tensor Forward(Tensor x) => nn.functional.gelu(nn.functional.linear(x, w1, b1)).matmul(w2.t());
        }
        """;
}
