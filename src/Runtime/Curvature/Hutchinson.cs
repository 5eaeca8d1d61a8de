using System;
using System.Threading;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Curvature;

/// <summary>
/// The trace of a symmetric operator — the sum of a Hessian's eigenvalues — by Hutchinson's
/// estimator: tr A = E[zᵀ A z] for random z with E[z zᵀ] = I, here z with independent ±1 entries.
/// </summary>
public static class Hutchinson
{
    /// <summary>Estimates tr <paramref name="op"/> from <see cref="HutchinsonOptions.Probes"/> products.</summary>
    /// <param name="op">The symmetric operator.</param>
    /// <param name="options">How many probes and which seed; the defaults when null.</param>
    /// <param name="progress">Told after each probe.</param>
    /// <param name="cancellationToken">Checked before each probe.</param>
    /// <returns>The estimate, its standard error and the samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than two probes were asked for.</exception>
    /// <exception cref="InvalidOperationException">The product returned a vector of the wrong shape, or a non-finite one.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static TraceEstimate Trace(
        SymmetricOperator op,
        HutchinsonOptions? options = null,
        IProgress<TraceProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(op);
        options ??= new HutchinsonOptions();
        options.Validate();

        using var generator = new Generator(unchecked((ulong)options.Seed));
        var samples = new double[options.Probes];
        for (var i = 0; i < samples.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (NewDisposeScope())
            {
                var z = RademacherVectors.Draw(op, generator);
                samples[i] = z.dot(op.Apply(z)).ToDouble();
            }

            if (!double.IsFinite(samples[i]))
                throw SymmetricOperator.NonFinite($"zᵀAz = {samples[i]} for probe {i + 1}");
            if (progress is not null)
            {
                var sofar = new TraceEstimate(samples[..(i + 1)]);
                progress.Report(new TraceProgress(i + 1, samples.Length, sofar.Value, sofar.StandardError));
            }
        }

        return new TraceEstimate(samples);
    }
}
