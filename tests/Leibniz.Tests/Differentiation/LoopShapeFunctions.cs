namespace Leibniz.Tests.Differentiation;

/// <summary>
/// Loops whose reverse sweeps take different paths: counters recomputed from the iteration count
/// (any constant step, up or down, nested with a start that depends on the outer counter), counters
/// that are not induction variables and go to the tape, and repeated reads that share one value.
/// </summary>
public static partial class LoopShapeFunctions
{
    /// <summary>A backwards, strided counter; the accumulator is read by its own derivative, so it is kept per iteration.</summary>
    [Differentiable]
    public static double BackwardsStrided(double[] x)
    {
        var acc = 0.25;
        for (var i = x.Length - 1; i >= 0; i -= 2)
            acc = acc * 0.5 + x[i] * Math.Sin(acc + x[i]);
        return acc;
    }

    /// <summary>A triangular nest: the inner counter starts at the outer one and steps by three.</summary>
    [Differentiable]
    public static double Triangular(double[] x)
    {
        var s = 0.1;
        for (var i = 0; i < x.Length; i++)
        {
            for (var j = i; j < x.Length; j += 3)
                s += x[i] * Math.Cos(x[j] * s);
        }

        return s;
    }

    /// <summary>Two counters walking towards each other, one up and one down.</summary>
    [Differentiable]
    public static double Converging(double[] x)
    {
        var total = 0.0;
        var i = 0;
        var k = x.Length - 1;
        while (i < k)
        {
            total += x[i] * x[k] * (1 + total * 0.01);
            i++;
            k--;
        }

        return total;
    }

    /// <summary>The step depends on the data, so the counter is not an induction variable and is kept on the tape.</summary>
    [Differentiable]
    public static double DataDependentStep(double[] x)
    {
        var total = 1.0;
        var i = 0;
        while (i < x.Length)
        {
            total = total * 0.9 + Math.Exp(x[i] * 0.3) * x[i];
            if (x[i] > 0) i += 2;
            else i += 1;
        }

        return total;
    }

    /// <summary>The body repeats a computation of the loop condition, which changes every iteration.</summary>
    [Differentiable]
    public static double ConditionShared(double[] x)
    {
        var total = 0.5;
        var i = 0;
        while (i * 2 < x.Length)
        {
            total = total * x[i * 2] + Math.Sin(total);
            i++;
        }

        return total;
    }

    /// <summary>Equal reads that are not the same value: the index, and the variable, change between them.</summary>
    [Differentiable]
    public static double RepeatedReads(double[] x, double y)
    {
        var i = 0;
        var a = x[i] * x[i];
        i = i + 1;
        var b = x[i] * Math.Sin(y);
        y = y * 2;
        var c = Math.Sin(y) * x[i];
        if (a > b) c = c + x[i] * x[0];
        return a + b * c + x[0];
    }
}
