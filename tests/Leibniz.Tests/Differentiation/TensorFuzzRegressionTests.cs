using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

/// <summary>Programs the tensor differential tester (tests/Leibniz.Fuzzing.Tests/Tensor) found wrong, shrunk.</summary>
public static partial class TensorFuzzRegressionFunctions
{
    /// <summary>A long literal passed to a <c>long?</c> parameter was emitted as the double <c>0.0</c>, which does not compile.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor SqueezeLiteral(Tensor a) => (a.squeeze(0L).square() + 0.5).sqrt().sum();

    /// <summary>matmul with a 1-D operand: the adjoint read <c>{0}.mT</c>, which throws on a vector.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor VectorTimesMatrix(Tensor v, Tensor m) => v.matmul(m).tanh().sum();

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor MatrixTimesVector(Tensor m, Tensor v) => torch.matmul(m, v).sin().sum();

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor BatchedWithVectors(Tensor v, Tensor batched, Tensor w) => v.matmul(batched).square().sum() + batched.matmul(w).tanh().sum();

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Dot(Tensor v, Tensor w) => v.matmul(w).square();
}

public sealed class TensorFuzzRegressionTests
{
    static Tensor Leaf(params long[] shape) => randn(shape, dtype: ScalarType.Float64);

    [Fact]
    public void A_long_literal_into_a_nullable_dimension_compiles_and_differentiates()
    {
        manual_seed(41);
        TensorForwardModeChecks.Check(new TensorCase(
            "squeeze(0L)",
            new[] { Leaf(1, 3) },
            a => TensorFuzzRegressionFunctions.SqueezeLiteral(a[0]),
            (a, d) => (TensorFuzzRegressionFunctions.SqueezeLiteralTangent(a[0], d[0], out var t), t),
            a => { TensorFuzzRegressionFunctions.SqueezeLiteralWithGradient(a[0], out var g); return new[] { g }; },
            (a, d) => (TensorFuzzRegressionFunctions.SqueezeLiteralHessianVectorProduct(a[0], d[0], out var g, out var h), new[] { g }, new[] { h })));
    }

    [Fact]
    public void Matmul_with_vector_operands_matches_autograd()
    {
        manual_seed(43);
        TensorForwardModeChecks.Check(new TensorCase(
            "vector · matrix",
            new[] { Leaf(3), Leaf(3, 4) },
            a => TensorFuzzRegressionFunctions.VectorTimesMatrix(a[0], a[1]),
            (a, d) => (TensorFuzzRegressionFunctions.VectorTimesMatrixTangent(a[0], a[1], d[0], d[1], out var t), t),
            a => { TensorFuzzRegressionFunctions.VectorTimesMatrixWithGradient(a[0], a[1], out var g0, out var g1); return new[] { g0, g1 }; },
            (a, d) => (TensorFuzzRegressionFunctions.VectorTimesMatrixHessianVectorProduct(a[0], a[1], d[0], d[1], out var g0, out var g1, out var h0, out var h1), new[] { g0, g1 }, new[] { h0, h1 })));
        TensorForwardModeChecks.Check(new TensorCase(
            "matrix · vector",
            new[] { Leaf(4, 3), Leaf(3) },
            a => TensorFuzzRegressionFunctions.MatrixTimesVector(a[0], a[1]),
            (a, d) => (TensorFuzzRegressionFunctions.MatrixTimesVectorTangent(a[0], a[1], d[0], d[1], out var t), t),
            a => { TensorFuzzRegressionFunctions.MatrixTimesVectorWithGradient(a[0], a[1], out var g0, out var g1); return new[] { g0, g1 }; },
            (a, d) => (TensorFuzzRegressionFunctions.MatrixTimesVectorHessianVectorProduct(a[0], a[1], d[0], d[1], out var g0, out var g1, out var h0, out var h1), new[] { g0, g1 }, new[] { h0, h1 })));
        TensorForwardModeChecks.Check(new TensorCase(
            "vector · batch and batch · vector",
            new[] { Leaf(3), Leaf(2, 3, 4), Leaf(4) },
            a => TensorFuzzRegressionFunctions.BatchedWithVectors(a[0], a[1], a[2]),
            (a, d) => (TensorFuzzRegressionFunctions.BatchedWithVectorsTangent(a[0], a[1], a[2], d[0], d[1], d[2], out var t), t),
            a => { TensorFuzzRegressionFunctions.BatchedWithVectorsWithGradient(a[0], a[1], a[2], out var g0, out var g1, out var g2); return new[] { g0, g1, g2 }; },
            (a, d) => (TensorFuzzRegressionFunctions.BatchedWithVectorsHessianVectorProduct(a[0], a[1], a[2], d[0], d[1], d[2], out var g0, out var g1, out var g2, out var h0, out var h1, out var h2), new[] { g0, g1, g2 }, new[] { h0, h1, h2 })));
        TensorForwardModeChecks.Check(new TensorCase(
            "vector · vector",
            new[] { Leaf(3), Leaf(3) },
            a => TensorFuzzRegressionFunctions.Dot(a[0], a[1]),
            (a, d) => (TensorFuzzRegressionFunctions.DotTangent(a[0], a[1], d[0], d[1], out var t), t),
            a => { TensorFuzzRegressionFunctions.DotWithGradient(a[0], a[1], out var g0, out var g1); return new[] { g0, g1 }; },
            (a, d) => (TensorFuzzRegressionFunctions.DotHessianVectorProduct(a[0], a[1], d[0], d[1], out var g0, out var g1, out var h0, out var h1), new[] { g0, g1 }, new[] { h0, h1 })));
    }
}
