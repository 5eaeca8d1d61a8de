namespace Leibniz.Tests.Differentiation;

/// <summary>
/// One function per row of the scalar rule table, through <c>Math</c>/<c>MathF</c> where they have it and the generic-math
/// statics of <c>double</c>/<c>float</c> otherwise; a float twin (name + F) beside each. <see cref="ScalarRuleTests"/>
/// checks every one, and a generator test fails if a row has no function here.
/// </summary>
public static partial class ScalarRuleFunctions
{
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Sin(double a, double b, double c) => Math.Sin(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float SinF(float a, float b, float c) => MathF.Sin(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Cos(double a, double b, double c) => Math.Cos(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float CosF(float a, float b, float c) => MathF.Cos(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Tan(double a, double b, double c) => Math.Tan(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float TanF(float a, float b, float c) => MathF.Tan(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Asin(double a, double b, double c) => Math.Asin(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float AsinF(float a, float b, float c) => MathF.Asin(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Acos(double a, double b, double c) => Math.Acos(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float AcosF(float a, float b, float c) => MathF.Acos(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Atan(double a, double b, double c) => Math.Atan(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float AtanF(float a, float b, float c) => MathF.Atan(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Atan2(double a, double b, double c) => Math.Atan2(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float Atan2F(float a, float b, float c) => MathF.Atan2(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double SinPi(double a, double b, double c) => double.SinPi(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float SinPiF(float a, float b, float c) => float.SinPi(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double CosPi(double a, double b, double c) => double.CosPi(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float CosPiF(float a, float b, float c) => float.CosPi(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double TanPi(double a, double b, double c) => double.TanPi(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float TanPiF(float a, float b, float c) => float.TanPi(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double AsinPi(double a, double b, double c) => double.AsinPi(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float AsinPiF(float a, float b, float c) => float.AsinPi(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double AcosPi(double a, double b, double c) => double.AcosPi(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float AcosPiF(float a, float b, float c) => float.AcosPi(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double AtanPi(double a, double b, double c) => double.AtanPi(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float AtanPiF(float a, float b, float c) => float.AtanPi(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Atan2Pi(double a, double b, double c) => double.Atan2Pi(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float Atan2PiF(float a, float b, float c) => float.Atan2Pi(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double DegreesToRadians(double a, double b, double c) => double.DegreesToRadians(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float DegreesToRadiansF(float a, float b, float c) => float.DegreesToRadians(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double RadiansToDegrees(double a, double b, double c) => double.RadiansToDegrees(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float RadiansToDegreesF(float a, float b, float c) => float.RadiansToDegrees(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Sinh(double a, double b, double c) => Math.Sinh(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float SinhF(float a, float b, float c) => MathF.Sinh(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Cosh(double a, double b, double c) => Math.Cosh(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float CoshF(float a, float b, float c) => MathF.Cosh(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Tanh(double a, double b, double c) => Math.Tanh(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float TanhF(float a, float b, float c) => MathF.Tanh(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Asinh(double a, double b, double c) => Math.Asinh(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float AsinhF(float a, float b, float c) => MathF.Asinh(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Acosh(double a, double b, double c) => Math.Acosh(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float AcoshF(float a, float b, float c) => MathF.Acosh(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Atanh(double a, double b, double c) => Math.Atanh(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float AtanhF(float a, float b, float c) => MathF.Atanh(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Exp(double a, double b, double c) => Math.Exp(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float ExpF(float a, float b, float c) => MathF.Exp(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Exp2(double a, double b, double c) => double.Exp2(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float Exp2F(float a, float b, float c) => float.Exp2(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Exp10(double a, double b, double c) => double.Exp10(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float Exp10F(float a, float b, float c) => float.Exp10(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double ExpM1(double a, double b, double c) => double.ExpM1(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float ExpM1F(float a, float b, float c) => float.ExpM1(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Exp2M1(double a, double b, double c) => double.Exp2M1(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float Exp2M1F(float a, float b, float c) => float.Exp2M1(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Exp10M1(double a, double b, double c) => double.Exp10M1(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float Exp10M1F(float a, float b, float c) => float.Exp10M1(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Log(double a, double b, double c) => Math.Log(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float LogF(float a, float b, float c) => MathF.Log(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double LogWithBase(double a, double b, double c) => Math.Log(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float LogWithBaseF(float a, float b, float c) => MathF.Log(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Log2(double a, double b, double c) => Math.Log2(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float Log2F(float a, float b, float c) => MathF.Log2(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Log10(double a, double b, double c) => Math.Log10(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float Log10F(float a, float b, float c) => MathF.Log10(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double LogP1(double a, double b, double c) => double.LogP1(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float LogP1F(float a, float b, float c) => float.LogP1(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Log2P1(double a, double b, double c) => double.Log2P1(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float Log2P1F(float a, float b, float c) => float.Log2P1(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Log10P1(double a, double b, double c) => double.Log10P1(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float Log10P1F(float a, float b, float c) => float.Log10P1(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Sqrt(double a, double b, double c) => Math.Sqrt(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float SqrtF(float a, float b, float c) => MathF.Sqrt(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Cbrt(double a, double b, double c) => Math.Cbrt(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float CbrtF(float a, float b, float c) => MathF.Cbrt(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double RootN(double a, double b, double c) => double.RootN(a, 3);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float RootNF(float a, float b, float c) => float.RootN(a, 3);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Pow(double a, double b, double c) => Math.Pow(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float PowF(float a, float b, float c) => MathF.Pow(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Hypot(double a, double b, double c) => double.Hypot(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float HypotF(float a, float b, float c) => float.Hypot(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double ScaleB(double a, double b, double c) => Math.ScaleB(a, 3);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float ScaleBF(float a, float b, float c) => MathF.ScaleB(a, 3);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double FusedMultiplyAdd(double a, double b, double c) => Math.FusedMultiplyAdd(a, b, c);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float FusedMultiplyAddF(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double MultiplyAddEstimate(double a, double b, double c) => double.MultiplyAddEstimate(a, b, c);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float MultiplyAddEstimateF(float a, float b, float c) => float.MultiplyAddEstimate(a, b, c);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Lerp(double a, double b, double c) => double.Lerp(a, b, c);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float LerpF(float a, float b, float c) => float.Lerp(a, b, c);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double IEEERemainder(double a, double b, double c) => Math.IEEERemainder(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float IEEERemainderF(float a, float b, float c) => MathF.IEEERemainder(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Ieee754Remainder(double a, double b, double c) => double.Ieee754Remainder(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float Ieee754RemainderF(float a, float b, float c) => float.Ieee754Remainder(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Abs(double a, double b, double c) => Math.Abs(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float AbsF(float a, float b, float c) => MathF.Abs(a);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double CopySign(double a, double b, double c) => Math.CopySign(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float CopySignF(float a, float b, float c) => MathF.CopySign(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Min(double a, double b, double c) => Math.Min(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float MinF(float a, float b, float c) => MathF.Min(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Max(double a, double b, double c) => Math.Max(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float MaxF(float a, float b, float c) => MathF.Max(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double MaxMagnitude(double a, double b, double c) => Math.MaxMagnitude(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float MaxMagnitudeF(float a, float b, float c) => MathF.MaxMagnitude(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double MinMagnitude(double a, double b, double c) => Math.MinMagnitude(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float MinMagnitudeF(float a, float b, float c) => MathF.MinMagnitude(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double MaxNumber(double a, double b, double c) => double.MaxNumber(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float MaxNumberF(float a, float b, float c) => float.MaxNumber(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double MinNumber(double a, double b, double c) => double.MinNumber(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float MinNumberF(float a, float b, float c) => float.MinNumber(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double MaxMagnitudeNumber(double a, double b, double c) => double.MaxMagnitudeNumber(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float MaxMagnitudeNumberF(float a, float b, float c) => float.MaxMagnitudeNumber(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double MinMagnitudeNumber(double a, double b, double c) => double.MinMagnitudeNumber(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float MinMagnitudeNumberF(float a, float b, float c) => float.MinMagnitudeNumber(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double MaxNative(double a, double b, double c) => double.MaxNative(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float MaxNativeF(float a, float b, float c) => float.MaxNative(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double MinNative(double a, double b, double c) => double.MinNative(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float MinNativeF(float a, float b, float c) => float.MinNative(a, b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Clamp(double a, double b, double c) => Math.Clamp(a, b, c);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float ClampF(float a, float b, float c) => float.Clamp(a, b, c);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double ClampNative(double a, double b, double c) => double.ClampNative(a, b, c);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float ClampNativeF(float a, float b, float c) => float.ClampNative(a, b, c);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Floor(double a, double b, double c) => Math.Floor(a) * b + c * a;

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float FloorF(float a, float b, float c) => MathF.Floor(a) * b + c * a;

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Ceiling(double a, double b, double c) => Math.Ceiling(a) * b + c * a;

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float CeilingF(float a, float b, float c) => MathF.Ceiling(a) * b + c * a;

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Truncate(double a, double b, double c) => Math.Truncate(a) * b + c * a;

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float TruncateF(float a, float b, float c) => MathF.Truncate(a) * b + c * a;

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Round(double a, double b, double c) => Math.Round(a) * b + c * a;

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float RoundF(float a, float b, float c) => MathF.Round(a) * b + c * a;

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double RoundToDigits(double a, double b, double c) => Math.Round(a, 1) * b + c * a;

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float RoundToDigitsF(float a, float b, float c) => MathF.Round(a, 1) * b + c * a;

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double RoundAwayFromZero(double a, double b, double c) => Math.Round(a, MidpointRounding.AwayFromZero) * b + c * a;

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float RoundAwayFromZeroF(float a, float b, float c) => MathF.Round(a, MidpointRounding.AwayFromZero) * b + c * a;

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double RoundToDigitsTowardZero(double a, double b, double c) => double.Round(a, 1, MidpointRounding.ToZero) * b + c * a;

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float RoundToDigitsTowardZeroF(float a, float b, float c) => float.Round(a, 1, MidpointRounding.ToZero) * b + c * a;

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double Sign(double a, double b, double c) => Math.Sign(a) * b + c * a;

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static float SignF(float a, float b, float c) => float.Sign(a) * b + c * a;

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double SinThroughDouble(double a, double b, double c) => double.Sin(a) * double.Exp(b);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double PowThroughDouble(double a, double b, double c) => double.Pow(a, b) + double.Cbrt(c);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static double LogThroughDouble(double a, double b, double c) => double.Log(a, b) + double.Log2(a) * double.Sinh(c);
}
