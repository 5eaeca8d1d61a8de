using Leibniz.Generators.Pipelines;
using Leibniz.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Leibniz.Generators.Tests.Differentiation;

/// <summary>The generated code of a model whose <c>Forward</c> takes several inputs as one tuple.</summary>
public sealed class TupleInputSnapshotTests
{
    const string Models = """
        using System;
        using Leibniz;
        using TorchSharp;
        using static TorchSharp.torch;
        using static TorchSharp.torch.nn.functional;

        namespace Tuples;

        /// <summary>Named elements, one named like a field (its input is renamed around it), one reassigned, one deconstructed.</summary>
        [Model]
        public partial class Gated
        {
            [Parameter] Tensor w = ones(2, 2), gate = zeros(2);

            [Differentiable(Modes = DerivativeModes.Forward)]
            public Tensor Forward((Tensor x, Tensor w, Tensor Mask) input)
            {
                var (x, _, mask) = input;
                input.w = input.w * gate.sigmoid();
                return linear(x, w).masked_fill(mask, 0.0) + input.w;
            }
        }
        """;

    [Fact]
    public void A_tuple_input_generates_its_verified_derivatives_and_compiles_cleanly()
    {
        var (results, output) = GeneratorRunner.RunAll(TestCompilation.Create(("Models.cs", Models)));

        Assert.All(results, result => Assert.Null(result.Exception));
        Assert.All(results, result => Assert.Empty(result.Diagnostics));
        Assert.Empty(GeneratorRunner.Problems(output));
        var generated = results.Single(r => r.Generator.GetGeneratorType() == typeof(DifferentiableGenerator)).GeneratedSources;
        Assert.Equal(2, generated.Length);
        foreach (var source in generated.OrderBy(g => g.HintName, StringComparer.Ordinal))
            Snapshot.Verify($"Differentiation/TupleInput/{Path.GetFileNameWithoutExtension(source.HintName)}", source.SourceText.ToString());
    }
}
