using Leibniz.Generators.Pipelines;
using Leibniz.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Leibniz.Generators.Tests.Differentiation;

/// <summary>The generated code of a model whose <c>Forward</c> calls TorchSharp modules held in fields.</summary>
public sealed class TorchModuleSnapshotTests
{
    const string Models = """
        using System;
        using Leibniz;
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;
        using static TorchSharp.torch.nn.functional;

        namespace Modules;

        /// <summary>A linear layer through call, a layer norm through forward, a frozen call, around a parameter of its own.</summary>
        [Model]
        public partial class Block
        {
            [Parameter] Tensor gain = ones(4);
            Linear fc = nn.Linear(3, 4);
            LayerNorm norm = nn.LayerNorm(4);
            Linear probe = nn.Linear(4, 4);

            [Differentiable]
            public Tensor Forward(Tensor x)
            {
                var h = fc.call(x).relu() * gain;
                return norm.forward(h) + Derivatives.NoDerivative(probe.call(h));
            }
        }
        """;

    [Fact]
    public void Module_calls_generate_their_verified_derivatives_and_compile_cleanly()
    {
        var (results, output) = GeneratorRunner.RunAll(TestCompilation.Create(("Models.cs", Models)));

        Assert.All(results, result => Assert.Null(result.Exception));
        Assert.All(results, result => Assert.Empty(result.Diagnostics));
        Assert.Empty(GeneratorRunner.Problems(output));
        var generated = results.Single(r => r.Generator.GetGeneratorType() == typeof(DifferentiableGenerator)).GeneratedSources;
        Assert.Single(generated);
        Snapshot.Verify($"Differentiation/TorchModule/{Path.GetFileNameWithoutExtension(generated[0].HintName)}", generated[0].SourceText.ToString());
    }
}
