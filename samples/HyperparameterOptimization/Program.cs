using HyperparameterOptimization;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

// Learns the regularisation weight λ of ridge regression and of the lasso by gradient descent on the validation loss,
// the gradient taken through each solver by the implicit function theorem, and checks the answer against a grid search.
// Exits non-zero when the implicit gradient disagrees with finite differences or the learned λ falls short of the grid.
const int TrainRows = 30, ValidationRows = 135;
const int Steps = 60, ReportEvery = 10;
const double LearningRate = 0.25;
const double GradientCheckBar = 1e-6;
const double GridSlack = 0.05;

var (train, validation, test) = RegressionData.Load(TrainRows, ValidationRows);
AnsiConsole.MarkupLine($"[bold]Hyperparameter optimisation through implicit layers[/]: {train.X.shape[1]} features; " +
                       $"{train.Rows} training, {validation.Rows} validation, {test.Rows} test rows");
var failures = 0;

// ───────────────────────── ridge: the generated ValidationLosses.RidgeWithGradient ─────────────────────────

double RidgeLoss(Split part, double logLambda)
{
    using var scope = NewDisposeScope();
    var w = RidgeRegression.Solve(train.X, train.y, tensor(Math.Exp(logLambda), dtype: ScalarType.Float64));
    return (part.X.matmul(w) - part.y).square().mean().ToDouble();
}

double RidgeGradient(double logLambda)
{
    using var scope = NewDisposeScope();
    ValidationLosses.RidgeWithGradient(train.X, train.y, tensor(logLambda, dtype: ScalarType.Float64), validation.X, validation.y,
        out _, out _, out var dLogLambda, out _, out _);
    return dLogLambda!.ToDouble();
}

AnsiConsole.MarkupLine("\n[bold]Ridge[/]: λ learned by Adam on log λ, from λ = 1");
{
    // Central differences in log λ have error O(h²) from truncation and O(ε/h) from rounding; h = 1e-4 balances them near 1e-9.
    const double h = 1e-4;
    var implicitGradient = RidgeGradient(0);
    var central = (RidgeLoss(validation, h) - RidgeLoss(validation, -h)) / (2 * h);
    var error = Math.Abs(implicitGradient - central) / Math.Max(Math.Abs(central), 1e-12);
    var passed = error < GradientCheckBar;
    if (!passed) failures++;
    AnsiConsole.MarkupLine($"gradient check at λ = 1: implicit dL/dlogλ {implicitGradient:E8}, central difference {central:E8}, " +
                           $"relative error {error:E2} {(passed ? "[green]passed[/]" : "[red]FAILED[/]")}");
}

var ridgeLogLambda = 0.0;
var ridgeAdam = new ScalarAdam(LearningRate);
for (var step = 1; step <= Steps; step++)
{
    ridgeLogLambda = ridgeAdam.Step(ridgeLogLambda, RidgeGradient(ridgeLogLambda));
    if (step % ReportEvery == 0)
        AnsiConsole.MarkupLine($"step {step,3}: λ {Math.Exp(ridgeLogLambda),9:F4}  validation {RidgeLoss(validation, ridgeLogLambda):F4}  test {RidgeLoss(test, ridgeLogLambda):F4}");
}

var ridgeGrid = LogGrid(1e-3, 1e4, 141).Select(logLambda => (LogLambda: logLambda, Loss: RidgeLoss(validation, logLambda))).MinBy(p => p.Loss);
var ridgeLearned = RidgeLoss(validation, ridgeLogLambda);
failures += Compare("ridge", ridgeLogLambda, ridgeLearned, RidgeLoss(test, ridgeLogLambda), ridgeGrid.LogLambda, ridgeGrid.Loss, RidgeLoss(test, ridgeGrid.LogLambda), _ => null);
AnsiConsole.MarkupLine($"least squares (λ → 0) for reference: validation {RidgeLoss(validation, Math.Log(1e-9)):F4}, test {RidgeLoss(test, Math.Log(1e-9)):F4}");

// ───────────────────────── lasso: LassoRegression.Apply on TorchSharp's autograd ─────────────────────────

