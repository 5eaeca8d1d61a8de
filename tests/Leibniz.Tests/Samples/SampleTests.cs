using System.Diagnostics;
using System.Reflection;

namespace Leibniz.Tests.Samples;

public sealed class SampleTests
{
    static string Metadata(string key) => typeof(SampleTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    /// <summary>Runs a built sample as a user would, for at most a minute; returns its exit code and everything it printed.</summary>
    static async Task<(int ExitCode, string Output)> RunSample(string name, params string[] arguments)
    {
        var program = Path.Combine(Metadata("RepositoryRoot"), "samples", name, "bin", Metadata("Configuration"), "net10.0", name + ".dll");
        Assert.True(File.Exists(program), $"{program} was not built");

        var start = new ProcessStartInfo("dotnet", new[] { program }.Concat(arguments))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var finished = true;
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            finished = false;
            process.Kill(entireProcessTree: true);
        }

        var output = await stdout + await stderr;
        Assert.True(finished, $"the {name} sample ran for more than a minute:\n" + output);
        return (process.ExitCode, output);
    }

    [Fact]
    public async Task Quickstart_trains_above_its_accuracy_bar_within_a_minute()
    {
        var (exitCode, output) = await RunSample("Quickstart");

        Assert.True(exitCode == 0, $"the quickstart exited with {exitCode}:\n{output}");
        AssertAccuracyAtLeast(95, output);
    }

    [Fact]
    public async Task SequenceModel_trains_its_GRU_above_its_accuracy_bar_within_a_minute()
    {
        var (exitCode, output) = await RunSample("SequenceModel");

        Assert.True(exitCode == 0, $"the sequence sample exited with {exitCode}:\n{output}");
        AssertAccuracyAtLeast(90, output);
    }

    /// <summary>The "test accuracy N %" line a training sample prints, at least <paramref name="percent"/>.</summary>
    static void AssertAccuracyAtLeast(double percent, string output)
    {
        var accuracy = System.Text.RegularExpressions.Regex.Match(output, @"test accuracy (\d+(?:[.,]\d+)?)\s*%");
        Assert.True(accuracy.Success, "no accuracy line in:\n" + output);
        Assert.True(double.Parse(accuracy.Groups[1].Value.Replace(',', '.'), System.Globalization.CultureInfo.InvariantCulture) >= percent, output);
    }

