using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Implicit;

/// <summary>
/// Random systems — sizes 1 to 12, a vector or a matrix of right-hand sides, non-symmetric and well conditioned — through
/// each kind of backward, in both modes, against autograd through linalg.solve: the derivative of A⁻¹B with respect to
/// A and B, which every implicit gradient reduces to.
/// </summary>
public sealed class RandomLinearSystemTests
{
    delegate Tensor Pullback(Tensor A, Tensor B, Tensor? seed, ref Tensor? dA, ref Tensor? dB);

    delegate Tensor JacobianVectorProduct(Tensor A, Tensor B, Tensor dA, Tensor dB);

    static readonly (string Name, Pullback Pullback, JacobianVectorProduct Jvp)[] Layers =
    {
        ("NormalConjugateGradient", LinearSystemByNormalEquations.ApplyPullback, LinearSystemByNormalEquations.ApplyJacobianVectorProduct),
        ("Gmres", LinearSystemByGmres.ApplyPullback, LinearSystemByGmres.ApplyJacobianVectorProduct),
        ("BiCgStab", LinearSystemByBiCgStab.ApplyPullback, LinearSystemByBiCgStab.ApplyJacobianVectorProduct),
        ("DenseLu", LinearSystemDense.ApplyPullback, LinearSystemDense.ApplyJacobianVectorProduct),
    };

    public static TheoryData<int> Seeds() => new(Enumerable.Range(0, 12));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_random_system_differentiates_as_autograd_through_its_solve(int seed)
    {
        var random = new Random(1000 + seed);
        var generator = new torch.Generator((ulong)(2000 + seed));
        var n = random.Next(1, 13);
        long[] rightShape = random.Next(2) == 0 ? new long[] { n } : new long[] { n, random.Next(1, 4) };
        // Diagonally weighted, so the condition number stays small whatever the draw.
        var A = randn(new long[] { n, n }, dtype: ScalarType.Float64, generator: generator) / Math.Sqrt(n) + 3 * eye(n, dtype: ScalarType.Float64);
        var B = randn(rightShape, dtype: ScalarType.Float64, generator: generator);
        var cotangent = randn(rightShape, dtype: ScalarType.Float64, generator: generator);
        var dA = randn(new long[] { n, n }, dtype: ScalarType.Float64, generator: generator);
        var dB = randn(rightShape, dtype: ScalarType.Float64, generator: generator);

        var leaves = new[] { A, B }.Select(t => t.clone().requires_grad_()).ToArray();
        var solution = linalg.solve(leaves[0], leaves[1]);
        var oracle = torch.autograd.grad(new[] { (solution * cotangent).sum() }, leaves);
        // J·v of the solve: −A⁻¹(dA·x − dB).
        var tangentOracle = -linalg.solve(A, dA.matmul(solution.detach()) - dB);

        foreach (var (name, pullback, jvp) in Layers)
        {
            Tensor? gA = null, gB = null;
            pullback(A, B, cotangent, ref gA, ref gB);
            var what = $"seed {seed}, n = {n}, B {string.Join("×", rightShape)}, {name}";
            Assert.True((oracle[0] - gA!).abs().max().ToDouble() < 1e-8, $"{what}: ∂/∂A");
            Assert.True((oracle[1] - gB!).abs().max().ToDouble() < 1e-8, $"{what}: ∂/∂B");
            Assert.True((tangentOracle - jvp(A, B, dA, dB)).abs().max().ToDouble() < 1e-8, $"{what}: J·v");
        }
    }
}
