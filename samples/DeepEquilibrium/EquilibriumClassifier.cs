using Leibniz;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace DeepEquilibrium;

/// <summary>
/// A deep-equilibrium classifier: the hidden state is the fixed point z* = tanh(W z* + U x + b), read out by a
/// linear head. Forward's generated backward differentiates the equilibrium implicitly, so training stores no
/// solver iterations.
/// </summary>
[Model]
public partial class EquilibriumClassifier
{
    [Parameter] Tensor w, u, b, head, headBias;

    public EquilibriumClassifier(int inputs, int hidden, int classes)
    {
        // Small recurrent weights start the map well inside the contractive region; Contract keeps it there.
        w = randn(hidden, hidden, dtype: ScalarType.Float64) * (0.3 / Math.Sqrt(hidden));
        u = randn(hidden, inputs, dtype: ScalarType.Float64) * 1.5;
        b = randn(hidden, dtype: ScalarType.Float64);
        head = randn(classes, hidden, dtype: ScalarType.Float64) / Math.Sqrt(hidden);
        headBias = zeros(classes, dtype: ScalarType.Float64);
    }

    [Differentiable]
    public Tensor Forward(Tensor x) => linear(TanhEquilibrium.Solve(w, u, b, x), head, headBias);

    /// <summary>
    /// The same network cut off after <paramref name="iterations"/> explicit applications of the map from z = 0,
    /// differentiated by TorchSharp's autograd through every iteration: the memory an unrolled backward needs.
    /// </summary>
    public Tensor Unrolled(Tensor x, int iterations)
    {
        var z = zeros(x.shape[0], w.shape[0], dtype: x.dtype);
        for (var k = 0; k < iterations; k++)
        {
            // Only what autograd saved should stay alive, as in an unrolled network that frees its temporaries.
            using var step = NewDisposeScope();
            var next = step.MoveToOuter(TanhEquilibrium.Map(z, w, u, b, x));
            z.Dispose();
            z = next;
        }

        return linear(z, head, headBias);
    }

    /// <summary>
    /// Rescales W so its spectral norm is at most <paramref name="bound"/>: tanh is 1-Lipschitz, so the map is then a
    /// contraction and the equilibrium exists, is unique and is found by the solver.
    /// </summary>
    public void Contract(double bound)
    {
        using var noGrad = no_grad();
        var norm = linalg.matrix_norm(w, 2).item<double>();
        if (norm > bound)
            w.mul_(bound / norm);
    }
}
