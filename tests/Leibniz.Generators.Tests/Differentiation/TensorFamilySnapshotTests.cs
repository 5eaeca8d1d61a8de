using Leibniz.Generators.Tests.Infrastructure;

namespace Leibniz.Generators.Tests.Differentiation;

public sealed class TensorFamilySnapshotTests
{
    [Fact]
    public void One_function_per_tensor_rule_family_generates_its_verified_derivatives_and_compiles_cleanly()
    {
        var (result, output) = GeneratorRunner.RunDifferentiable(TestCompilation.Create(("Functions.cs", TensorFamilyInputs.Functions)));

        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorRunner.Problems(output));
        var generated = Assert.Single(result.GeneratedSources);
        Snapshot.Verify($"Differentiation/{Path.GetFileNameWithoutExtension(generated.HintName)}", generated.SourceText.ToString());
    }
}
