namespace HyperparameterOptimization;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) for one number. Its steps are about the learning rate whatever the gradient's scale, which
/// the units of the targets would otherwise set, so one learning rate suits any data set.
/// </summary>
sealed class ScalarAdam(double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
{
    double _mean, _square;
    int _steps;

    public double Step(double value, double gradient)
    {
        _steps++;
        _mean = beta1 * _mean + (1 - beta1) * gradient;
        _square = beta2 * _square + (1 - beta2) * gradient * gradient;
        var mean = _mean / (1 - Math.Pow(beta1, _steps));
        var square = _square / (1 - Math.Pow(beta2, _steps));
        return value - learningRate * mean / (Math.Sqrt(square) + epsilon);
    }
}
