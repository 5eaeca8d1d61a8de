using Leibniz.Generators.Tests.Infrastructure;

namespace Leibniz.Generators.Tests.Differentiation;

public sealed class LayerSnapshotTests
{
    [Fact]
    public void Conv2d_max_pool2d_and_dropout_generate_their_verified_derivatives_and_compile_cleanly()
    {
        var (result, output) = GeneratorRunner.RunDifferentiable(TestCompilation.Create(("Functions.cs", LayerInputs.Functions)));

        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorRunner.Problems(output));
        var generated = Assert.Single(result.GeneratedSources);
        Snapshot.Verify($"Differentiation/{Path.GetFileNameWithoutExtension(generated.HintName)}", generated.SourceText.ToString());
    }
}
