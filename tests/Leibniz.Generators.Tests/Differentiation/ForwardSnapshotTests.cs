using Leibniz.Generators.Tests.Infrastructure;

namespace Leibniz.Generators.Tests.Differentiation;

public sealed class ForwardSnapshotTests
{
    [Theory]
    [InlineData("Scalar")]
    [InlineData("Tensor")]
    [InlineData("Model")]
    public void Forward_mode_and_Hessian_vector_products_generate_their_verified_code_and_compile_cleanly(string input)
    {
        var source = input switch { "Scalar" => ForwardInputs.Scalar, "Tensor" => ForwardInputs.Tensor, _ => ForwardInputs.Model };
        var (result, output) = GeneratorRunner.RunForward(TestCompilation.Create((input + ".cs", source)));

        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorRunner.Problems(output));
        var generated = Assert.Single(result.GeneratedSources);
        Snapshot.Verify($"Differentiation/{Path.GetFileNameWithoutExtension(generated.HintName)}", generated.SourceText.ToString());
    }
}
