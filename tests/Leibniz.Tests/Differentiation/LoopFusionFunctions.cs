namespace Leibniz.Tests.Differentiation;

/// <summary>
/// Loops whose reverse may run inside them (each iteration's reverse independent of the others') and loops whose
/// reverse may not; the generated gradient must be right either way.
/// </summary>
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
