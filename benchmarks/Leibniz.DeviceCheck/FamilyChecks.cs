using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.DeviceCheck;

/// <summary>
/// Each family's generated gradient, tangent and Hessian–vector product on a device: against TorchSharp autograd on the
/// same device (the gradient by backward, the tangent as ⟨∇f, v⟩, H·v by a second backward), and against the same
/// generated code on the CPU.
/// </summary>
public static class FamilyChecks
{
    /// <summary>A family's function, its generated derivatives, and the shapes of its input and weight.</summary>
    sealed record Family(
        string Name,
        long[] Input,
        long[] Weight,
        Func<Tensor, Tensor, Tensor> Function,
        Func<Tensor, Tensor, (Tensor Value, Tensor? Dx, Tensor? Dw)> Gradient,
        Func<Tensor, Tensor, Tensor, Tensor, Tensor> Tangent,
        Func<Tensor, Tensor, Tensor, Tensor, (Tensor? Hx, Tensor? Hw)> HessianVectorProduct);

    static IEnumerable<Family> Families(Device device)
    {
        yield return new Family("elementwise", new long[] { 4, 5 }, new long[] { 4, 5 }, CheckFunctions.Elementwise,
            (x, w) => (CheckFunctions.ElementwiseWithGradient(x, w, out var dx, out var dw), dx, dw),
            CheckFunctions.ElementwiseJacobianVectorProduct,
            (x, w, vx, vw) => { CheckFunctions.ElementwiseHessianVectorProduct(x, w, vx, vw, out _, out _, out var hx, out var hw); return (hx, hw); });
        yield return new Family("reductions", new long[] { 4, 6 }, new long[] { 6 }, CheckFunctions.Reductions,
            (x, w) => (CheckFunctions.ReductionsWithGradient(x, w, out var dx, out var dw), dx, dw),
            CheckFunctions.ReductionsJacobianVectorProduct,
            (x, w, vx, vw) => { CheckFunctions.ReductionsHessianVectorProduct(x, w, vx, vw, out _, out _, out var hx, out var hw); return (hx, hw); });
        yield return new Family("linear algebra", new long[] { 5, 4 }, new long[] { 3, 4 }, CheckFunctions.LinearAlgebra,
            (x, w) => (CheckFunctions.LinearAlgebraWithGradient(x, w, out var dx, out var dw), dx, dw),
            CheckFunctions.LinearAlgebraJacobianVectorProduct,
            (x, w, vx, vw) => { CheckFunctions.LinearAlgebraHessianVectorProduct(x, w, vx, vw, out _, out _, out var hx, out var hw); return (hx, hw); });
        yield return new Family("shapes and masks", new long[] { 6, 4 }, new long[] { 4 }, CheckFunctions.ShapesAndMasks,
            (x, w) => (CheckFunctions.ShapesAndMasksWithGradient(x, w, out var dx, out var dw), dx, dw),
            CheckFunctions.ShapesAndMasksJacobianVectorProduct,
            (x, w, vx, vw) => { CheckFunctions.ShapesAndMasksHessianVectorProduct(x, w, vx, vw, out _, out _, out var hx, out var hw); return (hx, hw); });
        yield return new Family("activations", new long[] { 3, 5 }, new long[] { 5 }, CheckFunctions.Activations,
            (x, w) => (CheckFunctions.ActivationsWithGradient(x, w, out var dx, out var dw), dx, dw),
            CheckFunctions.ActivationsJacobianVectorProduct,
            (x, w, vx, vw) => { CheckFunctions.ActivationsHessianVectorProduct(x, w, vx, vw, out _, out _, out var hx, out var hw); return (hx, hw); });
        yield return new Family("convolutions", new long[] { 2, 3, 6, 6 }, new long[] { 4, 3, 3, 3 }, CheckFunctions.Convolutions,
            (x, w) => (CheckFunctions.ConvolutionsWithGradient(x, w, out var dx, out var dw), dx, dw),
            CheckFunctions.ConvolutionsJacobianVectorProduct,
            (x, w, vx, vw) => { CheckFunctions.ConvolutionsHessianVectorProduct(x, w, vx, vw, out _, out _, out var hx, out var hw); return (hx, hw); });

        // Labels are data on the device like the rest; the same draw on every device.
        var labels = tensor(new long[] { 0, 2, 1, 2, 0 }).to(device);
        yield return new Family("losses", new long[] { 5, 4 }, new long[] { 3, 4 }, (x, w) => CheckFunctions.Losses(x, w, labels),
            (x, w) => (CheckFunctions.LossesWithGradient(x, w, labels, out var dx, out var dw), dx, dw),
            (x, w, vx, vw) => CheckFunctions.LossesJacobianVectorProduct(x, w, labels, vx, vw),
            (x, w, vx, vw) => { CheckFunctions.LossesHessianVectorProduct(x, w, labels, vx, vw, out _, out _, out var hx, out var hw); return (hx, hw); });
    }

