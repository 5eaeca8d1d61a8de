namespace Leibniz.Tests.Differentiation;

/// <summary>
/// Programs whose reverse sweep must see values as they were when a loop ran, although later code overwrites them; and
/// numbers that reach double arithmetic from ints in every spelling. Each is a shrunk program the differential tester found.
/// </summary>
public static partial class ReverseSweepStateFunctions
{
    /// <summary>An int the loop reads, overwritten after it: the reverse loop recomputes its iterations with k = 1.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double IntOverwrittenAfterLoop(double x)
    {
        int k = 1;
        double s = 0;
        for (int i = 0; i < 2; i++) s += Math.Sin(x + k);
        k = 5;
        return s + k;
    }

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double ConstantOverwrittenAfterLoop(double x)
    {
        double c = 0.5;
        double s = 0;
        for (int i = 0; i < 3; i++) s += Math.Sin(x + c);
        c = 4.0;
        return s * c;
    }

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double ParameterOverwrittenAfterLoop(double x, double y)
    {
        double s = 0;
        for (int i = 0; i < 2; i++) s += Math.Sin(x * y + i);
        y = 3.0;
        return s + y;
    }

    /// <summary>The index the loop read moves after it: the adjoint must land in a[2], not a[4].</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double IndexOverwrittenAfterLoop(double[] a)
    {
        int k = 1;
        double s = 0;
        for (int i = 0; i < 2; i++) s += Math.Sin(a[k + 1]) * (i + 1);
        k = 3;
        return s + a[k];
    }

    /// <summary>Row-major reads: the outer counter is incremented after the inner loop, before the inner loop is reversed.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double RowMajor(double[] a, int columns)
    {
        double s = 0;
        int rows = a.Length / columns;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++) s += Math.Sin(a[columns * r + c]) * (r + 1);
        }

        return s;
    }

    /// <summary>A time loop: each step updates the state from both counters.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double TimeLoop(double u, double x)
    {
        for (int t = 0; t < 3; t++)
        {
            for (int k = 0; k < 2; k++) u = Math.Sin(u + k * x) * (t + 1) * 0.5 + x;
        }

        return u;
    }

    /// <summary>A later loop with no adjoint code of its own overwrites c, which the reverse of x * c reads.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double LaterLoopWithoutAdjoint(double x)
    {
        double c = 0.5;
        double s = x * c;
        for (int i = 0; i < 2; i++) c = c + 1;
        return s;
    }

    /// <summary>A caller whose own reverse sweep pops from the tape after calling the function above.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double CallsLaterLoop(double x)
    {
        double s = 0;
        for (int i = 0; i < 3; i++) s = s * Math.Cos(x) + LaterLoopWithoutAdjoint(x * s + 1);
        return s;
    }

    /// <summary>Ints converted to double inside parentheses, in ternaries, in math calls and in products of indices.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double IntsInArithmetic(double[] x, int n)
    {
        double s = x[0] * (n) + x[1] * (n + 1) + (n > 1 ? 2 : 3) * x[2] + Math.Sin((n)) * x[0];
        for (int i = 0; i < x.Length; i++)
        {
            s += x[i] / (i + 1);
            for (int j = 0; j < i; j++) s += x[i] * x[j] * (i - j + 1);
        }

        return s;
    }

    /// <summary>A condition C# folds, a self-assignment: only the branch taken is generated, and nothing warns.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double ConstantConditions(double x)
    {
        double y = (1 <= 1 ? x : 0.0) * x;
        if (2 > 3) return y;
        x = x;
        y += 1.0;
        return y * x;
    }

    /// <summary>
    /// A [NoDerivative] input that becomes active when reassigned: its tangent is a local read (as zero) before its one
    /// assignment, so reverse mode over the tangent must keep that zero for the read before it.
    /// </summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double DataInputReassigned(double x, [NoDerivative] double s)
    {
        double p = x * s;
        s -= Math.Sin(x);
        return p * s;
    }

    /// <summary>Constants C# folds to infinity and NaN: the generated code spells them as double's constants.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double NonFiniteConstants(double x)
    {
        double y = x * Math.Atan(0.25 / ((double)(0 - 2 + 2)));
        double z = x > -1e300 / 0.0 ? x * x : 0.0 / 0.0;
        return y + z;
    }

    /// <summary>−0.0 as an operand: a partial that negates it must not print "--0.0".</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double NegativeZero(double x, int n) => Math.Atan2(-0.0, 1.5 + x * x) + Math.Atan2(x, 2.0) * (-0.0 + n);

    /// <summary>pow(|x|, y) at x = 0: the exponent's partial a^b·ln a is 0·(−∞); its limit, 0, is the gradient.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double PowerOfAbsolute(double x, double y) => Math.Pow(Math.Abs(x), y);
}
