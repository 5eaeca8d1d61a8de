using System;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Solvers;

/// <summary>
/// The bookkeeping every tensor solver shares: argument checks, the iterate's ownership across per-iteration
/// dispose scopes, progress, cancellation, and the result.
/// </summary>
/// <remarks>
/// The run holds a dispose scope for its whole length and each iteration opens its own inside it, so that
/// everything a callback allocates is freed when the iteration ends; only the tensors the solver keeps
/// (the iterate, histories) are moved out to the run's scope, and they are disposed when replaced. Long runs
/// therefore hold a constant amount of native memory.
/// </remarks>
internal sealed class SolverRun : IDisposable
{
    readonly IDisposable _noGrad;
    readonly DisposeScope _scope;
    readonly SolverOptions _options;
    readonly string _solver;
    readonly string _remedy;
    readonly string _divergenceRemedy;

    public SolverRun(string solver, Tensor initial, SolverOptions? options, string remedy, string divergenceRemedy)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _options = options ?? new SolverOptions();
        _options.Validate();
        _solver = solver;
        _remedy = remedy;
        _divergenceRemedy = divergenceRemedy;
        // The solver's iterates are never differentiated through: the implicit function theorem gives the
        // solution's derivative afterwards, so recording a graph would only cost memory.
        _noGrad = no_grad();
        _scope = NewDisposeScope();
        DType = initial.dtype;
        Device = initial.device;
        Shape = initial.shape;
        Current = initial.detach().clone();
    }

    public ScalarType DType { get; }

    public Device Device { get; }

    public long[] Shape { get; }

    public double Tolerance => _options.Tolerance;

    public int MaxIterations => _options.MaxIterations;

    /// <summary>The iterate, owned by the run.</summary>
    public Tensor Current { get; private set; }

    /// <summary>Throws when cancelled; call before each iteration.</summary>
    public void ThrowIfCancelled() => _options.CancellationToken.ThrowIfCancellationRequested();

    /// <summary>Reports an iteration when a progress sink is set.</summary>
    public void Report(int iteration, double residual)
    {
        // The record is only allocated when someone listens.
        if (_options.Progress is { } progress) progress.Report(new SolverProgress(iteration, residual));
    }

    /// <summary>
    /// Makes <paramref name="tensor"/>, computed inside <paramref name="iteration"/>, a tensor the run owns:
    /// in the initial point's dtype and device, out of the iteration's scope. A callback's tensor that the
    /// iteration's scope does not hold (one the caller owns) is copied, so the run never frees it.
    /// </summary>
    public Tensor Keep(DisposeScope iteration, Tensor tensor)
    {
        if (tensor.dtype != DType || tensor.device != Device) tensor = tensor.to(DType, Device);
        if (!iteration.Contains(tensor)) tensor = tensor.clone();
        return tensor.MoveToOuterDisposeScope();
    }

    /// <summary>Replaces the iterate with <paramref name="next"/> (already kept), freeing the old one.</summary>
    public void Advance(Tensor next)
    {
        if (!ReferenceEquals(next, Current)) Current.Dispose();
        Current = next;
    }

    /// <summary>Replaces the iterate with <paramref name="next"/> (already kept) and hands the old one, still owned by the run's scope, to the caller.</summary>
    public Tensor Exchange(Tensor next)
    {
        var old = Current;
        Current = next;
        return old;
    }

    /// <summary>Checks that a callback returned a tensor shaped like the iterate.</summary>
    public void CheckShape(Tensor tensor, string callback)
    {
        if (tensor is null)
            throw new InvalidOperationException($"{_solver}: {callback} returned null; it must return a tensor shaped like the initial point.");
        if (!SameShape(tensor.shape, Shape))
            throw new InvalidOperationException(
                $"{_solver}: {callback} returned a tensor of shape [{string.Join(", ", tensor.shape)}], but the initial point has shape [{string.Join(", ", Shape)}]; return one of the initial point's shape.");
    }

    public SolverResult Finish(int iterations, double residual, bool converged)
    {
        // Out of the run's scope into the caller's (or none), as any TorchSharp operation's result would be.
        var solution = Current.MoveToOuterDisposeScope();
        return new SolverResult(_solver, solution, iterations, residual, converged, Tolerance, _remedy, _divergenceRemedy);
    }

    public SolverResult Diverged(int iterations) => Finish(iterations, double.NaN, converged: false);

    public void Dispose()
    {
        _scope.Dispose();
        _noGrad.Dispose();
    }

    internal static bool SameShape(long[] a, long[] b)
    {
        if (a.Length != b.Length) return false;
        for (var i = 0; i < a.Length; i++)
            if (a[i] != b[i]) return false;
        return true;
    }

    /// <summary>The Euclidean norm of all elements, whatever the shape.</summary>
    public static double Norm(Tensor tensor) => linalg.vector_norm(tensor).ToDouble();

    /// <summary>The inner product of two tensors flattened.</summary>
    public static double Dot(Tensor a, Tensor b)
    {
        using var product = a.reshape(-1).dot(b.reshape(-1));
        return product.ToDouble();
    }

    public static bool IsFinite(Tensor tensor) => isfinite(tensor).all().ToBoolean();

    public static void CheckStepSize(double stepSize, string name = "stepSize")
    {
        if (!(stepSize > 0) || double.IsInfinity(stepSize))
            throw new ArgumentOutOfRangeException(
                name, stepSize,
                $"The step size must be positive and finite, not {stepSize.ToString("G3", CultureInfo.InvariantCulture)}; use 1/L for an L-smooth objective (L the largest Hessian eigenvalue).");
    }

    public static void CheckMemory(int memory)
    {
        if (memory < 1)
            throw new ArgumentOutOfRangeException(
                nameof(memory), memory,
                $"The memory must be at least 1, not {memory}; 5 to 20 past steps are typical.");
    }
}