    /// <summary>Runs every family on <paramref name="device"/> in float64, each on the same draws as on the CPU.</summary>
    public static IEnumerable<Comparison> Run(Device device, double tolerance)
    {
        var cpuFamilies = Families(CPU).ToList();
        var deviceFamilies = Families(device).ToList();
        for (var i = 0; i < deviceFamilies.Count; i++)
        {
            var family = deviceFamilies[i];
            using var scope = NewDisposeScope();
            manual_seed(1000 + i);
            var (x, w) = (randn(family.Input, dtype: ScalarType.Float64), randn(family.Weight, dtype: ScalarType.Float64));
            var (vx, vw) = (randn(family.Input, dtype: ScalarType.Float64), randn(family.Weight, dtype: ScalarType.Float64));

            foreach (var comparison in Check(family, x.to(device), w.to(device), vx.to(device), vw.to(device), cpuFamilies[i], x, w, vx, vw, tolerance))
                yield return comparison;
        }
    }

    static IEnumerable<Comparison> Check(Family family, Tensor x, Tensor w, Tensor vx, Tensor vw, Family onCpu, Tensor cx, Tensor cw, Tensor cvx, Tensor cvw, double tolerance)
    {
        // Autograd on the device: the gradient, ⟨∇f, v⟩, and H·v as the gradient of ⟨∇f, v⟩.
        var (ax, aw) = (x.detach().clone().requires_grad_(), w.detach().clone().requires_grad_());
        // TorchSharp does not imply retain_graph from create_graph; without it the second pass ends the process.
        var gradients = autograd.grad(new[] { family.Function(ax, aw) }, new[] { ax, aw }, retain_graph: true, create_graph: true);
        var directional = (gradients[0] * vx).sum() + (gradients[1] * vw).sum();
        var second = autograd.grad(new[] { directional }, new[] { ax, aw }, allow_unused: true);
        Tensor? Defined(Tensor t) => t.IsInvalid ? zeros_like(ax) : t;

        Tensor value, tangent;
        Tensor? dx, dw, hx, hw;
        using (no_grad())
        {
            (value, dx, dw) = family.Gradient(x, w);
            tangent = family.Tangent(x, w, vx, vw);
            (hx, hw) = family.HessianVectorProduct(x, w, vx, vw);
        }

        var name = family.Name;
        yield return Comparison.Of(name, "value against the tape", family.Function(x, w), value, tolerance);
        yield return Comparison.Of(name, "gradient against autograd", gradients[0], dx, tolerance);
        yield return Comparison.Of(name, "weight gradient against autograd", gradients[1], dw, tolerance);
        yield return Comparison.Of(name, "tangent against ⟨∇f, v⟩", directional, tangent, tolerance);
        yield return Comparison.Of(name, "H·v against autograd", Defined(second[0]), hx, tolerance);
        yield return Comparison.Of(name, "weight H·v against autograd", second[1].IsInvalid ? zeros_like(aw) : second[1], hw, tolerance);

        if (x.device_type == DeviceType.CPU) yield break;
        Tensor? cdx, chx;
        using (no_grad())
        {
            (_, cdx, _) = onCpu.Gradient(cx, cw);
            (chx, _) = onCpu.HessianVectorProduct(cx, cw, cvx, cvw);
        }

        yield return Comparison.Of(name, "gradient against the CPU's", cdx, dx, tolerance);
        yield return Comparison.Of(name, "H·v against the CPU's", chx, hx, tolerance);
    }
}
