using System.Text;
using Leibniz.Fuzzing.Tests.Infrastructure;
using Leibniz.Fuzzing.Tests.Scalar;
using Leibniz.Fuzzing.Tests.TensorPrograms;
using Leibniz.Generators.Rules.Tensor;
using TorchSharp;
using Xunit.Abstractions;

namespace Leibniz.Fuzzing.Tests.Operations;

/// <summary>
/// Generic checks over the rows of the tensor rule table, one sample each (PyTorch's OpInfo shape): the generated
/// gradient, seeded pullback, tangent, Jacobian–vector product and H·v against TorchSharp autograd in float64, and the
/// dot-product identity ⟨ȳ, J·v⟩ = ⟨Jᵀȳ, v⟩ tying the derived pullback to the tangent it was derived from.
/// </summary>
public sealed class OperationRuleTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_sampled_operation_matches_autograd_in_every_mode()
    {
        var source = new StringBuilder(TensorProgram.Usings);
        for (var i = 0; i < OperationSamples.All.Length; i++)
            source.Append(OperationSamples.All[i].Program.ClassText("Op" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var outcome = GeneratedAssembly.Compile(source.ToString());
        Assert.True(outcome.Assembly is not null && outcome.LeibnizDiagnostics.Count == 0 && outcome.GeneratedProblems.Count == 0,
            "the samples do not compile cleanly:\n" + string.Join("\n", outcome.LeibnizDiagnostics.Concat(outcome.GeneratedProblems).Concat(outcome.SourceErrors).Take(20)));

        var failures = new List<string>();
        for (var i = 0; i < OperationSamples.All.Length; i++)
        {
            var sample = OperationSamples.All[i];
            var type = outcome.Assembly!.GetType("Op" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))!;
            var result = TensorProgramCheck.Run(sample.Program, type);
            if (result.Verdict != Verdict.Passed)
            {
                failures.Add($"{sample.Name} ({string.Join(", ", sample.Covers)}): {result.Verdict} — {result.Message}");
                output.WriteLine(GeneratedFor(outcome.GeneratedText, "Op" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            else if (DotProductGap(sample, type) is { } gap) failures.Add($"{sample.Name}: {gap}");
        }

        if (failures.Count > 0)
            foreach (var diagnostic in outcome.Analyze().Where(d => d.Id.StartsWith("LZ", StringComparison.Ordinal))) output.WriteLine(diagnostic.ToString());
        foreach (var failure in failures) output.WriteLine(failure);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The generated files of one sample's class, for the failure report.</summary>
    static string GeneratedFor(string generated, string className)
        => string.Join("\n", generated.Split("\n// ").Where(file => System.Text.RegularExpressions.Regex.IsMatch(file, @"partial class " + className + @"\b")));

    /// <summary>⟨∇f, v⟩ from the pullback against the tangent's J·v for the same direction: equal up to rounding for any v.</summary>
    static string? DotProductGap(OperationSample sample, Type type)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        TorchSharp.torch.manual_seed(StableHash.Of(sample.Name + "/dot"));
        var inputs = sample.Tensors.Select(t => TorchSharp.torch.randn(t.Shape, dtype: TorchSharp.torch.ScalarType.Float64)).ToArray();
        var directions = inputs.Select(x => TorchSharp.torch.randn_like(x)).ToArray();
        var gradient = inputs.Cast<object?>().Concat(new object?[inputs.Length]).ToArray();
        type.GetMethod("FWithGradient")!.Invoke(null, gradient);
        var transposed = 0.0;
        for (var i = 0; i < inputs.Length; i++)
            if (gradient[inputs.Length + i] is TorchSharp.torch.Tensor g) transposed += (g * directions[i]).sum().ToDouble();

        var tangent = inputs.Cast<object?>().Concat(directions).Append(null).ToArray();
        type.GetMethod("FTangent")!.Invoke(null, tangent);
        var forward = ((TorchSharp.torch.Tensor)tangent[^1]!).ToDouble();
        var gap = Math.Abs(forward - transposed);
        return gap <= 1e-11 * Math.Max(1, Math.Abs(forward)) ? null : $"⟨∇f, v⟩ = {transposed:R} but J·v = {forward:R}";
    }

    /// <summary>
    /// Rows sampled elsewhere, each against autograd: spellings whose arguments a sample expression cannot write plainly
    /// (spans, lists), and the rows the front end lowers layers into (dropout draws at random; max_pool2d's gather).
    /// </summary>
    static readonly HashSet<string> SampledElsewhere = new()
    {
        "Tensor.sum(ReadOnlySpan<long>, bool, ScalarType?)", "torch.sum(Tensor, ReadOnlySpan<long>, bool, ScalarType?)", "Tensor.amax(ReadOnlySpan<long>, bool, Tensor?)",
        "torch.amax(Tensor, ReadOnlySpan<long>, bool, Tensor?)", "Tensor.amin(ReadOnlySpan<long>, bool, Tensor?)", "torch.amin(Tensor, ReadOnlySpan<long>, bool, Tensor?)",
        "Tensor.sum(long, long, long, bool, ScalarType?)",
        "torch.cat(IList<Tensor>, long)", "torch.cat(ReadOnlySpan<Tensor>, long)", "torch.concat(IList<Tensor>, long)", "torch.concat(ReadOnlySpan<Tensor>, long)",
        "torch.concatenate(IList<Tensor>, long)", "torch.concatenate(ReadOnlySpan<Tensor>, long)",
        TensorRules.DropoutMaskDraw, TensorRules.DropoutProduct, TensorRules.MaxPool2dGather, TensorRules.TiesTangent,
    };

    [Fact]
    public void Every_row_with_a_derivative_and_every_alias_has_a_sample()
    {
        var covered = new HashSet<string>(OperationSamples.All.SelectMany(s => s.Covers));
        var rows = TensorRules.All.Where(r => r.HasAnyDerivative).Select(r => r.Key);
        var missing = rows.Concat(TensorRules.AliasTable.Keys).Where(k => !covered.Contains(k) && !SampledElsewhere.Contains(k)).ToList();
        Assert.True(missing.Count == 0, "rows without a sample: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_derived_row_has_a_tangent_rule_and_every_alias_a_row()
    {
        foreach (var row in TensorRules.All.Where(r => r.HasAnyDerivative))
            Assert.True(TensorTangentRules.TryGet(row.Key, out _), $"{row.Key} has a derivative but no tangent rule");
        foreach (var (alias, canonical) in TensorRules.AliasTable)
            Assert.True(TensorRules.TryGetRow(canonical, out var row) && row.Key == canonical, $"the alias {alias} names {canonical}, which is not a row");
    }
}
