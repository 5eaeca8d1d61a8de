namespace Leibniz.Tests.Differentiation;

/// <summary>Scalar functions differentiated at build time by the generator; the tests check them against finite differences.</summary>
public static partial class ScalarFunctions
{
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double SinTimesX(double x) => Math.Sin(x) * x;

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double CompoundAssignments(double x, double y)
    {
        var z = x;
        z *= y;
        z += 3 * x;
        z -= y / x;
        z /= 1.5 + y * y;
        return -z + x % 1.5;
    }

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Branches(double x, double y)
    {
        if (x > y) return x * x - y;
        var z = x < 0 ? -x * y : Math.Exp(x) + y;
        if (z > 2)
        {
            z = z * z;
        }
        else
        {
            return z / (1 + y * y);
        }

        return z - x;
    }

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double LoopedPower(double x, int n)
    {
        var p = 1.0;
        for (var i = 0; i < n; i++) p *= x;
        return p;
    }

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double HeronSquareRoot(double x, int iterations)
    {
        var y = x;
        var k = 0;
        while (k < iterations)
        {
            y = 0.5 * (y + x / y);
            k++;
        }

        return y;
    }

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
    public static double QuadraticForm(double[] x, [NoDerivative] double[] weights)
    {
        var total = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            for (var j = 0; j < x.Length; j++)
            {
                var w = weights[(i * x.Length + j) % weights.Length];
                total += w * x[i] * Math.Sin(x[j]);
            }
        }

        return total;
    }

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Transcendental(double x, double y)
        => Math.Tan(x) + Math.Exp(y) * Math.Log(x + 2) + Math.Log10(y + 3) + Math.Sqrt(x * x + 1)
           + Math.Pow(x + 2, y) + Math.Abs(x - y) + Math.Tanh(x * y) + Math.Atan(y) + Math.Atan2(x, y + 3)
           + Math.Min(x, y) * Math.Max(x, 2 * y) + Math.Clamp(x * y, -0.5, 0.5) + Math.Cos(y);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float SinglePrecision(float x, float y)
        => MathF.Sin(x) * MathF.Exp(y) + MathF.Sqrt(x * x + y * y) - MathF.Pow(x + 2f, 1.5f);

    [Differentiable(Wrt = new[] { nameof(x) }, Modes = DerivativeModes.HessianVectorProduct)]
    public static double OnlyX(double x, double y, [NoDerivative] double scale) => scale * x * y + Math.Sin(y);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Recursive(double x, int depth)
    {
        if (depth == 0) return x;
        return Math.Sin(Recursive(x, depth - 1)) + 0.5 * x;
    }

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double CallsOtherClass(double x, double y) => OtherFunctions.Scaled(x, y) * SinTimesX(y);

    // The integer step is meant to contribute nothing; the pragma acknowledges LZ0107's warning.
#pragma warning disable LZ0107
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double StopsGradient(double x) => x * Derivatives.NoDerivative(x) + (int)(x * 10) * 0.1;
#pragma warning restore LZ0107
}

public static partial class OtherFunctions
{
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float Dot(float[] a, float[] b)
    {
        var total = 0f;
        for (var i = 0; i < a.Length; i++) total += a[i] * b[i];
        return total;
    }

    /// <summary>Passes a data array where the callee's pullback expects an adjoint: it gets a throw-away one.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float WeightedDot(float[] a, [NoDerivative] float[] weights) => Dot(a, weights) * 2f;

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Scaled(double x, double y) => x * x * y - Math.Cos(x);
}

/// <summary>A function the generator does not see into, with a hand-written pullback.</summary>
public static partial class CustomDerivativeFunctions
{
    public static int PullbackCalls;

    // Written so that differentiating it would be impossible (Floor has no derivative rule).
    public static double SmoothStep(double x) => x - Math.Floor(x) == 0 ? 0 : x * x * (3 - 2 * x);

    [Derivative(Of = nameof(SmoothStep))]
    public static double SmoothStepPullback(double x, double seed, ref double dx)
    {
        PullbackCalls++;
        dx += seed * 6 * x * (1 - x);
        return x * x * (3 - 2 * x);
    }

    [Differentiable]
    public static double UsesSmoothStep(double x, double y) => SmoothStep(x) * y + Math.Sin(SmoothStep(y));
}
