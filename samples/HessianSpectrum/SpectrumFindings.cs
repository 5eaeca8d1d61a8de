using Leibniz.Curvature;

namespace HessianSpectrum;

/// <summary>
/// What the sample checks in the spectrum: a few outlying eigenvalues, about as many as there are
/// classes, above a bulk concentrated near zero (Sagun, Evci, Güney, Dauphin and Bottou,
/// "Empirical Analysis of the Hessian of Over-Parametrized Neural Networks", 2017).
/// </summary>
public sealed record SpectrumFindings(
    int Classes,
    int Outliers,
    double Gap,
    double BulkMass,
    double BulkHalfWidth,
    double OutlierShareOfTrace,
    double TraceDisagreement)
{
    /// <summary>The outliers end where consecutive top eigenvalues drop by at least this factor.</summary>
    public const double GapFactor = 1.5;

    /// <summary>The bulk is the eigenvalues within this fraction of the largest one from zero.</summary>
    public const double BulkFraction = 0.05;

    /// <summary>At least this share of the eigenvalues must lie in the bulk.</summary>
    public const double BulkMassBar = 0.9;

    /// <summary>Reads the findings off the top eigenvalues, the density and the two trace estimates.</summary>
    public static SpectrumFindings From(int classes, LanczosResult top, SpectralDensity density, TraceEstimate trace)
    {
        // The outliers are the eigenvalues before the largest relative drop among the positive top ones.
        var values = top.Eigenvalues;
        var outliers = 0;
        var gap = 1.0;
        for (var i = 0; i + 1 < values.Count && values[i + 1] > 0; i++)
        {
            var ratio = values[i] / values[i + 1];
            if (ratio > gap) (gap, outliers) = (ratio, i + 1);
        }

        var halfWidth = BulkFraction * values[0];
        var quadrature = density.Trace;
        return new SpectrumFindings(
            classes,
            outliers,
            gap,
            density.Mass(-halfWidth, halfWidth),
            halfWidth,
            values.Take(outliers).Sum() / trace.Value,
            // In standard errors of the difference of two independent estimates.
            Math.Abs(trace.Value - quadrature.Value) / Math.Sqrt(trace.StandardError * trace.StandardError + quadrature.StandardError * quadrature.StandardError));
    }

    /// <summary>What fails the check, one line each; empty when the spectrum shows the expected structure.</summary>
    public IReadOnlyList<string> Failures()
    {
        var failures = new List<string>();
        // The softmax cross-entropy is flat along adding one constant to every logit, which leaves C − 1
        // directions for the class structure; Sagun et al. count "about the number of classes".
        if (Outliers < Classes - 1 || Outliers > Classes)
            failures.Add($"{Outliers} outliers for {Classes} classes (expected {Classes - 1} or {Classes})");
        if (Gap < GapFactor)
            failures.Add($"the outliers stand only {Gap:F2}× above the next eigenvalue (expected at least {GapFactor}×)");
        if (BulkMass < BulkMassBar)
            failures.Add($"only {BulkMass:P1} of the eigenvalues lie within ±{BulkHalfWidth:G3} of zero (expected at least {BulkMassBar:P0})");
        if (TraceDisagreement > 4)
            failures.Add($"Hutchinson and quadrature disagree on the trace by {TraceDisagreement:F1} standard errors");
        return failures;
    }
}