(double Validation, double Test, long Nonzeros) LassoLosses(double logLambda)
{
    using var scope = NewDisposeScope();
    var w = LassoRegression.Solve(train.X, train.y, tensor(Math.Exp(logLambda), dtype: ScalarType.Float64));
    double Loss(Split part) => (part.X.matmul(w) - part.y).square().mean().ToDouble();
    return (Loss(validation), Loss(test), w.count_nonzero().ToInt64());
}

AnsiConsole.MarkupLine("\n[bold]Lasso[/]: λ learned by Adam on log λ through autograd, from λ = 0.01 (FISTA to 1e-10)");
// A Parameter takes over the tensor it wraps, so the parameter itself is the variable.
var lassoLogLambda = new TorchSharp.Modules.Parameter(tensor(Math.Log(0.01), dtype: ScalarType.Float64));
using (var optimizer = optim.Adam(new[] { lassoLogLambda }, lr: LearningRate))
{
    for (var step = 1; step <= Steps; step++)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var w = LassoRegression.Apply(train.X, train.y, lassoLogLambda.exp());
        (validation.X.matmul(w) - validation.y).square().mean().backward();
        optimizer.step();
        if (step % ReportEvery == 0)
        {
            var (validationLoss, testLoss, nonzeros) = LassoLosses(lassoLogLambda.ToDouble());
            AnsiConsole.MarkupLine($"step {step,3}: λ {Math.Exp(lassoLogLambda.ToDouble()),9:F4}  validation {validationLoss:F4}  test {testLoss:F4}  nonzeros {nonzeros}");
        }
    }
}

var learnedLasso = lassoLogLambda.ToDouble();
var lassoGrid = LogGrid(1e-4, 3, 71).Select(logLambda => (LogLambda: logLambda, Losses: LassoLosses(logLambda))).MinBy(p => p.Losses.Validation);
var learnedLosses = LassoLosses(learnedLasso);
failures += Compare("lasso", learnedLasso, learnedLosses.Validation, learnedLosses.Test, lassoGrid.LogLambda, lassoGrid.Losses.Validation, lassoGrid.Losses.Test,
    logLambda => LassoLosses(logLambda).Nonzeros);

if (failures > 0)
{
    AnsiConsole.MarkupLine($"[red]{failures} check(s) failed[/]");
    return 1;
}

return 0;

// log λ at n points spaced evenly in log between two values of λ.
static IEnumerable<double> LogGrid(double from, double to, int points)
    => Enumerable.Range(0, points).Select(i => Math.Log(from) + i * (Math.Log(to) - Math.Log(from)) / (points - 1));

// Prints the learned λ beside the grid's best and says whether the learned one's validation loss is within the slack; 1 when it is not.
static int Compare(string model, double learnedLogLambda, double learnedValidation, double learnedTest,
    double gridLogLambda, double gridValidation, double gridTest, Func<double, long?> nonzeros)
{
    var table = new Table().AddColumns("", "λ", "validation loss", "test loss");
    var sparse = nonzeros(learnedLogLambda) is not null;
    if (sparse) table.AddColumn("nonzeros");
    string[] Row(string name, double logLambda, double validationLoss, double testLoss)
        => new[] { name, $"{Math.Exp(logLambda):G4}", $"{validationLoss:F4}", $"{testLoss:F4}" }
            .Concat(sparse ? new[] { $"{nonzeros(logLambda)}" } : Array.Empty<string>()).ToArray();
    table.AddRow(Row("learned", learnedLogLambda, learnedValidation, learnedTest));
    table.AddRow(Row("grid search", gridLogLambda, gridValidation, gridTest));
    AnsiConsole.Write(table);

    var ratio = learnedValidation / gridValidation;
    var passed = ratio <= 1 + GridSlack;
    AnsiConsole.MarkupLine($"{model}: learned validation loss {learnedValidation:F6}, grid best {gridValidation:F6}, ratio {ratio:F4} " +
                           (passed ? "[green]within[/]" : "[red]NOT within[/]") + $" {GridSlack:P0}");
    return passed ? 0 : 1;
}
