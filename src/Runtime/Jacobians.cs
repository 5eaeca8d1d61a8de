using System;
using System.Linq;
using static TorchSharp.torch;

namespace Leibniz;

/// <summary>
/// Full Jacobians and Hessians assembled from generated products, for inputs small enough to form them. The
/// generated <c>FJacobian</c> and <c>FHessian</c> call these; they can also be called with products written by hand.
/// </summary>
public static class Jacobians
{
    /// <summary>
    /// The Jacobians of <paramref name="output"/> = f(inputs…) with respect to each of <paramref name="inputs"/>, each
    /// shaped as the output followed by its input (<c>[..output.shape, ..input.shape]</c>). Built by columns — one
    /// Jacobian–vector product per input element — when the inputs have no more elements than the output, and by rows —
    /// one vector–Jacobian product per output element, which gives every input's row at once — otherwise.
    /// </summary>
    /// <param name="output">f's value at the inputs: its shape, dtype and device shape the result.</param>
    /// <param name="inputs">The inputs the Jacobians are taken with respect to.</param>
    /// <param name="jacobianVectorProduct">(i, v) ↦ J·v for a direction v that moves input i alone (shaped like it).</param>
    /// <param name="vectorJacobianProduct">w ↦ (wᵀJ for each input), for w shaped like the output.</param>
    /// <exception cref="ArgumentException">A product returned a tensor with the wrong number of elements.</exception>
    public static Tensor[] FromProducts(Tensor output, Tensor[] inputs, Func<int, Tensor, Tensor> jacobianVectorProduct, Func<Tensor, Tensor[]> vectorJacobianProduct)
    {
        var m = output.numel();
        var sizes = inputs.Select(input => input.numel()).ToArray();
        var jacobians = new Tensor[inputs.Length];
        if (sizes.Sum() <= m)
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                using var basis = eye(sizes[i], dtype: inputs[i].dtype, device: inputs[i].device);
                var columns = new Tensor[sizes[i]];
                for (var j = 0; j < sizes[i]; j++)
                    columns[j] = Flat(jacobianVectorProduct(i, basis[j].reshape(inputs[i].shape)), m, "Jacobian–vector product");
                jacobians[i] = stack(columns, dim: 1).reshape(output.shape.Concat(inputs[i].shape).ToArray());
            }

            return jacobians;
        }

        using var seeds = eye(m, dtype: output.dtype, device: output.device);
        var rows = inputs.Select(_ => new Tensor[m]).ToArray();
        for (var r = 0; r < m; r++)
        {
            var products = vectorJacobianProduct(seeds[r].reshape(output.shape));
            for (var i = 0; i < inputs.Length; i++) rows[i][r] = Flat(products[i], sizes[i], "vector–Jacobian product");
        }

        for (var i = 0; i < inputs.Length; i++)
            jacobians[i] = stack(rows[i], dim: 0).reshape(output.shape.Concat(inputs[i].shape).ToArray());
        return jacobians;
    }

    /// <summary>
    /// The Hessian of a scalar function of <paramref name="input"/>, shaped <c>[..input.shape, ..input.shape]</c>, by
    /// columns: one Hessian–vector product per element of the input.
    /// </summary>
    /// <exception cref="ArgumentException">The product returned a tensor with the wrong number of elements.</exception>
    public static Tensor Hessian(Tensor input, Func<Tensor, Tensor> hessianVectorProduct)
    {
        var n = input.numel();
        using var basis = eye(n, dtype: input.dtype, device: input.device);
        var columns = new Tensor[n];
        for (var j = 0; j < n; j++) columns[j] = Flat(hessianVectorProduct(basis[j].reshape(input.shape)), n, "Hessian–vector product");
        return stack(columns, dim: 1).reshape(input.shape.Concat(input.shape).ToArray());
    }

    /// <summary>
    /// The Hessian of a scalar function of several tensors together, over their elements flattened and concatenated in
    /// the order given: an N × N matrix, N the total number of elements, the block (i, j) holding ∂²f/∂xᵢ∂xⱼ. By
    /// columns: one Hessian–vector product per element, its direction a unit vector split back into the inputs' shapes.
    /// </summary>
    /// <exception cref="ArgumentException">The product returned the wrong number of tensors, or one with the wrong number of elements.</exception>
    public static Tensor Hessian(Tensor[] inputs, Func<Tensor[], Tensor[]> hessianVectorProduct)
    {
        var sizes = inputs.Select(x => x.numel()).ToArray();
        var n = sizes.Sum();
        using var basis = eye(n, dtype: inputs[0].dtype, device: inputs[0].device);
        var columns = new Tensor[n];
        for (var j = 0; j < n; j++)
        {
            using var scope = NewDisposeScope();
            var offset = 0L;
            var directions = new Tensor[inputs.Length];
            for (var i = 0; i < inputs.Length; i++)
            {
                directions[i] = basis[j].narrow(0, offset, sizes[i]).reshape(inputs[i].shape);
                offset += sizes[i];
            }

            var products = hessianVectorProduct(directions);
            if (products.Length != inputs.Length)
                throw new ArgumentException($"The Hessian–vector product returned {products.Length} tensors for {inputs.Length} inputs.", nameof(hessianVectorProduct));
            columns[j] = cat(products.Select((h, i) => Flat(h, sizes[i], $"Hessian–vector product for input {i}")).ToArray(), 0).MoveToOuterDisposeScope();
        }

        return stack(columns, dim: 1);
    }

    /// <summary>The Hessian of a scalar function of an array, by columns: one Hessian–vector product per element.</summary>
    /// <param name="size">The array's length.</param>
    /// <param name="hessianVectorProduct">(v, product) ↦ writes H·v into <c>product</c>.</param>
    /// <param name="hessian">Receives H; must be <paramref name="size"/> × <paramref name="size"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="hessian"/> is not <paramref name="size"/> × <paramref name="size"/>.</exception>
    public static void Hessian(int size, Action<double[], double[]> hessianVectorProduct, double[,] hessian)
    {
        if (hessian.GetLength(0) != size || hessian.GetLength(1) != size)
            throw new ArgumentException($"The Hessian buffer is {hessian.GetLength(0)} × {hessian.GetLength(1)} but the input has {size} elements; pass a {size} × {size} array.", nameof(hessian));

        var direction = new double[size];
        var product = new double[size];
        for (var j = 0; j < size; j++)
        {
            direction[j] = 1;
            hessianVectorProduct(direction, product);
            direction[j] = 0;
            for (var i = 0; i < size; i++) hessian[i, j] = product[i];
        }
    }

    static Tensor Flat(Tensor product, long size, string what)
    {
        if (product.numel() != size)
            throw new ArgumentException($"A {what} has {product.numel()} elements where {size} were expected; it must be shaped like the tensor it stands for.", nameof(product));
        return product.reshape(size);
    }
}
