using Leibniz.Generators.Pipelines;
using Leibniz.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Leibniz.Generators.Tests.Differentiation;

/// <summary>The generated forward-mode methods of models calling models: tangents through the called models' tangents.</summary>
public sealed class ComposedForwardModeGeneratorTests
{
    const string Models = """
        using Leibniz;
        using TorchSharp;
        using static TorchSharp.torch;
        using static TorchSharp.torch.nn.functional;

        namespace ComposedForward;

        [Model]
        public partial class Leaf
        {
            [Parameter] Tensor weight = zeros(2, 2), bias = zeros(2);

            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public Tensor Forward(Tensor x) => tanh(linear(x, weight, bias));
        }

        /// <summary>Two levels: a parameter of its own between two calls, one through call().</summary>
        [Model]
        public partial class Pair
        {
            [Parameter] Tensor scale = ones(2);
            Leaf first = new(), second = new();

            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public Tensor Forward(Tensor x)
            {
                var h = first.call(x);
                return second.Forward(h * scale);
            }
        }

        /// <summary>Three levels, one model called twice, a frozen call, forward mode without H·v.</summary>
        [Model]
        public partial class Tower
        {
            [Parameter] Tensor mix = ones(2, 2);
            Pair pair = new();
            Leaf shared = new(), frozen = new();

            [Differentiable(Modes = DerivativeModes.Forward)]
            public Tensor Forward(Tensor x)
            {
                var h = shared.call(x) + Derivatives.NoDerivative(frozen.call(x));
                return shared.forward(pair.Forward(h).matmul(mix)) * h;
            }
        }
        """;

    [Fact]
    public void Composed_models_generate_their_verified_tangents_and_compile_cleanly()
    {
        var (results, output) = GeneratorRunner.RunAll(TestCompilation.Create(("Models.cs", Models)));

        Assert.All(results, result => Assert.Null(result.Exception));
        Assert.All(results, result => Assert.Empty(result.Diagnostics));
        Assert.Empty(GeneratorRunner.Problems(output));
        var tangents = results.Single(r => r.Generator.GetGeneratorType() == typeof(DifferentiableGenerator)).GeneratedSources
            .Where(s => s.HintName.EndsWith(".Tangents.g.cs", StringComparison.Ordinal))
            .OrderBy(s => s.HintName, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(new[] { "ComposedForward.Leaf.Tangents.g.cs", "ComposedForward.Pair.Tangents.g.cs", "ComposedForward.Tower.Tangents.g.cs" }, tangents.Select(t => t.HintName));
        foreach (var source in tangents)
            Snapshot.Verify($"Differentiation/ComposedForward/{Path.GetFileNameWithoutExtension(source.HintName)}", source.SourceText.ToString());

        // Tower asks for forward mode only: no Hessian–vector product, but its Gauss–Newton product needs none.
        var tower = tangents[2].SourceText.ToString();
        Assert.DoesNotContain("ForwardHessianVectorProduct", tower);
        Assert.Contains("ForwardGaussNewtonProduct", tower);
        Assert.Contains("global::Leibniz.Generated.Validation.Assigned(this.pair, \"pair\").ForwardTangent(", tower);
        Assert.DoesNotContain("frozen.ForwardTangent", tower);
    }

    [Fact]
    public void A_composite_calling_a_model_whose_own_forward_mode_is_blocked_gets_none_and_is_told_why()
    {
        const string source = """
            using Leibniz;
            using TorchSharp;
            using static TorchSharp.torch;

            namespace ComposedForward;

            public static partial class Helpers
            {
                [Differentiable]
                public static Tensor Squash(Tensor x) => x.tanh();
            }

            [Model]
            public partial class Leaf<TTag>
            {
                [Parameter] Tensor w = ones(2);

                [Differentiable(Modes = DerivativeModes.Forward)]
                public Tensor Forward(Tensor x) => Helpers.Squash(x * w);
            }

            /// <summary>A generic called model: named Leaf&lt;int&gt; here, Leaf&lt;TTag&gt; where it is declared.</summary>
            [Model]
            public partial class Parent
            {
                [Parameter] Tensor scale = ones(2);
                Leaf<int> leaf = new();

                [Differentiable(Modes = DerivativeModes.Forward)]
                public Tensor Forward(Tensor x) => leaf.Forward(x) * scale;
            }
            """;
        var input = TestCompilation.Create(("Models.cs", source));
        var (results, output) = GeneratorRunner.RunAll(input);
        var run = results.Single(r => r.Generator.GetGeneratorType() == typeof(DifferentiableGenerator));

        Assert.Null(run.Exception);
        Assert.Empty(GeneratorRunner.Problems(output));
        Assert.DoesNotContain(run.GeneratedSources, s => s.HintName.EndsWith(".Tangents.g.cs", StringComparison.Ordinal));
        Assert.Contains(run.GeneratedSources, s => s.HintName == "ComposedForward.Parent.Derivatives.g.cs");

        // Leaf's own LZ0109 (at its call of Squash) is the analyzer's; Parent's, which only the pipeline sees, the generator's.
        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("LZ0109", diagnostic.Id);
        Assert.Contains("'Forward', whose forward mode is not generated", diagnostic.GetMessage());
        var span = diagnostic.Location.SourceSpan;
        Assert.Equal("Forward", source.Substring(span.Start, span.Length));
        Assert.True(source.IndexOf("class Parent", StringComparison.Ordinal) < span.Start, "the diagnostic is at Parent.Forward");
    }

    [Fact]
    public void A_composite_calling_a_model_without_forward_mode_keeps_its_reverse_mode_only()
    {
        var source = Models.Replace("""
            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
                public Tensor Forward(Tensor x) => tanh(linear(x, weight, bias));
            """, """
            [Differentiable]
                public Tensor Forward(Tensor x) => tanh(linear(x, weight, bias));
            """);
        Assert.NotEqual(Models, source);
        var (results, output) = GeneratorRunner.RunAll(TestCompilation.Create(("Models.cs", source)));

        Assert.All(results, result => Assert.Null(result.Exception));
        Assert.Empty(GeneratorRunner.Problems(output));
        var generated = results.Single(r => r.Generator.GetGeneratorType() == typeof(DifferentiableGenerator)).GeneratedSources.Select(s => s.HintName).ToList();
        Assert.DoesNotContain(generated, h => h.EndsWith(".Tangents.g.cs", StringComparison.Ordinal));
        Assert.Contains("ComposedForward.Pair.Derivatives.g.cs", generated);
    }
}
