using System.Text.RegularExpressions;
using Leibniz.Generators.Tests.Infrastructure;

namespace Leibniz.Generators.Tests.Differentiation;

/// <summary>
/// Creation calls in generated code are made beside the inputs: every one that the source leaves to TorchSharp's
/// defaults is emitted with the device (and, for the floating ones, the dtype) read from the method's inputs, so the
/// derivative runs on float64 inputs and on a GPU as the forward pass does.
/// </summary>
public sealed class CreationPlacementTests
{
    const string Source = """
        using Leibniz;
        using TorchSharp;
        using static TorchSharp.torch;

        namespace Creation;

        public static partial class Functions
        {
            [Differentiable]
            public static Tensor Created([NoDerivative] Tensor indices, Tensor x)
            {
                var n = x.shape[0];
                var m = x.shape[1];
                var a = zeros(n, m) + ones(n, m) + full(n, m, 0.5) + zeros_like(empty(n, m)) + eye(n, m) + rand(n, m) + randn(n, m);
                var b = arange(m).to_type(x.dtype) + linspace(0.0, 1.0, m);
                return (x * a).sum() + (x * b).sum() + randint(5, new long[] { n, m }).sum();
            }
        }
        """;

    static readonly Regex CreationCall = new(@"global::TorchSharp\.torch\.(zeros|ones|full|empty|eye|rand|randn|arange|linspace|randint)\((?<arguments>[^;]*)\);");

    [Fact]
    public void Every_creation_call_left_to_defaults_takes_the_device_of_the_differentiated_input()
    {
        var (result, _) = GeneratorRunner.RunDifferentiable(TestCompilation.Create(("Creation.cs", Source.Replace("zeros_like(empty(n, m))", "empty(n, m) * 0"))));
        Assert.Null(result.Exception);
        var text = result.GeneratedSources.Single().SourceText.ToString();

        // The locals holding x's device and dtype (x, not the [NoDerivative] indices, is the reference).
        var devices = Regex.Matches(text, @"(\w+) = global::Leibniz\.Generated\.TensorFacts\.DeviceOf\(x\);").Select(m => m.Groups[1].Value).ToHashSet();
        var dtypes = Regex.Matches(text, @"(\w+) = global::Leibniz\.Generated\.TensorFacts\.DtypeOf\(x\);").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.NotEmpty(devices);
        Assert.DoesNotContain("DeviceOf(indices)", text);

        var calls = CreationCall.Matches(text).ToList();
        Assert.Equal(10, calls.Select(c => c.Groups[1].Value).Distinct().Count());
        foreach (var call in calls)
        {
            var arguments = call.Groups["arguments"].Value;
            Assert.True(devices.Any(d => Regex.IsMatch(arguments, $@"\b{d}\b")), $"no device passed: {call.Value}");
            var floating = call.Groups[1].Value is not ("arange" or "randint");
            Assert.True(!floating || dtypes.Any(d => Regex.IsMatch(arguments, $@"\b{d}\b")), $"no dtype passed: {call.Value}");
            Assert.True(floating || !dtypes.Any(d => Regex.IsMatch(arguments, $@"\b{d}\b")), $"an index creation got a floating dtype: {call.Value}");
        }
    }
}
