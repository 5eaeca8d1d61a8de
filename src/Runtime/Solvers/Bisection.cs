using System;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Solvers;

/// <summary>
/// Root finding by bisection of a bracket [lower, upper] across which f changes sign: slow (one bit per
/// iteration) but certain, needing only values. For a scalar equation, or for many independent monotone
/// scalar equations at once (a per-element threshold, a quantile, the dual variable of a projection onto
/// the simplex) with the elementwise overload.
/// </summary>
public static class Bisection
{
    const string Name = nameof(Bisection);

    /// <summary>Finds a root of the scalar function <paramref name="f"/> in [<paramref name="lower"/>, <paramref name="upper"/>].</summary>
    /// <remarks>
    /// <see cref="SolverResult.Residual"/> is the half-width of the final bracket, a bound on the distance from
    /// <see cref="SolverResult.Solution"/> (the bracket's midpoint, a 0-dimensional float64 tensor: read it with
    /// <c>ToDouble()</c>) to a root. The run also counts as converged when f is exactly zero at a midpoint, or when
    /// the bracket can no longer shrink in double precision.
    /// </remarks>
    /// <param name="f">The function; f(lower) and f(upper) must have opposite signs (or one be zero).</param>
    /// <param name="lower">The bracket's lower end, finite.</param>
    /// <param name="upper">The bracket's upper end, finite and above <paramref name="lower"/>.</param>
    /// <param name="options">Tolerance (on x), iteration limit, progress and cancellation; defaults when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="f"/> is null.</exception>
    /// <exception cref="ArgumentException">The bracket is empty or not finite, or f does not change sign across it.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="OperationCanceledException">The options' token was cancelled.</exception>
    public static SolverResult FindRoot(Func<double, double> f, double lower, double upper, SolverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        options ??= new SolverOptions();
        options.Validate();
        if (!double.IsFinite(lower) || !double.IsFinite(upper) || !(lower < upper))
            throw new ArgumentException(
                $"The bracket [{Format(lower)}, {Format(upper)}] must be finite with lower < upper.", nameof(lower));
        var fLower = f(lower);
        var fUpper = f(upper);
        if (double.IsNaN(fLower) || double.IsNaN(fUpper) || fLower * fUpper > 0 || Math.Sign(fLower) == Math.Sign(fUpper) && fLower != 0)
            throw new ArgumentException(
                $"f must change sign across the bracket, but f(lower) = f({Format(lower)}) = {Format(fLower)} and f(upper) = f({Format(upper)}) = {Format(fUpper)}; widen or move the bracket.",
                nameof(f));

        const string remedy = "raise MaxIterations (each iteration halves the bracket) or loosen the tolerance";
        SolverResult Done(double root, int iterations, double halfWidth, bool converged) =>
            new(Name, tensor(root, ScalarType.Float64), iterations, halfWidth, converged, options.Tolerance, remedy, "check that f is finite over the bracket");

        if (fLower == 0) return Done(lower, 0, 0, true);
        if (fUpper == 0) return Done(upper, 0, 0, true);
        var negativeAtLower = fLower < 0;
        for (var k = 0; ; k++)
        {
            options.CancellationToken.ThrowIfCancellationRequested();
            var mid = lower + (upper - lower) / 2;
            var halfWidth = (upper - lower) / 2;
            if (k > 0) options.Progress?.Report(new SolverProgress(k, halfWidth));
            // No double lies strictly between the ends: the bracket is as narrow as it can be.
            var exhausted = mid <= lower || mid >= upper;
            if (halfWidth <= options.Tolerance || exhausted) return Done(mid, k, halfWidth, true);
            if (k == options.MaxIterations) return Done(mid, k, halfWidth, false);
            var fMid = f(mid);
            if (double.IsNaN(fMid)) return Done(mid, k, double.NaN, false);
            if (fMid == 0) return Done(mid, k + 1, 0, true);
            if (fMid < 0 == negativeAtLower) lower = mid;
            else upper = mid;
        }
    }

