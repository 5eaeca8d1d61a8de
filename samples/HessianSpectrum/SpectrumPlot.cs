using Leibniz.Curvature;
using ScottPlot;

namespace HessianSpectrum;

/// <summary>Draws the spectrum: the smoothed eigenvalue density on a log scale above the top eigenvalues as bars.</summary>
public static class SpectrumPlot
{
    // Densities below this are drawn at it: the log scale would otherwise fall to −∞ between outliers.
    const double DensityFloor = 1e-7;

    /// <summary>Writes a PNG of <paramref name="density"/> and <paramref name="top"/> to <paramref name="path"/>.</summary>
    public static void Save(string path, SpectralDensity density, LanczosResult top, SpectrumFindings findings)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        DrawDensity(multiplot.GetPlot(0), density, top, findings);
        DrawTop(multiplot.GetPlot(1), top, findings);
        multiplot.SavePng(path, 1000, 800);
    }

    static void DrawDensity(Plot plot, SpectralDensity density, LanczosResult top, SpectrumFindings findings)
    {
        var range = density.Maximum - density.Minimum;
        var bandwidth = range / 200;
        var lower = density.Minimum - 5 * bandwidth;
        var upper = density.Maximum + 5 * bandwidth;
        var xs = Enumerable.Range(0, 2001).Select(i => lower + (upper - lower) * i / 2000).ToArray();
        var ys = density.Evaluate(xs, bandwidth).Select(y => Math.Log10(Math.Max(y, DensityFloor))).ToArray();

        var line = plot.Add.ScatterLine(xs, ys);
        line.LineWidth = 2;
        line.Color = Colors.SteelBlue;
        line.LegendText = $"density (stochastic Lanczos quadrature, σ = {bandwidth:G2})";

        for (var i = 0; i < top.Eigenvalues.Count; i++)
        {
            var marker = plot.Add.VerticalLine(top.Eigenvalues[i]);
            marker.LinePattern = LinePattern.Dashed;
            marker.LineWidth = 1;
            marker.Color = i < findings.Outliers ? Colors.Crimson : Colors.Gray.WithAlpha(0.6);
            if (i == 0) marker.LegendText = $"{findings.Outliers} outliers (Lanczos)";
            if (i == findings.Outliers) marker.LegendText = "the next eigenvalues (Lanczos)";
        }

        plot.Title($"Hessian eigenvalue density: {findings.BulkMass:P0} of the mass within ±{findings.BulkHalfWidth:G2} of zero");
        plot.XLabel("eigenvalue");
        plot.YLabel("log₁₀ density");
        plot.Axes.SetLimitsY(Math.Log10(DensityFloor), ys.Max() + 0.5);
        plot.ShowLegend(Alignment.UpperRight);
    }

    static void DrawTop(Plot plot, LanczosResult top, SpectrumFindings findings)
    {
        var bars = Enumerable.Range(0, top.Eigenvalues.Count)
            .Select(i => new Bar
            {
                Position = i + 1,
                Value = top.Eigenvalues[i],
                FillColor = i < findings.Outliers ? Colors.Crimson : Colors.Gray,
            })
            .ToList();
        plot.Add.Bars(bars);
        plot.Title($"Top {top.Eigenvalues.Count} eigenvalues: {findings.Outliers} outliers for {findings.Classes} classes, then a {findings.Gap:F1}× drop");
        plot.XLabel("rank");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1);
        plot.YLabel("eigenvalue");
        plot.Axes.Margins(bottom: 0);
    }
}
