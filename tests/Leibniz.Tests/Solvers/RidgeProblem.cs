using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Solvers;

/// <summary>
/// f(w) = ½‖Xw − y‖² + ½λ‖w‖² on seeded data, with its closed-form minimiser w* = (XᵀX + λI)⁻¹Xᵀy and the
/// step 1/L, L the largest eigenvalue of the Hessian XᵀX + λI.
/// </summary>
sealed class RidgeProblem : IDisposable
{
    public RidgeProblem(int samples, int features, double lambda, int seed, ScalarType dtype = ScalarType.Float64)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, samples * features).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var y = Enumerable.Range(0, samples).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        X = tensor(x, new long[] { samples, features }, ScalarType.Float64);
        Y = tensor(y, new long[] { samples }, ScalarType.Float64);
        Lambda = lambda;
        Hessian = X.t().mm(X) + lambda * eye(features, dtype: ScalarType.Float64);
        Solution = linalg.solve(Hessian, X.t().mv(Y));
        StepSize = 1.0 / linalg.eigvalsh(Hessian).max().ToDouble();
        DType = dtype;
        Xd = X.to(dtype);
        Yd = Y.to(dtype);
    }

    public Tensor X { get; }
    public Tensor Y { get; }
    public double Lambda { get; }
    public Tensor Hessian { get; }
    public Tensor Solution { get; }
    public double StepSize { get; }
    public ScalarType DType { get; }
    Tensor Xd { get; }
    Tensor Yd { get; }

    public Tensor Initial() => zeros(X.shape[1], dtype: DType);

    public Tensor Gradient(Tensor w) => Xd.t().mv(Xd.mv(w) - Yd) + Lambda * w;

    public (double Value, Tensor Gradient) ValueAndGradient(Tensor w)
    {
        var r = Xd.mv(w) - Yd;
        var value = 0.5 * r.dot(r).ToDouble() + 0.5 * Lambda * w.dot(w).ToDouble();
        return (value, Gradient(w));
    }

    public double Error(Tensor w) => (w.to(ScalarType.Float64) - Solution).abs().max().ToDouble();

    public void Dispose()
    {
        foreach (var t in new[] { X, Y, Hessian, Solution, Xd, Yd }) t.Dispose();
    }
}