    /// <summary>
    /// Finds, element by element, a root of the elementwise monotone function <paramref name="f"/> between
    /// <paramref name="lower"/> and <paramref name="upper"/>.
    /// </summary>
    /// <remarks>
    /// <paramref name="f"/> must act elementwise (element i of f(x) depends only on element i of x) and each
    /// element must change sign across its bracket; increasing and decreasing elements may be mixed.
    /// All elements are bisected together, so every iteration is one call of f.
    /// <see cref="SolverResult.Residual"/> is the largest half-width of the brackets; the solution holds their
    /// midpoints, in <paramref name="lower"/>'s dtype and device. Runs without autograd recording.
    /// </remarks>
    /// <param name="f">The elementwise function, returning a tensor shaped like its argument.</param>
    /// <param name="lower">The brackets' lower ends.</param>
    /// <param name="upper">The brackets' upper ends, shaped like <paramref name="lower"/>.</param>
    /// <param name="options">Tolerance (on x), iteration limit, progress and cancellation; defaults when null.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The bounds differ in shape, or some element does not change sign across its bracket.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="OperationCanceledException">The options' token was cancelled.</exception>
    public static SolverResult FindRoot(Func<Tensor, Tensor> f, Tensor lower, Tensor upper, SolverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(lower);
        ArgumentNullException.ThrowIfNull(upper);
        if (!SolverRun.SameShape(lower.shape, upper.shape))
            throw new ArgumentException(
                $"lower has shape [{string.Join(", ", lower.shape)}] but upper has shape [{string.Join(", ", upper.shape)}]; give both the same shape.", nameof(upper));
        using var run = new SolverRun(Name, lower, options,
            "raise MaxIterations (each iteration halves the brackets) or loosen the tolerance",
            "check that f is finite over the brackets");

        Tensor hi;
        Tensor negativeAtLower;
        using (var setup = NewDisposeScope())
        {
            var lo = run.Current;
            var up = upper.detach().to(run.DType, run.Device);
            var fLo = f(lo);
            run.CheckShape(fLo, "f");
            var fUp = f(up);
            run.CheckShape(fUp, "f");
            // Signs, not the product, which underflows to zero for tiny values of the same sign.
            var bad = (fLo.sign() * fUp.sign()).gt(0).logical_or(fLo.isnan()).logical_or(fUp.isnan());
            var count = bad.sum().ToInt64();
            if (count > 0)
            {
                var first = bad.reshape(-1).nonzero()[0, 0].ToInt64();
                throw new ArgumentException(
                    $"f must change sign across every element's bracket, but it does not for {count} element(s); at flat index {first}, " +
                    $"f(lower) = {Format(fLo.reshape(-1)[first].ToDouble())} and f(upper) = {Format(fUp.reshape(-1)[first].ToDouble())}; widen or move those brackets.",
                    nameof(f));
            }
            // An element already zero at one end has its root there: collapse its bracket onto that end.
            var zeroLo = fLo.eq(0);
            var zeroUp = fUp.eq(0);
            hi = run.Keep(setup, where(zeroLo, lo, up));
            run.Advance(run.Keep(setup, where(zeroUp, up, lo)));
            negativeAtLower = run.Keep(setup, fLo.lt(0).logical_or(zeroLo.logical_and(fUp.gt(0))));
        }

        try
        {
            for (var k = 0; ; k++)
            {
                run.ThrowIfCancelled();
                using var iteration = NewDisposeScope();
                var lo = run.Current;
                var halfWidth = (hi - lo) / 2;
                var mid = lo + halfWidth;
                var residual = halfWidth.abs().max().ToDouble();
                if (k > 0) run.Report(k, residual);
                if (!double.IsFinite(residual)) return run.Diverged(k);
                // Brackets whose ends are adjacent doubles cannot shrink: their midpoint equals an end.
                var exhausted = mid.eq(lo).logical_or(mid.eq(hi)).logical_or(hi.eq(lo)).all().ToBoolean();
                if (residual <= run.Tolerance || exhausted)
                {
                    run.Advance(run.Keep(iteration, mid));
                    return run.Finish(k, residual, converged: true);
                }
                if (k == run.MaxIterations)
                {
                    run.Advance(run.Keep(iteration, mid));
                    return run.Finish(k, residual, converged: false);
                }

                var fMid = f(mid);
                run.CheckShape(fMid, "f");
                // Keep the half whose ends still bracket a sign change; a zero at the midpoint closes the bracket on it.
                var moveLower = fMid.lt(0).eq(negativeAtLower).logical_and(fMid.ne(0));
                var moveUpper = moveLower.logical_not();
                var newLo = where(moveLower, mid, where(fMid.eq(0), mid, lo));
                var newHi = where(moveUpper, mid, hi);
                hi.Dispose();
                hi = run.Keep(iteration, newHi);
                run.Advance(run.Keep(iteration, newLo));
            }
        }
        finally
        {
            hi.Dispose();
            negativeAtLower.Dispose();
        }
    }

    static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
