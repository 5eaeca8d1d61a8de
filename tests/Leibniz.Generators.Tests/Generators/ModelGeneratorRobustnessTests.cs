using Leibniz.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Leibniz.Generators.Tests.Generators;

public sealed class ModelGeneratorRobustnessTests
{
    public static TheoryData<string, string> InvalidModels() => new()
    {
        { "not partial", ModelInputs.Usings + "[Model] public class M { [Parameter] Tensor w = zeros(1); public Tensor Forward(Tensor x) => x * w; }" },
        { "no Forward", ModelInputs.Usings + "[Model] public partial class M { [Parameter] Tensor w = zeros(1); }" },
        { "int parameter", ModelInputs.Usings + "[Model] public partial class M { [Parameter] int w; public Tensor Forward(Tensor x) => x; }" },
        { "own base class", ModelInputs.Usings + "public class B { } [Model] public partial class M : B { public Tensor Forward(Tensor x) => x; }" },
        { "static class", ModelInputs.Usings + "[Model] public static partial class M { public static Tensor Forward(Tensor x) => x; }" },
    };

    public static TheoryData<string, string> BrokenCode() => new()
    {
        { "unclosed class", ModelInputs.Usings + "[Model] public partial class M { [Parameter] Tensor w; public Tensor Forward(Tensor x) => x" },
        { "unknown field type", ModelInputs.Usings + "[Model] public partial class M { [Parameter] Tensr w; public Tensor Forward(Tensor x) => x; }" },
        { "unknown input type", ModelInputs.Usings + "[Model] public partial class M { public Missing Forward(Nowhere x) => x; }" },
        { "empty base list", ModelInputs.Usings + "[Model] public partial class M : { public Tensor Forward(Tensor x) => x; }" },
        { "attribute on a struct", ModelInputs.Usings + "[Model] public partial struct M { public Tensor Forward(Tensor x) => x; }" },
        { "attribute with arguments", ModelInputs.Usings + "[Model(3)] public partial class M { public Tensor Forward(Tensor x) => x; }" },
        { "duplicate field names", ModelInputs.Usings + "[Model] public partial class M { [Parameter] Tensor w; [Parameter] Tensor w; public Tensor Forward(Tensor x) => x; }" },
    };

    [Theory]
    [MemberData(nameof(InvalidModels))]
    public void Invalid_models_emit_nothing_and_leave_the_diagnostics_to_the_analyzer(string reason, string source)
    {
        var (result, _) = GeneratorRunner.Run(TestCompilation.Create(("M.cs", source)));

        Assert.True(result.Exception is null, reason);
        Assert.Empty(result.GeneratedSources);
        Assert.Empty(result.Diagnostics);
    }

    public static TheoryData<string, string> RefusedForwards() => new()
    {
        { "a call for its effect", ModelInputs.Usings + "[Model] public partial class M { [Parameter] Tensor w = ones(2); [Differentiable] public Tensor Forward(Tensor x) { System.Console.WriteLine(1); return x * w; } }" },
        { "an in-place operation", ModelInputs.Usings + "[Model] public partial class M { [Parameter] Tensor w = ones(2); [Differentiable] public Tensor Forward(Tensor x) { var h = x * w; h.add_(x); return h; } }" },
        { "a tuple input", ModelInputs.Usings + "[Model] public partial class M { [Parameter] Tensor w = ones(2); [Differentiable] public Tensor Forward((Tensor A, Tensor B) x) => x.A * w; }" },
    };

    /// <summary>
    /// A <c>[Differentiable] Forward</c> the generator refuses leaves the model's own half compiling: the analyzer's
    /// diagnostic is the only error, with no missing-name error from the generated <c>forward</c> beside it.
    /// </summary>
    [Theory]
    [MemberData(nameof(RefusedForwards))]
    public void A_refused_Forward_adds_no_error_of_its_own_to_the_diagnostic(string reason, string source)
    {
        var (results, output) = GeneratorRunner.RunAll(TestCompilation.Create(("M.cs", source)));

        Assert.All(results, r => Assert.True(r.Exception is null, reason));
        Assert.DoesNotContain(GeneratorRunner.Problems(output), d => d.Severity == DiagnosticSeverity.Error);
    }

    [Theory]
    [MemberData(nameof(BrokenCode))]
    public void Broken_code_never_makes_the_generator_throw(string reason, string source)
    {
        var (result, output) = GeneratorRunner.Run(TestCompilation.Create(("M.cs", source)));

        Assert.True(result.Exception is null, $"{reason}: {result.Exception}");
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Id is "CS8784" or "CS8785");
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "LZ9999");
    }
}