    [Fact]
    public async Task HessianSpectrum_finds_a_bulk_and_about_as_many_outliers_as_classes_and_draws_them_within_a_minute()
    {
        var figure = Path.Combine(Path.GetTempPath(), $"leibniz-hessian-spectrum-{Guid.NewGuid():N}.png");
        try
        {
            var (exitCode, output) = await RunSample("HessianSpectrum", figure);

            Assert.True(exitCode == 0, $"the Hessian spectrum sample exited with {exitCode}:\n{output}");
            // Spectre.Console wraps lines at the width of a redirected console.
            var text = System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " ");
            Assert.Contains("spectrum check passed", text);
            var outliers = System.Text.RegularExpressions.Regex.Match(text, @"outliers: (\d+) for (\d+) classes");
            Assert.True(outliers.Success, "no outlier line in:\n" + output);
            var (count, classes) = (int.Parse(outliers.Groups[1].Value), int.Parse(outliers.Groups[2].Value));
            Assert.InRange(count, classes - 1, classes);

            var png = File.ReadAllBytes(figure);
            Assert.True(png.Length > 10_000, $"the figure has only {png.Length} bytes");
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        }
        finally
        {
            File.Delete(figure);
        }
    }

    [Fact]
    public async Task HessianSpectrum_refuses_an_output_folder_that_does_not_exist()
    {
        var (exitCode, output) = await RunSample("HessianSpectrum", Path.Combine(Path.GetTempPath(), $"leibniz-missing-{Guid.NewGuid():N}", "figure.png"));

        Assert.Equal(2, exitCode);
        Assert.Contains("does not exist", System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " "));
    }

    [Fact]
    public async Task HyperparameterOptimization_learns_lambdas_as_good_as_a_grid_search_with_a_gradient_that_matches_finite_differences()
    {
        var (exitCode, output) = await RunSample("HyperparameterOptimization");

        Assert.True(exitCode == 0, $"the hyperparameter sample exited with {exitCode}:\n{output}");
        // Spectre.Console wraps lines at the width of a redirected console.
        var text = System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " ");
        static double Number(string value) => double.Parse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);

        var check = System.Text.RegularExpressions.Regex.Match(text, @"implicit dL/dlogλ (\S+), central difference (\S+), relative error (\S+) passed");
        Assert.True(check.Success, "no passing gradient check in:\n" + output);
        var (implicitGradient, central) = (Number(check.Groups[1].Value), Number(check.Groups[2].Value));
        Assert.True(implicitGradient != 0 && Math.Abs(implicitGradient - central) <= 1e-6 * Math.Abs(central), output);

        foreach (var model in new[] { "ridge", "lasso" })
        {
            var comparison = System.Text.RegularExpressions.Regex.Match(text, model + @": learned validation loss (\S+), grid best (\S+),");
            Assert.True(comparison.Success, $"no {model} comparison in:\n" + output);
            var (learned, grid) = (Number(comparison.Groups[1].Value), Number(comparison.Groups[2].Value));
            Assert.True(learned <= 1.05 * grid, $"{model}: learned λ's validation loss {learned} against the grid's best {grid}\n{output}");
        }

        var steps = System.Text.RegularExpressions.Regex.Matches(text, @"nonzeros (\d+)");
        Assert.NotEmpty(steps);
        Assert.All(steps, s => Assert.InRange(int.Parse(s.Groups[1].Value), 1, 10));
    }

    [Fact]
    public async Task DeepEquilibrium_trains_above_its_accuracy_bar_and_its_implicit_gradient_passes_its_checks_within_a_minute()
    {
        var (exitCode, output) = await RunSample("DeepEquilibrium");

        Assert.True(exitCode == 0, $"the deep-equilibrium sample exited with {exitCode}:\n{output}");
        AssertAccuracyAtLeast(95, output);
        // Spectre.Console wraps lines at the width of a redirected console.
        var text = System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " ");
        var check = System.Text.RegularExpressions.Regex.Match(text, @"gradient check on W\[\d+,\d+\]: .*?relative error (\S+) \(bar 1E-005\) passed");
        Assert.True(check.Success, "no passed gradient check in:\n" + output);
        Assert.True(double.Parse(check.Groups[1].Value.Replace(',', '.'), System.Globalization.CultureInfo.InvariantCulture) < 1e-5, output);
        var unrolled = System.Text.RegularExpressions.Regex.Match(text, @"relative gradient difference (\S+)");
        Assert.True(unrolled.Success, "no comparison with the unrolled gradient in:\n" + output);
        Assert.True(double.Parse(unrolled.Groups[1].Value.Replace(',', '.'), System.Globalization.CultureInfo.InvariantCulture) < 1e-6, output);
    }

    [Fact]
    public async Task QuadraticProgrammingLayer_learns_its_costs_from_allocations_and_its_implicit_gradient_matches_central_differences()
    {
        var (exitCode, output) = await RunSample("QuadraticProgrammingLayer");

        Assert.True(exitCode == 0, $"the QP-layer sample exited with {exitCode}:\n{output}");
        // Spectre.Console wraps lines at the width of a redirected console.
        var text = System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " ");
        static double Number(string value) => double.Parse(value.Replace(',', '.'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);

        var check = System.Text.RegularExpressions.Regex.Match(text, @"gradient check on W\[\d+,\d+\]: implicit (\S+), central difference (\S+), relative error (\S+) \(bar 1E-005\) passed");
        Assert.True(check.Success, "no passed gradient check in:\n" + output);
        Assert.True(Number(check.Groups[1].Value) != 0 && Number(check.Groups[3].Value) < 1e-5, output);

        var losses = System.Text.RegularExpressions.Regex.Match(text, @"held-out decision loss [^:]*: QP layer (\S+) \(initial (\S+)\), softmax baseline (\S+)");
        Assert.True(losses.Success, "no held-out losses in:\n" + output);
        var (trained, initial) = (Number(losses.Groups[1].Value), Number(losses.Groups[2].Value));
        Assert.True(trained < 0.01 * initial, $"the QP layer's test loss fell from {initial} only to {trained}\n{output}");
    }
}
