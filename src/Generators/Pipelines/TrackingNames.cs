namespace Leibniz.Generators.Pipelines;

/// <summary>Names of the incremental steps, so caching tests can ask whether each one was reused.</summary>
internal static class TrackingNames
{
    public const string ModelFrontend = nameof(ModelFrontend);
    public const string ModelSpecs = nameof(ModelSpecs);
    public const string ModelFailures = nameof(ModelFailures);
    public const string DifferentiableFrontend = nameof(DifferentiableFrontend);
    public const string DifferentiableReverse = nameof(DifferentiableReverse);
    public const string DifferentiableTypes = nameof(DifferentiableTypes);
    public const string ForwardFrontend = nameof(ForwardFrontend);
    public const string ForwardTangents = nameof(ForwardTangents);
    public const string ForwardTypes = nameof(ForwardTypes);
}
