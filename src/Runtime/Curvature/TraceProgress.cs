namespace Leibniz.Curvature;

/// <summary>Where a <see cref="Hutchinson"/> trace estimate stands, reported after each probe.</summary>
/// <param name="Probe">Probes used so far.</param>
/// <param name="Probes">Probes the estimate will use.</param>
/// <param name="Estimate">The running mean of zᵀ A z.</param>
/// <param name="StandardError">Its standard error so far (NaN after the first probe).</param>
public readonly record struct TraceProgress(int Probe, int Probes, double Estimate, double StandardError);
