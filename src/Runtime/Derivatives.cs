namespace Leibniz;

/// <summary>Functions with a meaning only for the derivative generator.</summary>
public static class Derivatives
{
    /// <summary>
    /// Returns <paramref name="value"/> unchanged; inside a <c>[Differentiable]</c> method the
    /// derivative treats it as a constant (a "stop gradient"), so a call without a known derivative
    /// can be wrapped in it deliberately.
    /// </summary>
    public static T NoDerivative<T>(T value) => value;
}
