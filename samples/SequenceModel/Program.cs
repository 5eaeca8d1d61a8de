using SequenceModel;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

// Trains a GRU with a generated backward to tell whether token 1 outnumbers token 2 in padded sequences, and exits
// non-zero below the accuracy bar.
const double AccuracyBar = 0.90;
const int Steps = 400, Batch = 64, Length = 12, Vocabulary = 6;

torch.manual_seed(3);
var (trainTokens, trainLabels) = CountingTask.Generate(count: 2048, length: Length, vocabulary: Vocabulary, seed: 1);
var (testTokens, testLabels) = CountingTask.Generate(count: 512, length: Length, vocabulary: Vocabulary, seed: 2);

using var model = new GruClassifier(Vocabulary, embeddingWidth: 8, classes: 2);
using var optimizer = optim.Adam(model.parameters(), lr: 0.01);
AnsiConsole.MarkupLine($"[bold]Leibniz sequence model[/]: a GRU with {model.parameters().Sum(p => p.numel())} parameters, {trainTokens.shape[0]} training sequences of up to {Length} tokens");

var generator = new Random(4);
var finalLoss = 0.0;
AnsiConsole.Progress()
    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
    .Start(progress =>
    {
        var training = progress.AddTask("training", maxValue: Steps);
        for (var step = 0; step < Steps; step++)
        {
            using var scope = NewDisposeScope();
            var rows = tensor(Enumerable.Range(0, Batch).Select(_ => (long)generator.Next((int)trainTokens.shape[0])).ToArray());
            optimizer.zero_grad();
            var loss = cross_entropy(model.call(trainTokens.index_select(0, rows)), trainLabels.index_select(0, rows));
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
    accuracy = model.call(testTokens).argmax(1).eq(testLabels).to_type(ScalarType.Float32).mean().item<float>();

AnsiConsole.MarkupLine($"final training loss {finalLoss:F4}, test accuracy {accuracy * 100:F1} %");
if (accuracy < AccuracyBar)
{
    AnsiConsole.MarkupLine($"[red]below the {AccuracyBar * 100:F0} % bar[/]");
    return 1;
}

return 0;
