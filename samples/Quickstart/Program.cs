using Quickstart;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

// Trains a [Model] to tell two spirals apart and exits non-zero below the accuracy bar.
const double AccuracyBar = 0.95;
const int Steps = 600;

torch.manual_seed(17);
var (trainPoints, trainLabels) = TwoSpirals.Generate(pointsPerClass: 500, noise: 0.03, seed: 1);
var (testPoints, testLabels) = TwoSpirals.Generate(pointsPerClass: 250, noise: 0.03, seed: 2);

using var model = new SpiralClassifier(inputs: 2, hidden: 64, classes: 2);
using var optimizer = optim.Adam(model.parameters(), lr: 0.01);
AnsiConsole.MarkupLine($"[bold]Leibniz quickstart[/]: {model.parameters().Sum(p => p.numel())} parameters, {trainPoints.shape[0]} training points");

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

            finalLoss = loss.item<float>();
            training.Description = $"training (loss {finalLoss:F4})";
            training.Increment(1);
        }
    });

model.eval();
double accuracy;
using (no_grad())
using (var scope = NewDisposeScope())
{
    var predicted = model.call(testPoints).argmax(1);
    accuracy = predicted.eq(testLabels).to(ScalarType.Float64).mean().item<double>();
}

AnsiConsole.MarkupLine($"final training loss {finalLoss:F4}; test accuracy [bold]{accuracy:P1}[/] (bar {AccuracyBar:P0})");
if (accuracy < AccuracyBar)
{
    AnsiConsole.MarkupLine("[red]accuracy is below the bar[/]");
    return 1;
}

return 0;
