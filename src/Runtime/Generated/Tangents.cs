using System.ComponentModel;

namespace Leibniz.Generated;

/// <summary>Helpers for generated forward-mode code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Tangents
{
    /// <summary>
    /// A zero tangent for <paramref name="array"/>: what a generated tangent passes for an array argument
    /// that does not vary (data marked <c>[NoDerivative]</c>) to a callee that takes a tangent for it.
    /// </summary>
    public static double[] Zeros(double[] array) => new double[array.Length];

    /// <inheritdoc cref="Zeros(double[])"/>
    public static float[] Zeros(float[] array) => new float[array.Length];
}
