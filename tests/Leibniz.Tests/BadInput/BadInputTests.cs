using System.Diagnostics;
using System.Reflection;

namespace Leibniz.Tests.BadInput;

/// <summary>
/// Each public generated member of a model, a tensor function and a scalar array function, fed each kind of bad
/// argument in a child process (tests/Leibniz.BadInput): every one must throw a managed exception of the right
/// type naming the argument — never reach libtorch, where an error inside a callback ends the process (exit 134).
/// </summary>
public sealed class BadInputTests
{
    static string Metadata(string key) => typeof(BadInputTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    sealed record Outcome(string Exception, string Argument, string Message);

    static readonly Lazy<Task<(int ExitCode, string Output, Dictionary<string, Outcome> Results)>> Run = new(RunChild);

    static async Task<(int, string, Dictionary<string, Outcome>)> RunChild()
    {
        var program = Path.Combine(Metadata("RepositoryRoot"), "tests", "Leibniz.BadInput", "bin", Metadata("Configuration"), "net10.0", "Leibniz.BadInput.dll");
        Assert.True(File.Exists(program), $"{program} was not built");
        var start = new ProcessStartInfo("dotnet", new[] { program })
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }

        var output = await stdout + await stderr;
        var results = new Dictionary<string, Outcome>();
        foreach (var line in output.Split('\n').Where(l => l.StartsWith("RESULT ", StringComparison.Ordinal)))
        {
            var parts = line["RESULT ".Length..].TrimEnd('\r').Split('|');
            results[parts[0]] = new Outcome(parts[1], parts[2], parts[3]);
        }
        return (process.ExitCode, output, results);
    }

