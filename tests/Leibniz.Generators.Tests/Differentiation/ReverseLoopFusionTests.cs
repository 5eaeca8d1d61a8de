using Leibniz.Generators.Tests.Infrastructure;

namespace Leibniz.Generators.Tests.Differentiation;

/// <summary>
/// Which loops run their reverse inside themselves: those whose iterations' reverses are independent (an accumulator
/// the code after the loop only hands the seed to, values read in the iteration that computed them), and no other.
/// Their gradients are checked against central differences in tests/Leibniz.Tests (LoopFusionTests).
/// </summary>
public sealed class ReverseLoopFusionTests
{
    const string Source = """
        using System;
        using Leibniz;

        namespace Fusion;

        public static partial class LoopFusionFunctions
        {
            /// <summary>Σ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)²: an accumulator whose adjoint is the seed throughout.</summary>
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
        
            /// <summary>A value computed before the loop and read in every iteration: its adjoint is a sum the code before the loop reads.</summary>
            [Differentiable]
            public static double SharedScale(double[] x, double w)
            {
                var c = Math.Sin(w) + x.Length;
                var sum = 0.0;
                for (var i = 0; i < x.Length; i++)
                    sum += c * x[i] * x[i] + w * Math.Exp(-x[i]);
                return sum;
            }
        
            /// <summary>A product: the accumulator's adjoint changes every iteration, so the reverse runs as a separate loop.</summary>
            [Differentiable]
            public static double Product(double[] x)
            {
                var p = 1.0;
                for (var i = 0; i < x.Length; i++) p = p * (1 + 0.5 * x[i]);
                return p;
            }
        
            /// <summary>The index advanced in the body, not in the step: at the body's end it no longer names the iteration.</summary>
            [Differentiable]
            public static double IndexAdvancedInTheBody(double[] x)
            {
                var sum = 0.0;
                var i = 0;
                while (i < x.Length)
                {
                    var v = x[i];
                    i++;
                    sum += v * v * v;
                }
        
                return sum;
            }
        
            /// <summary>The code after the loop reads the accumulator, so the adjoint entering the loop is not known before it.</summary>
            [Differentiable]
            public static double SquaredAfterTheLoop(double[] x)
            {
                var sum = 0.0;
                for (var i = 0; i < x.Length; i++) sum += Math.Cos(x[i]);
                return sum * sum;
            }
        
            /// <summary>A running value carried from one iteration to the next.</summary>
            [Differentiable]
            public static double Carried(double[] x)
            {
                var sum = 0.0;
                var previous = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    sum += previous * x[i];
                    previous = Math.Tanh(x[i]);
                }
        
                return sum;
            }
        }
        """;

    [Theory]
    [InlineData("Rosenbrock", true)]
    [InlineData("SharedScale", true)]
    [InlineData("Product", false)]
    [InlineData("IndexAdvancedInTheBody", false)]
    [InlineData("SquaredAfterTheLoop", false)]
    [InlineData("Carried", false)]
    public void A_loop_runs_its_reverse_inside_itself_only_when_its_iterations_are_independent(string function, bool fused)
    {
        var (result, output) = GeneratorRunner.RunDifferentiable(TestCompilation.Create(("Functions.cs", Source)));
        Assert.Empty(GeneratorRunner.Problems(output));
        var text = Assert.Single(result.GeneratedSources).SourceText.ToString();
        var start = text.IndexOf($"double {function}Pullback(", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no pullback for {function}");
        var end = text.IndexOf("Pullback(", start + function.Length + 20, StringComparison.Ordinal);
        var pullback = end < 0 ? text.Substring(start) : text.Substring(start, end - start);
        Assert.Equal(fused, pullback.Contains("each loop iteration's reverse run inside it", StringComparison.Ordinal));
        Assert.Equal(!fused, pullback.Contains("per iteration, last first", StringComparison.Ordinal));
    }
}
