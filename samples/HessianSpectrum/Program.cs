using HessianSpectrum;
using Leibniz.Curvature;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

// Trains an over-parametrised [Model] briefly, then measures the Hessian of its training loss with
// respect to all parameters: top eigenvalues (Lanczos), trace (Hutchinson), density (stochastic
// Lanczos quadrature). Writes a PNG and exits non-zero unless the spectrum shows a bulk near zero
// and about as many outliers as classes.
const int Classes = 5;
const int Dimension = 10;
const int PointsPerClass = 200;
const int Hidden = 32;
const int TrainingSteps = 150;

var output = Path.GetFullPath(args.Length > 0 ? args[0] : "hessian-spectrum.png");
var directory = Path.GetDirectoryName(output)!;
if (!Directory.Exists(directory))
{
    AnsiConsole.MarkupLine($"[red]the folder {Markup.Escape(directory)} does not exist[/]; pass a PNG path in an existing folder");
    return 2;
}

// Every tensor here is small (1000 × 32 at most): one thread avoids waking a second one for each of the
// many small operations, and keeps the run steady on a busy machine.
torch.set_num_threads(1);
torch.manual_seed(7);
var (points, labels) = GaussianMixture.Generate(Dimension, Classes, PointsPerClass, separation: 2.0, seed: 1);
using var model = new MixtureClassifier(Dimension, Hidden, Classes);
var parameterCount = model.parameters().Sum(p => p.numel());
AnsiConsole.MarkupLine($"[bold]Leibniz Hessian spectrum[/]: {parameterCount} parameters, {points.shape[0]} points in {Classes} classes");

LossHessian? hessian = null;
LanczosResult? top = null;
TraceEstimate? trace = null;
SpectralDensity? density = null;
AnsiConsole.Progress()
    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
    .Start(progress =>
    {
        var training = progress.AddTask("training", maxValue: TrainingSteps);
        using (var optimizer = optim.Adam(model.parameters(), lr: 0.01))
        {
            for (var step = 0; step < TrainingSteps; step++)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                // model.call runs Forward's generated backward inside TorchSharp's autograd.
                var loss = cross_entropy(model.call(points), labels);
                loss.backward();
                optimizer.step();
                training.Increment(1);
            }
        }

        // The spectrum in float64, so that the bulk's small eigenvalues are not rounding noise.
        model.to(ScalarType.Float64);
        hessian = new LossHessian(model, points.to(ScalarType.Float64), labels);

        var lanczosOptions = new LanczosOptions { Count = 2 * Classes };
        // The bar's length is the step limit; the run usually stops well before it.
        var lanczos = progress.AddTask("top eigenvalues (Lanczos)");
        top = Lanczos.Eigenpairs(hessian.Operator, lanczosOptions, new SynchronousProgress<LanczosProgress>(p =>
        {
            lanczos.MaxValue = p.MaxSteps;
            lanczos.Value = p.Step;
        }));
        lanczos.Value = lanczos.MaxValue;

        var traceOptions = new HutchinsonOptions { Probes = 100, Seed = 1 };
        var hutchinson = progress.AddTask("trace (Hutchinson)", maxValue: traceOptions.Probes);
        trace = Hutchinson.Trace(hessian.Operator, traceOptions, new SynchronousProgress<TraceProgress>(p => hutchinson.Value = p.Probe));

        var densityOptions = new SpectralDensityOptions { Runs = 10, Steps = 80, Seed = 2 };
        var quadrature = progress.AddTask("density (quadrature)", maxValue: densityOptions.Runs * densityOptions.Steps);
        density = StochasticLanczosQuadrature.Density(hessian.Operator, densityOptions, new SynchronousProgress<SpectralDensityProgress>(p =>
            quadrature.Value = (p.Run - 1) * p.Steps + p.Step));
        quadrature.Value = quadrature.MaxValue;
    });

using var topEigenpairs = top!;
double accuracy;
using (no_grad())
using (NewDisposeScope())
    accuracy = model.Forward(points.to(ScalarType.Float64)).argmax(1).eq(labels).to(ScalarType.Float64).mean().ToDouble();
AnsiConsole.MarkupLine($"trained {TrainingSteps} steps: training loss {hessian!.Loss():F4}, accuracy {accuracy:P1}");

try
{
    topEigenpairs.EnsureConverged();
}
catch (ConvergenceException error)
{
    AnsiConsole.MarkupLine($"[red]{Markup.Escape(error.Message)}[/]");
    return 1;
}

var findings = SpectrumFindings.From(Classes, topEigenpairs, density!, trace!);

var table = new Table().AddColumns("rank", "eigenvalue", "residual", "");
for (var i = 0; i < topEigenpairs.Eigenvalues.Count; i++)
    table.AddRow(
        (i + 1).ToString(),
        topEigenpairs.Eigenvalues[i].ToString("G5"),
        topEigenpairs.ResidualNorms[i].ToString("E1"),
        i < findings.Outliers ? "[red]outlier[/]" : i == findings.Outliers ? $"{findings.Gap:F1}× below the last outlier" : "");
AnsiConsole.Write(table);

var quadratureTrace = density!.Trace;
AnsiConsole.MarkupLine($"trace: {trace!.Value:G4} ± {trace.StandardError:G2} (Hutchinson, {trace.Samples.Count} probes); {quadratureTrace.Value:G4} ± {quadratureTrace.StandardError:G2} (quadrature, {density.Runs} runs)");
AnsiConsole.MarkupLine($"bulk: {findings.BulkMass:P1} of the eigenvalues within ±{findings.BulkHalfWidth:G3} of zero ({SpectrumFindings.BulkFraction:P0} of λ₁); smallest quadrature node {density.Minimum:G3}");
AnsiConsole.MarkupLine($"outliers: [bold]{findings.Outliers}[/] for {Classes} classes, carrying {findings.OutlierShareOfTrace:P0} of the trace");

SpectrumPlot.Save(output, density, topEigenpairs, findings);
AnsiConsole.MarkupLine($"wrote {Markup.Escape(output)}");

var failures = findings.Failures();
if (failures.Count > 0)
{
    foreach (var failure in failures)
        AnsiConsole.MarkupLine($"[red]spectrum check failed: {Markup.Escape(failure)}[/]");
    return 1;
}

AnsiConsole.MarkupLine($"[green]spectrum check passed[/]: a bulk near zero and {findings.Outliers} outliers for {Classes} classes, as Sagun et al. report");
return 0;

