namespace Leibniz.Generators.Tests.Differentiation;

/// <summary>Scalar [Differentiable] functions covering each construct reverse mode must handle.</summary>
internal static class ScalarInputs
{
    public const string Functions = """
        using System;
        using Leibniz;

        namespace Scalar;

        public static partial class Functions
        {
            [Differentiable]
            public static double SinTimesX(double x) => Math.Sin(x) * x;

            [Differentiable]
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

            [Differentiable]
            public static double Piecewise(double x, double y)
            {
                if (x > y) return x * x - y;
                var z = x < 0 ? -x : Math.Exp(x);
                return z * y;
            }

            [Differentiable(Wrt = new[] { nameof(x) })]
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

            [Differentiable]
            public static double Calls(double x, double y) => SinTimesX(x) + Piecewise(y, x) / 2;

            [Differentiable]
            public static float Single(float x) => MathF.Tanh(x) * x + 2f;
        }
        """;
}
