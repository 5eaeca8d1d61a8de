using static TorchSharp.torch;

namespace Leibniz.Benchmarks.Implicit;

/// <summary>
/// The iterations both sides run: under no_grad as an implicit layer's solver, under autograd when unrolled. Each step
/// disposes the previous iterate's handle; when autograd records, the tape keeps its own reference to what it saved.
/// </summary>
static class Loops
{
    public static Tensor Ridge(Tensor X, Tensor y, Tensor lambda, double eta, int steps)
    {
        var w = zeros(X.shape[1], dtype: X.dtype);
        for (var k = 0; k < steps; k++)
        {
            Tensor next;
            using (var scope = NewDisposeScope())
                next = (w - eta * (X.T.matmul(X.matmul(w) - y) + lambda * w)).MoveToOuterDisposeScope();
            w.Dispose();
            w = next;
        }

        return w;
    }

    /// <summary>FISTA written out, for the unrolled lasso: the iteration <see cref="Solvers.ProximalGradient"/> runs.</summary>
    public static Tensor Fista(Tensor X, Tensor y, Tensor lambda, double eta, int steps)
    {
        var x = zeros(X.shape[1], dtype: X.dtype);
        var v = x.clone();
        var t = 1.0;
        for (var k = 0; k < steps; k++)
        {
            Tensor next, extrapolated;
            var tNext = (1 + Math.Sqrt(1 + 4 * t * t)) / 2;
            using (var scope = NewDisposeScope())
            {
                next = Optimization.Prox.Lasso(v - eta * X.T.matmul(X.matmul(v) - y), lambda * eta).MoveToOuterDisposeScope();
                extrapolated = (next + (t - 1) / tNext * (next - x)).MoveToOuterDisposeScope();
            }

            x.Dispose();
            v.Dispose();
            (x, v, t) = (next, extrapolated, tNext);
        }

        v.Dispose();
        return x;
    }

    public static Tensor Equilibrium(Tensor W, Tensor U, Tensor x, Tensor b, int steps)
    {
        using var injection = U.matmul(x) + b;
        var z = zeros(W.shape[0], x.shape[1], dtype: W.dtype);
        for (var k = 0; k < steps; k++)
        {
            Tensor next;
            using (var scope = NewDisposeScope())
                next = (W.matmul(z) + injection).tanh().MoveToOuterDisposeScope();
            z.Dispose();
            z = next;
        }

        return z;
    }
}
