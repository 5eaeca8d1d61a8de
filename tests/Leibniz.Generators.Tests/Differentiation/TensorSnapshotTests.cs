using Leibniz.Generators.Tests.Infrastructure;

namespace Leibniz.Generators.Tests.Differentiation;

public sealed class TensorSnapshotTests
{
    [Fact]
    public void Tensor_functions_with_lists_indices_and_defaults_generate_their_verified_derivatives_and_compile_cleanly()
    {
        var (result, output) = GeneratorRunner.RunDifferentiable(TestCompilation.Create(("Functions.cs", TensorInputs.Functions)));

        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorRunner.Problems(output));
        var generated = Assert.Single(result.GeneratedSources);
        Snapshot.Verify($"Differentiation/{Path.GetFileNameWithoutExtension(generated.HintName)}", generated.SourceText.ToString());
    }
}
