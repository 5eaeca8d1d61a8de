using Leibniz.Optimization;
using static TorchSharp.torch;

namespace Leibniz.Tests.Optimization;

/// <summary>
/// User code as an implicit layer writes it: steps of proximal and projected gradient that call <see cref="Prox"/> and
/// <see cref="Projection"/>. The generator differentiates them through the runtime's hand-written pullbacks and tangents.
/// </summary>
public static partial class ProximalStepFunctions
{
    /// <summary>A lasso step from w along −g, projected onto the simplex of sum η, scored against g.</summary>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static Tensor ProximalStep(Tensor w, Tensor g, Tensor lambda, Tensor eta)
    {
        var z = Prox.Lasso(w - eta * g, lambda * eta);
        var p = Projection.Simplex(z, eta);
        return (p * g).sum() + (p * p).sum();
    }

    /// <summary>A projection onto a hyperplane, then onto a ball, scored against the starting point.</summary>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static Tensor ProjectedStep(Tensor x, Tensor a, Tensor b, Tensor r)
    {
        var y = Projection.L2Ball(Projection.Hyperplane(x, a, b), r);
        return (y * x).sum();
    }
}
