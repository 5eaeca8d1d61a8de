using Leibniz;
using static TorchSharp.torch;

namespace QuadraticProgrammingLayer;

/// <summary>
/// Predict-then-optimise: a linear map predicts the cost vector c = W f from the features, and the quadratic program
/// turns it into an allocation. The loss is on the allocation, so W is trained for the decisions it leads to rather
/// than for the costs themselves, which it never sees.
/// </summary>
[Model]
public partial class AllocationModel
{
    [Parameter] Tensor w;
    [Buffer] Tensor q, stepSize;

    public AllocationModel(Tensor q, double stepSize, int features)
    {
        this.q = q.clone();
        this.stepSize = tensor(stepSize, dtype: q.dtype);
        // Small weights start every problem near the interior minimiser of ½xᵀQx, where the layer has a full support
        // and so a nonzero Jacobian; at a vertex of the simplex ∂x*/∂c vanishes and nothing would be learned.
        w = randn(q.shape[0], features, dtype: q.dtype) * 0.01;
    }

    [Differentiable]
    public Tensor Forward(Tensor features) => SimplexQuadraticProgram.Solve(features.matmul(w.T), q, stepSize);
}
