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

    // Floor's jumps make a generated derivative of this body wrong at integers; callers use the hand-written pullback.
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

/// <summary>
/// A function the generator does not see into, with a hand-written pullback and a hand-written tangent: forward
/// mode follows the tangent, and reverse mode over the tangent (it is [Differentiable]) gives H·v.
/// </summary>
public static partial class CustomTangentFunctions
{
    // To the generator, Math.Round makes this body piecewise constant (a zero derivative): callers must use the hand-written rules.
    public static double Softplus(double x) => Math.Round(Math.Log(1 + Math.Exp(x)), 15);

    [Derivative(Of = nameof(Softplus))]
    public static double SoftplusPullback(double x, double seed, ref double dx)
    {
        dx += seed / (1 + Math.Exp(-x));
        return Math.Log(1 + Math.Exp(x));
    }

    [Tangent(Of = nameof(Softplus))]
    [Differentiable]
    public static double SoftplusTangent(double x, double dx) => dx / (1 + Math.Exp(-x));

    /// <summary>A weighted sum of softplus over an array, with a tangent over the array and the weight.</summary>
    public static double SoftplusSum(double[] x, double weight)
    {
        var sum = 0.0;
        foreach (var value in x) sum += Math.Round(Math.Log(1 + Math.Exp(value)), 15);
        return weight * sum;
    }

    [Derivative(Of = nameof(SoftplusSum))]
    public static double SoftplusSumPullback(double[] x, double weight, double seed, double[] dx, ref double dweight)
    {
        var sum = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            sum += Math.Log(1 + Math.Exp(x[i]));
            dx[i] += seed * weight / (1 + Math.Exp(-x[i]));
        }

        dweight += seed * sum;
        return weight * sum;
    }

    [Tangent(Of = nameof(SoftplusSum))]
    [Differentiable]
    public static double SoftplusSumTangent(double[] x, double weight, double[] dx, double dweight)
    {
        var tangent = 0.0;
        for (var i = 0; i < x.Length; i++)
            tangent += weight * dx[i] / (1 + Math.Exp(-x[i])) + dweight * Math.Log(1 + Math.Exp(x[i]));
        return tangent;
    }

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double UsesSoftplus(double x, double y) => Softplus(x * y) * y + Math.Sin(Softplus(y));

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double UsesSoftplusSum(double[] x, double weight) => SoftplusSum(x, weight * weight) + weight;
}
