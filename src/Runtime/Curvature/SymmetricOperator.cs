using System;
using System.Collections.Generic;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Curvature;

/// <summary>
/// A symmetric linear map on flat vectors of length <see cref="Dimension"/>, given only by its
/// product with a vector — a Hessian–vector product, a Gauss–Newton product, or an explicit matrix.
/// The curvature tools (<see cref="Lanczos"/>, <see cref="Hutchinson"/>,
/// <see cref="StochasticLanczosQuadrature"/>) see a Hessian only through this type.
/// </summary>
/// <remarks>
/// Vectors are 1-D tensors of <see cref="DType"/> (float32 or float64) on <see cref="Device"/>; the
/// tools allocate theirs there, so the same code runs on the CPU or a GPU. The product must not
/// modify its argument. The tools rely on symmetry (⟨Av, w⟩ = ⟨v, Aw⟩) and cannot detect every
/// violation of it; <see cref="Lanczos"/> measures the residuals of the eigenpairs it returns when
/// asked for eigenvectors, which exposes a product that is not symmetric.
/// </remarks>
public sealed class SymmetricOperator
{
    readonly Func<Tensor, Tensor> _product;

    /// <summary>Wraps a matrix-free product <c>v ↦ A v</c>.</summary>
    /// <param name="dimension">The length of the vectors the operator acts on.</param>
    /// <param name="product">
    /// Returns <c>A v</c> for a 1-D tensor <c>v</c> of length <paramref name="dimension"/>: a new 1-D tensor of the
    /// same length, dtype and device. It must not modify <c>v</c>. Temporaries it creates are disposed by the caller's
    /// dispose scope.
    /// </param>
    /// <param name="dtype">The element type of the vectors: <see cref="ScalarType.Float32"/> or <see cref="ScalarType.Float64"/>.</param>
    /// <param name="device">Where the vectors live; the CPU when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is not positive, or <paramref name="dtype"/> is not a supported floating type.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="product"/> is null.</exception>
    public SymmetricOperator(long dimension, Func<Tensor, Tensor> product, ScalarType dtype = ScalarType.Float64, Device? device = null)
    {
        if (dimension <= 0)
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"The operator's dimension must be positive, not {dimension}; pass the length of the flat vector it acts on.");
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, $"The curvature tools work on float32 or float64 vectors, not {dtype}; convert the model or matrix with .to(ScalarType.Float64).");

        _product = product ?? throw new ArgumentNullException(nameof(product));
        Dimension = dimension;
        DType = dtype;
        Device = device ?? CPU;
    }

    /// <summary>The length of the vectors the operator acts on (the number of parameters, for a Hessian).</summary>
    public long Dimension { get; }

    /// <summary>The element type of the vectors.</summary>
    public ScalarType DType { get; }

    /// <summary>Where the vectors live.</summary>
    public Device Device { get; }

    /// <summary>The machine epsilon of <see cref="DType"/>: the unit of rounding error every result inherits.</summary>
    internal double Epsilon => DType == ScalarType.Float32 ? 1.1920928955078125e-7 : 2.220446049250313e-16;

    /// <summary>
    /// An explicit symmetric matrix as an operator. Useful for tests and small problems; a Hessian
    /// of a model is better given as a product (see <see cref="OverParameters"/>).
    /// </summary>
    /// <param name="matrix">A square float32 or float64 matrix; it is used as is (not copied).</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="matrix"/> is not square, or its largest |A[i,j] − A[j,i]| exceeds 64 √n ε max|A[i,j]|
    /// (ε the dtype's rounding unit): more than the rounding of an n-term sum, so not a symmetric matrix.
    /// </exception>
    public static SymmetricOperator FromMatrix(Tensor matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ObjectDisposedException.ThrowIf(matrix.IsInvalid, matrix);
        if (matrix.dim() != 2 || matrix.shape[0] != matrix.shape[1])
            throw new ArgumentException($"The matrix must be square, not of shape {Format(matrix.shape)}.", nameof(matrix));

        using (NewDisposeScope())
        using (no_grad())
        {
            var scale = matrix.abs().max().ToDouble();
            var asymmetry = (matrix - matrix.t()).abs().max().ToDouble();
            var epsilon = matrix.dtype == ScalarType.Float32 ? 1.1920928955078125e-7 : 2.220446049250313e-16;
            // A matrix formed by differentiating twice is symmetric only to the rounding of its n-term sums.
            if (!(asymmetry <= 64 * Math.Sqrt(matrix.shape[0]) * epsilon * scale))
                throw new ArgumentException(
                    $"The matrix is not symmetric: the largest |A[i,j] − A[j,i]| is {asymmetry.ToString("G3", CultureInfo.InvariantCulture)} " +
                    $"(largest |A[i,j]| {scale.ToString("G3", CultureInfo.InvariantCulture)}); symmetrise it with (A + A.t()) / 2.",
                    nameof(matrix));
        }

        return new SymmetricOperator(matrix.shape[0], v => matrix.mv(v), matrix.dtype, matrix.device);
    }

    /// <summary>
    /// An operator on the flat vector of <paramref name="layout"/>'s parameters, from a product defined on
    /// per-parameter tensors — the form a Hessian–vector product of a model's loss takes.
    /// </summary>
    /// <param name="layout">How the parameters are laid out in the flat vector.</param>
    /// <param name="product">
    /// Given one direction tensor per parameter (views into the flat vector, shaped like the parameters),
    /// returns one product tensor per parameter, in the same order and shapes.
    /// </param>
    public static SymmetricOperator OverParameters(ParameterLayout layout, Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> product)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(product);
        return new SymmetricOperator(layout.Dimension, v => layout.Flatten(product(layout.Unflatten(v))), layout.DType, layout.Device);
    }

    /// <summary>Computes <c>A v</c>, checking that the product kept the shape, dtype and device of <paramref name="vector"/>.</summary>
    /// <param name="vector">A 1-D tensor of length <see cref="Dimension"/>, of <see cref="DType"/>, on <see cref="Device"/>.</param>
    /// <returns>A new 1-D tensor that does not track gradients.</returns>
    /// <exception cref="ArgumentException"><paramref name="vector"/> does not fit the operator.</exception>
    /// <exception cref="InvalidOperationException">The product returned a tensor that does not fit the operator.</exception>
    public Tensor Apply(Tensor vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        if (vector.IsInvalid)
            throw new ObjectDisposedException(nameof(vector), "The vector was disposed before the operator read it; keep it alive until Apply returns.");
        if (!Fits(vector))
            throw new ArgumentException(
                $"The vector is {Describe(vector)}; this operator acts on {Describe(Dimension, DType, Device)}.", nameof(vector));

        var result = _product(vector);
        if (result is null || result.IsInvalid)
            throw new InvalidOperationException("The operator's product returned no tensor; it must return A·v as a new 1-D tensor.");
        if (!Fits(result))
            throw new InvalidOperationException(
                $"The operator's product returned {Describe(result)} for {Describe(Dimension, DType, Device)}; " +
                "it must return a vector of the same length, dtype and device as its argument.");

        return result.requires_grad ? result.detach() : result;
    }

    /// <summary>The exception for a product that turned NaN or infinite, naming where it was seen.</summary>
    internal static InvalidOperationException NonFinite(string where)
        => new($"The operator's product is not finite ({where}); check the Hessian–vector product and the loss it differentiates for NaN or infinite values.");

    bool Fits(Tensor vector)
        => vector.dim() == 1 && vector.shape[0] == Dimension && vector.dtype == DType && SameDevice(vector.device, Device);

    /// <summary>Whether two devices are the same; an unspecified index (−1) means device 0.</summary>
    internal static bool SameDevice(Device a, Device b)
        => a.type == b.type && Math.Max(a.index, 0) == Math.Max(b.index, 0);

    static string Describe(Tensor vector) => Describe(vector.shape, vector.dtype, vector.device);

    static string Describe(long dimension, ScalarType dtype, Device device) => Describe(new[] { dimension }, dtype, device);

    static string Describe(long[] shape, ScalarType dtype, Device device) => $"a {dtype} tensor of shape {Format(shape)} on {device}";

    internal static string Format(long[] shape) => "[" + string.Join(", ", shape) + "]";
}
