namespace Leibniz.Generators.Tests.Differentiation;

/// <summary>
/// The forms of the contractions and normalization the derivative can follow, and the ones refused at the call with a
/// diagnostic that says what to write instead (never a generator failure).
/// </summary>
public sealed class OperationFormTests
{
    [Theory]
    [InlineData("torch.einsum(\"ij,jk->ik\", a, b)")]
    [InlineData("torch.einsum(\"ij,ij\", a, b.tanh())")]
    [InlineData("torch.tensordot(a, b, new long[] { 1 }, new long[] { 0 })")]
    [InlineData("a.tensordot(b, new long[] { 0, 1 }, new long[] { 0, 1 })")]
    [InlineData("nn.functional.layer_norm(a, new long[] { 4 })")]
    [InlineData("nn.functional.layer_norm(a, new long[] { 3, 4 }, b, null, 1e-3)")]
    public void Written_out_forms_are_differentiated(string body)
        => Assert.DoesNotContain(TorchSharpQuirkTests.DiagnosticsOf(body), d => d.Id.StartsWith("LZ", StringComparison.Ordinal));

    [Fact]
    public void Layer_norm_over_sizes_held_in_a_variable_is_refused_at_the_call()
    {
        var diagnostics = TorchSharpQuirkTests.DiagnosticsOf("nn.functional.layer_norm(a, Sizes)");
        Assert.Contains(diagnostics, d => d.Id.StartsWith("LZ01", StringComparison.Ordinal) && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("written out"));
        Assert.DoesNotContain(diagnostics, d => d.Id == "LZ9999");
    }

    [Theory]
    [InlineData("torch.einsum(\"ii->i\", a)")]
    [InlineData("torch.einsum(\"ij,jj->i\", a, b)")]
    public void Einsum_taking_a_diagonal_is_refused_at_the_call(string body)
    {
        var diagnostics = TorchSharpQuirkTests.DiagnosticsOf(body);
        Assert.Contains(diagnostics, d => d.Id.StartsWith("LZ01", StringComparison.Ordinal) && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("diagonal"));
        Assert.DoesNotContain(diagnostics, d => d.Id == "LZ9999");
    }

    // TorchSharp 0.107's tensordot(a, b, long dims) throws IndexOutOfRangeException, so it has no row.
    [Fact]
    public void Tensordot_over_a_count_of_dimensions_is_refused()
        => Assert.Contains(TorchSharpQuirkTests.DiagnosticsOf("torch.tensordot(a, b, 1L)"), d => d.Id == "LZ0102");
}
