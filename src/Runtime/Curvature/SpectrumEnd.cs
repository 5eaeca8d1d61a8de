namespace Leibniz.Curvature;

/// <summary>Which eigenvalues of a symmetric operator <see cref="Lanczos"/> looks for.</summary>
public enum SpectrumEnd
{
    /// <summary>The largest (most positive) eigenvalues, largest first — a Hessian's sharpest directions.</summary>
    Largest,

    /// <summary>The smallest (most negative) eigenvalues, smallest first — a Hessian's directions of negative curvature.</summary>
    Smallest,

    /// <summary>The eigenvalues of largest absolute value, largest first; their signs are kept.</summary>
    LargestMagnitude,
}