    static string LastCaseStarted(string output)
        => output.Split('\n').LastOrDefault(l => l.StartsWith("CASE ", StringComparison.Ordinal))?.TrimEnd('\r') ?? "(none)";

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var member in new[] { "Pullback", "PullbackInto", "Backward", "Descend" })
        {
            data.Add($"model.{member}:seed-shape", nameof(ArgumentException), "seed");
            data.Add($"model.{member}:seed-dtype", nameof(ArgumentException), "seed");
            data.Add($"model.{member}:seed-disposed", nameof(ObjectDisposedException), "seed");
            data.Add($"model.{member}:seed-device", nameof(ArgumentException), "seed");
            data.Add($"model.{member}:scope-released", nameof(ObjectDisposedException), "x");
        }
        data.Add("model.PullbackInto:gradients-null", nameof(ArgumentNullException), "gradients");
        data.Add("model.ForwardWithPullback:x-null", nameof(ArgumentNullException), "x");
        data.Add("model.ForwardWithPullback:x-disposed", nameof(ObjectDisposedException), "x");
        data.Add("model.ForwardWithPullback:x-device", nameof(ArgumentException), "x");
        data.Add("model.forward:x-null", nameof(ArgumentNullException), "x");
        data.Add("model.forward:x-disposed", nameof(ObjectDisposedException), "x");
        data.Add("model.parameter-disposed", nameof(ObjectDisposedException), "w2");
        data.Add("model.backward:parameter-disposed", nameof(ObjectDisposedException), "w2");
        data.Add("Blend.Pullback:seed-shape", nameof(ArgumentException), "seed");
        data.Add("Blend.Pullback:seed-dtype", nameof(ArgumentException), "seed");
        data.Add("Blend.Pullback:seed-disposed", nameof(ObjectDisposedException), "seed");
        data.Add("Blend.Pullback:dx-shape", nameof(ArgumentException), "dx");
        data.Add("Blend.Pullback:dy-dtype", nameof(ArgumentException), "dy");
        data.Add("Blend.Pullback:dx-disposed", nameof(ObjectDisposedException), "dx");
        data.Add("Blend.Pullback:x-null", nameof(ArgumentNullException), "x");
        data.Add("Blend.Pullback:y-disposed", nameof(ObjectDisposedException), "y");
        data.Add("Blend.Pullback:y-device", nameof(ArgumentException), "y");
        data.Add("Blend.WithGradient:x-null", nameof(ArgumentNullException), "x");
        data.Add("Blend.WithGradient:y-disposed", nameof(ObjectDisposedException), "y");
        data.Add("Energy.Pullback:seed-shape", nameof(ArgumentException), "seed");
        data.Add("Energy.Pullback:seed-dtype", nameof(ArgumentException), "seed");
        data.Add("Energy.Pullback:dx-shape", nameof(ArgumentException), "dx");
        data.Add("Energy.WithGradient:x-disposed", nameof(ObjectDisposedException), "x");
        data.Add("Weighted.Pullback:dx-null", nameof(ArgumentNullException), "dx");
        data.Add("Weighted.Pullback:dx-short", nameof(ArgumentException), "dx");
        data.Add("Weighted.Pullback:x-null", nameof(ArgumentNullException), "x");
        data.Add("Weighted.WithGradient:dx-null", nameof(ArgumentNullException), "dx");
        data.Add("Weighted.WithGradient:dx-long", nameof(ArgumentException), "dx");
        data.Add("Weighted.WithGradient:x-null", nameof(ArgumentNullException), "x");
        data.Add("model.ForwardTangent:dx-shape", nameof(ArgumentException), "dx");
        data.Add("model.ForwardTangent:dw1-null", nameof(ArgumentNullException), "dw1");
        data.Add("model.ForwardTangent:db2-dtype", nameof(ArgumentException), "db2");
        data.Add("model.ForwardTangent:x-null", nameof(ArgumentNullException), "x");
        data.Add("model.ForwardJacobianVectorProduct:dw2-disposed", nameof(ObjectDisposedException), "dw2");
        data.Add("Blend.Tangent:dy-shape", nameof(ArgumentException), "dy");
        data.Add("Blend.JacobianVectorProduct:dx-null", nameof(ArgumentNullException), "dx");
        data.Add("Weighted.Tangent:dx-short", nameof(ArgumentException), "dx");
        data.Add("Weighted.Tangent:x-null", nameof(ArgumentNullException), "x");
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_argument_throws_a_managed_exception_naming_it(string name, string exception, string argument)
    {
        var (exitCode, output, results) = await Run.Value;
        Assert.True(results.ContainsKey(name),
            $"no result for {name}; the child exited with {exitCode}{(exitCode == 134 ? " (a native abort)" : "")} during {LastCaseStarted(output)}:\n{output}");
        var outcome = results[name];
        Assert.True(exception == outcome.Exception && argument == outcome.Argument,
            $"{name}: expected {exception} naming '{argument}', got {outcome.Exception} naming '{outcome.Argument}': {outcome.Message}");
        Assert.Contains(argument, outcome.Message);
    }

    [Fact]
    public async Task The_child_ran_every_case_and_exited_normally_and_good_arguments_throw_nothing()
    {
        var (exitCode, output, results) = await Run.Value;
        Assert.True(exitCode == 0, $"the child exited with {exitCode} during {LastCaseStarted(output)}:\n{output}");
        Assert.Contains("DONE", output);
        Assert.Equal("NONE", results["control:good-arguments"].Exception);
        // A looping model's tape survives the forward's dispose scope and gives autograd's gradient (checked in the child).
        var looped = results["control:looped-model-backward-after-the-scope"];
        Assert.True(looped.Exception == "NONE", looped.Exception + ": " + looped.Message);
        // Every case the child ran is checked by the theory above: none goes unasserted.
        var listed = Cases().Select(row => (string)row[0]).ToHashSet();
        Assert.DoesNotContain(results.Keys, k => !k.StartsWith("control:", StringComparison.Ordinal) && !listed.Contains(k));
    }

    [Fact]
    public async Task Messages_name_the_expected_and_the_actual_value()
    {
        var (_, _, results) = await Run.Value;
        Assert.Equal("seed has shape [3, 4] but the output of Forward has shape [3, 5]; pass a seed shaped like the output (or null for ones). (Parameter 'seed')",
            results["model.Pullback:seed-shape"].Message);
        Assert.StartsWith("seed has dtype Float32 but the output of Forward has dtype Float64", results["model.Descend:seed-dtype"].Message);
        Assert.StartsWith("seed has shape [3, 4] but the output of Energy has shape [] (a scalar)", results["Energy.Pullback:seed-shape"].Message);
        Assert.StartsWith("dx has length 1 but x has length 2", results["Weighted.Pullback:dx-short"].Message);
        Assert.StartsWith("y is on meta but x is on cpu", results["Blend.Pullback:y-device"].Message);
        Assert.Contains("keep", results["model.Backward:scope-released"].Message);
    }
}
