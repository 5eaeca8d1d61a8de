using Leibniz.Generators.Tests.Infrastructure;

namespace Leibniz.Generators.Tests.Differentiation;

/// <summary>Fields declared nullable — a module, a called model — reach generated code without a nullable warning there.</summary>
public sealed class NullableFieldTests
{
    const string Models = """
        using Leibniz;
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        [Model]
        public partial class Inner
        {
            [Parameter] Tensor w = ones(2, 2);

            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public Tensor Forward(Tensor x) => x.matmul(w);
        }

        [Model]
        public partial class Outer
        {
            Linear? projection = nn.Linear(2, 2);
            Sequential? step = nn.Sequential(nn.Tanh());
            Inner? inner = new Inner();

            [Differentiable]
            public Tensor Forward(Tensor x)
            {
                var h = projection!.call(x);
                for (var i = 0; i < 3; i++) h = step!.call(h);
                return inner!.call(h);
            }
        }

        /// <summary>Called models alone, declared nullable, with forward mode and H·v through them.</summary>
        [Model]
        public partial class Stacked
        {
            Inner? first = new Inner();
            Inner? second = new Inner();

            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public Tensor Forward(Tensor x) => second!.call(first!.call(x).tanh());
        }
        """;

    [Fact]
    public void Nullable_module_and_model_fields_compile_without_warnings()
    {
        var (results, output) = GeneratorRunner.RunAll(TestCompilation.Create(("Models.cs", Models)));

        Assert.All(results, result => Assert.Null(result.Exception));
        Assert.All(results, result => Assert.Empty(result.Diagnostics));
        var problems = GeneratorRunner.Problems(output);
        Assert.True(problems.Count == 0, string.Join("\n", problems.Select(p => p + " :: " + p.Location.SourceTree!.GetText().Lines[p.Location.GetLineSpan().StartLinePosition.Line])));
    }
}
