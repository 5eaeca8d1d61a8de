using Leibniz.Curvature;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Curvature;

/// <summary>
/// The curvature tools on the Hessian of a small network's loss, given only as a Hessian–vector
/// product, against the Hessian formed explicitly and decomposed by LAPACK.
/// </summary>
public sealed class MlpHessianTests(MlpLoss loss) : IClassFixture<MlpLoss>
{
    [Fact]
    public void The_formed_hessian_is_symmetric_and_indefinite()
    {
        Assert.Equal(419, loss.Layout.Dimension);
        Assert.True(loss.Hessian.allclose(loss.Hessian.t(), rtol: 0, atol: 1e-12 * loss.Hessian.abs().max().ToDouble()), "the formed Hessian is not symmetric");
        var exact = TestSpectra.Exact(loss.Hessian);
        Assert.True(exact[0] < 0 && exact[^1] > 0, "the loss at initialisation should curve both ways");
    }

    [Fact]
    public void The_formed_hessian_as_a_matrix_operator_gives_the_same_top_eigenvalues_as_the_product()
    {
        using var fromProduct = Lanczos.Eigenpairs(loss.Operator, new LanczosOptions { Count = 4 });
        using var fromMatrix = Lanczos.Eigenpairs(SymmetricOperator.FromMatrix(loss.Hessian), new LanczosOptions { Count = 4 });

        Assert.True(fromProduct.Converged && fromMatrix.Converged);
        for (var i = 0; i < 4; i++)
            Assert.Equal(fromMatrix.Eigenvalues[i], fromProduct.Eigenvalues[i], 1e-9 * fromMatrix.NormEstimate);
    }

    [Fact]
    public void Lanczos_on_the_hessian_vector_product_matches_the_eigenvalues_of_the_formed_hessian()
    {
        var exact = TestSpectra.Exact(loss.Hessian);
        var norm = TestSpectra.Norm(exact);
        var op = loss.Operator;

        using var top = Lanczos.Eigenpairs(op, new LanczosOptions { Count = 6, ComputeEigenvectors = true });
        using var bottom = Lanczos.Eigenpairs(op, new LanczosOptions { Count = 3, Which = SpectrumEnd.Smallest });

        Assert.True(top.Converged, top.ToString());
        Assert.True(bottom.Converged, bottom.ToString());
        Assert.True(top.Iterations < loss.Layout.Dimension);
        var largest = exact.Reverse().Take(6).ToArray();
        for (var i = 0; i < 6; i++)
            Assert.True(Math.Abs(largest[i] - top.Eigenvalues[i]) <= 1e-8 * norm, $"λ{i + 1}: {largest[i]:R} vs {top.Eigenvalues[i]:R}");
        for (var i = 0; i < 3; i++)
            Assert.True(Math.Abs(exact[i] - bottom.Eigenvalues[i]) <= 1e-8 * norm, $"smallest λ{i + 1}: {exact[i]:R} vs {bottom.Eigenvalues[i]:R}");
        // The eigenvectors are eigenvectors of the formed matrix, and the product agrees with it on them.
        for (var i = 0; i < 6; i++)
        {
            var v = top.Eigenvectors![i];
            Assert.True((loss.Hessian.mv(v) - top.Eigenvalues[i] * v).norm().ToDouble() <= top.ResidualBound * 1.01, $"eigenvector {i + 1}");
            Assert.True((loss.Hessian.mv(v) - op.Apply(v)).norm().ToDouble() <= 1e-10 * norm, $"H v{i + 1}");
        }
    }

    [Fact]
    public void Hutchinson_and_quadrature_estimate_the_trace_of_the_formed_hessian_within_their_standard_errors()
    {
        var trace = loss.Hessian.diagonal().sum().ToDouble();
        var exact = TestSpectra.Exact(loss.Hessian);
        var op = loss.Operator;

        var hutchinson = Hutchinson.Trace(op, new HutchinsonOptions { Probes = 60, Seed = 1 });
        var density = StochasticLanczosQuadrature.Density(op, new SpectralDensityOptions { Runs = 4, Steps = 30, Seed = 2 });

        Assert.True(Math.Abs(hutchinson.Value - trace) <= 4 * hutchinson.StandardError, $"Hutchinson {hutchinson}, exact {trace:G6}");
        Assert.True(Math.Abs(density.Trace.Value - trace) <= 4 * density.Trace.StandardError, $"quadrature {density.Trace}, exact {trace:G6}");
        Assert.Equal(1.0, density.Weights.Sum(), 12);
        Assert.InRange(density.Maximum, exact[^1] * (1 - 1e-6), exact[^1] * (1 + 1e-12));
    }
}
