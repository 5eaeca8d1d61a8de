using System.Diagnostics;
using DeepEquilibrium;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

// Trains a deep-equilibrium classifier through its implicit backward, shows that backward's memory does not grow with
// depth while an unrolled one does, checks its gradient against central differences, and exits non-zero if any of
// the three falls short.
const double AccuracyBar = 0.95, ContractionBound = 0.9, GradientCheckBar = 1e-5, UnrolledAgreementBar = 1e-6;
const int Steps = 120, Hidden = 32;

// The matrices are small: one thread avoids paying for synchronisation on a busy machine.
torch.set_num_threads(1);
torch.manual_seed(5);
var (trainPoints, trainLabels) = ConcentricRings.Generate(pointsPerClass: 300, noise: 0.08, seed: 1);
var (testPoints, testLabels) = ConcentricRings.Generate(pointsPerClass: 250, noise: 0.08, seed: 2);

using var model = new EquilibriumClassifier(inputs: 2, hidden: Hidden, classes: 2);
using var optimizer = optim.Adam(model.parameters(), lr: 0.02);
AnsiConsole.MarkupLine($"[bold]Leibniz deep equilibrium[/]: z* = tanh(W z* + U x + b) with {Hidden} units, {model.parameters().Sum(p => p.numel())} parameters, {trainPoints.shape[0]} training points");

var finalLoss = 0.0;
AnsiConsole.Progress()
    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
    .Start(progress =>
    {
        var training = progress.AddTask("training", maxValue: Steps);
        for (var step = 0; step < Steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = cross_entropy(model.call(trainPoints), trainLabels);
            loss.backward();
            optimizer.step();
            model.Contract(ContractionBound);

            finalLoss = loss.item<double>();
            training.Description = $"training (loss {finalLoss:F4})";
            training.Increment(1);
        }
    });

double accuracy;
using (no_grad())
using (NewDisposeScope())
    accuracy = model.call(testPoints).argmax(1).eq(testLabels).to(ScalarType.Float64).mean().item<double>();
AnsiConsole.MarkupLine($"final training loss {finalLoss:F4}, test accuracy {accuracy * 100:F1} % (bar {AccuracyBar * 100:F0} %)");

// Memory in depth: what autograd keeps alive between the forward and the backward, measured as the growth of the
// process's resident memory over a batch large enough to dwarf the allocator's noise.
var (memoryPoints, memoryLabels) = ConcentricRings.Generate(pointsPerClass: 1024, noise: 0.08, seed: 3);
var parameters = model.parameters().ToArray();

(double Megabytes, Tensor[] Gradients) Measure(Func<Tensor> logits)
{
    using var scope = NewDisposeScope();
    optimizer.zero_grad();
    GC.Collect();
    GC.WaitForPendingFinalizers();
    ReleaseFreedMemory();
    var before = ResidentBytes();
    var loss = cross_entropy(logits(), memoryLabels);
    ReleaseFreedMemory();
    var kept = ResidentBytes() - before;
    loss.backward();
    var gradients = parameters.Select(p => p.grad!.clone().MoveToOuterDisposeScope()).ToArray();
    return (Math.Max(kept, 0) / 1048576.0, gradients);
}

// A first pass of each kind pays for one-time allocations (thread pools, kernel workspaces) outside the table.
Measure(() => model.call(memoryPoints));
Measure(() => model.Unrolled(memoryPoints, 2));

var table = new Table().AddColumns("backward", "iterations stored", "memory kept for backward");
var (implicitMegabytes, implicitGradients) = Measure(() => model.call(memoryPoints));
table.AddRow("implicit", "0", $"{implicitMegabytes:F1} MB");
Tensor[] unrolledGradients = [];
foreach (var depth in new[] { 10, 50, 200 })
{
    (var megabytes, unrolledGradients) = Measure(() => model.Unrolled(memoryPoints, depth));
    table.AddRow("unrolled", depth.ToString(), $"{megabytes:F1} MB");
}

AnsiConsole.MarkupLine($"memory of one backward over {memoryPoints.shape[0]} points:");
AnsiConsole.Write(table);
var difference = Math.Sqrt(implicitGradients.Zip(unrolledGradients, (a, b) => (a - b).square().sum().item<double>()).Sum());
var size = Math.Sqrt(implicitGradients.Sum(g => g.square().sum().item<double>()));
var agreement = difference / size;
AnsiConsole.MarkupLine($"implicit against unrolled 200 iterations: relative gradient difference {agreement:E2} (bar {UnrolledAgreementBar:E0})");

// Gradient check: the implicit gradient of the test loss for the recurrent weight it moves most, against central
// differences of the loss computed by the solver alone.
var w = model.named_parameters().Single(p => p.name == "w").parameter;
optimizer.zero_grad();
cross_entropy(model.call(testPoints), testLabels).backward();
var flat = w.grad!.abs().argmax().item<long>();
var (row, column) = (flat / Hidden, flat % Hidden);
var implicitGradient = w.grad![row, column].item<double>();
const double h = 1e-4;
double LossWith(double shift)
{
    using var noGrad = no_grad();
    using var scope = NewDisposeScope();
    var original = w[row, column].item<double>();
    w[row, column] = original + shift;
    var loss = cross_entropy(model.call(testPoints), testLabels).item<double>();
    w[row, column] = original;
    return loss;
}

var centralDifference = (LossWith(h) - LossWith(-h)) / (2 * h);
var gradientError = Math.Abs(implicitGradient - centralDifference) / Math.Abs(centralDifference);
var gradientCheckPassed = gradientError < GradientCheckBar;
AnsiConsole.MarkupLine($"gradient check on W[[{row},{column}]]: implicit {implicitGradient:E8}, central difference {centralDifference:E8}, relative error {gradientError:E2} (bar {GradientCheckBar:E0}) {(gradientCheckPassed ? "passed" : "[red]failed[/]")}");

if (accuracy < AccuracyBar)
    AnsiConsole.MarkupLine("[red]accuracy is below the bar[/]");
if (!(agreement < UnrolledAgreementBar))
    AnsiConsole.MarkupLine("[red]the implicit gradient disagrees with the unrolled one[/]");
return accuracy >= AccuracyBar && agreement < UnrolledAgreementBar && gradientCheckPassed ? 0 : 1;

// glibc keeps freed blocks mapped: returning them to the system before and after the forward leaves only what the
// forward still holds (for the implicit layer, not the solver's discarded iterates) in the difference.
static void ReleaseFreedMemory()
{
    if (OperatingSystem.IsLinux())
        malloc_trim(0);

    [System.Runtime.InteropServices.DllImport("libc")]
    static extern int malloc_trim(nuint pad);
}

static long ResidentBytes()
{
    using var process = Process.GetCurrentProcess();
    return process.WorkingSet64;
}
