using QuadraticProgrammingLayer;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

// Predict-then-optimise: learns the cost map of a quadratic program on the simplex from optimal allocations alone,
// differentiating the allocations through the program's optimality condition; compares it with a softmax head trained
// on the same loss, checks the implicit gradient against central differences, and exits 1 if the check fails or the
// layer does not learn.
const int Assets = 5, Features = 6, Steps = 300;
const double GradientCheckBar = 1e-5, LearningRate = 0.05;

// The problems are tiny: one thread avoids paying for synchronisation on a busy machine.
torch.set_num_threads(1);
torch.manual_seed(11);
using var task = new AllocationTask(Assets, Features, correlation: 0.4, seed: 3);
var (trainFeatures, trainAllocations) = task.Generate(count: 256, seed: 1);
var (testFeatures, testAllocations) = task.Generate(count: 512, seed: 2);

static Tensor DecisionLoss(Tensor allocations, Tensor targets) => (allocations - targets).square().sum(1).mean();

var support = testAllocations.gt(1e-9).sum(1).to(ScalarType.Float64).mean().item<double>();
AnsiConsole.MarkupLine($"[bold]Leibniz QP layer[/]: x*(c) = argmin ½xᵀQx + cᵀx on the simplex, c = W f; {Assets} assets, {Features} features, {trainFeatures.shape[0]} training and {testFeatures.shape[0]} test examples (optimal allocations hold {support:F2} assets on average)");

using var layerModel = new AllocationModel(task.Q, task.StepSize, Features);
using var layerOptimizer = optim.Adam(layerModel.parameters(), lr: LearningRate);

// The baseline sees the same features and the same supervision but no optimisation layer: x = softmax(V f + b).
var baselineWeights = nn.Parameter(randn(Assets, Features, dtype: ScalarType.Float64) * 0.01);
var baselineBias = nn.Parameter(zeros(Assets, dtype: ScalarType.Float64));
using var baselineOptimizer = optim.Adam(new[] { baselineWeights, baselineBias }, lr: LearningRate);
Tensor Baseline(Tensor features) => softmax(linear(features, baselineWeights, baselineBias), 1);

double initialTestLoss;
using (no_grad())
using (NewDisposeScope())
    initialTestLoss = DecisionLoss(layerModel.call(testFeatures), testAllocations).item<double>();

// Gradient check at the untrained weights, where the gradient is far from zero (training recovers the costs, and there
// it vanishes): the implicit gradient of the test loss for the cost weight it moves most, against central differences
// of the loss computed by the solver alone. Within fixed supports x* is affine in c, so the loss is quadratic in W and
// central differences are exact up to rounding and the solver's tolerance, whatever the step.
var w = layerModel.named_parameters().Single(p => p.name == "w").parameter;
layerOptimizer.zero_grad();
DecisionLoss(layerModel.call(testFeatures), testAllocations).backward();
var flat = w.grad!.abs().argmax().item<long>();
var (row, column) = (flat / Features, flat % Features);
var implicitGradient = w.grad![row, column].item<double>();
const double h = 1e-4;
double LossWith(double shift)
{
    using var noGrad = no_grad();
    using var scope = NewDisposeScope();
    var original = w[row, column].item<double>();
    w[row, column] = original + shift;
    var loss = DecisionLoss(layerModel.call(testFeatures), testAllocations).item<double>();
    w[row, column] = original;
    return loss;
}

var centralDifference = (LossWith(h) - LossWith(-h)) / (2 * h);
var gradientError = Math.Abs(implicitGradient - centralDifference) / Math.Abs(centralDifference);
var gradientCheckPassed = gradientError < GradientCheckBar;
AnsiConsole.MarkupLine($"gradient check on W[[{row},{column}]]: implicit {implicitGradient:E8}, central difference {centralDifference:E8}, relative error {gradientError:E2} (bar {GradientCheckBar:E0}) {(gradientCheckPassed ? "passed" : "[red]failed[/]")}");

double firstLayerLoss = 0, lastLayerLoss = 0, lastBaselineLoss = 0;
AnsiConsole.Progress()
    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
    .Start(progress =>
    {
        var layerTask = progress.AddTask("QP layer", maxValue: Steps);
        var baselineTask = progress.AddTask("softmax baseline", maxValue: Steps);
        for (var step = 0; step < Steps; step++)
        {
            using var scope = NewDisposeScope();
            layerOptimizer.zero_grad();
            var layerLoss = DecisionLoss(layerModel.call(trainFeatures), trainAllocations);
            layerLoss.backward();
            layerOptimizer.step();
            lastLayerLoss = layerLoss.item<double>();
            if (step == 0)
                firstLayerLoss = lastLayerLoss;

            baselineOptimizer.zero_grad();
            var baselineLoss = DecisionLoss(Baseline(trainFeatures), trainAllocations);
            baselineLoss.backward();
            baselineOptimizer.step();
            lastBaselineLoss = baselineLoss.item<double>();

            layerTask.Description = $"QP layer (loss {lastLayerLoss:E2})";
            layerTask.Increment(1);
            baselineTask.Description = $"softmax baseline (loss {lastBaselineLoss:E2})";
            baselineTask.Increment(1);
        }
    });

AnsiConsole.MarkupLine($"training decision loss after {Steps} Adam steps: QP layer {firstLayerLoss:E3} → {lastLayerLoss:E3}, softmax baseline {lastBaselineLoss:E3}");

double layerTestLoss, baselineTestLoss;
using (no_grad())
using (NewDisposeScope())
{
    layerTestLoss = DecisionLoss(layerModel.call(testFeatures), testAllocations).item<double>();
    baselineTestLoss = DecisionLoss(Baseline(testFeatures), testAllocations).item<double>();
}

AnsiConsole.MarkupLine($"held-out decision loss ‖x − x_true‖²: QP layer {layerTestLoss:E3} (initial {initialTestLoss:E3}), softmax baseline {baselineTestLoss:E3}");

var learned = layerTestLoss < 0.1 * initialTestLoss;
if (!learned)
    AnsiConsole.MarkupLine("[red]the QP layer's test loss did not fall tenfold[/]");
return gradientCheckPassed && learned ? 0 : 1;
