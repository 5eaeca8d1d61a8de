namespace Leibniz.Generators.Pipelines;

/// <summary>Names of the incremental steps, so caching tests can ask whether each one was reused.</summary>
internal static class TrackingNames
{
    public const string ModelFrontend = nameof(ModelFrontend);
    public const string ModelSpecs = nameof(ModelSpecs);
    public const string ModelFailures = nameof(ModelFailures);

    /// <summary>The one lowering of each <c>[Differentiable]</c> method: spec and the front end's failures.</summary>
    public const string DifferentiableFrontend = nameof(DifferentiableFrontend);
    public const string DifferentiableFrontendDiagnostics = nameof(DifferentiableFrontendDiagnostics);

    /// <summary>The lowered methods, location-free; every mode starts here.</summary>
    public const string DifferentiableMethods = nameof(DifferentiableMethods);
    public const string DifferentiableReverse = nameof(DifferentiableReverse);
    public const string DifferentiableReverseSpecs = nameof(DifferentiableReverseSpecs);
    public const string DifferentiableReverseFailures = nameof(DifferentiableReverseFailures);
    public const string DifferentiableTypes = nameof(DifferentiableTypes);
    public const string DifferentiablePendingDiagnostics = nameof(DifferentiablePendingDiagnostics);
    public const string DifferentiableReverseCollected = nameof(DifferentiableReverseCollected);
    public const string DifferentiableReverseFailuresCollected = nameof(DifferentiableReverseFailuresCollected);
    public const string DifferentiableFailuresCombined = nameof(DifferentiableFailuresCombined);

    /// <summary>The step that joins pending diagnostics with the compilation (holds one, so runs on every edit) and the one placing them.</summary>
    public const string DifferentiableCompilation = nameof(DifferentiableCompilation);
    public const string DifferentiableTransformDiagnostics = nameof(DifferentiableTransformDiagnostics);
    public const string ForwardRequests = nameof(ForwardRequests);
    public const string ForwardTangents = nameof(ForwardTangents);
    public const string ForwardCollected = nameof(ForwardCollected);
    public const string ForwardResolved = nameof(ForwardResolved);
    public const string ForwardTypes = nameof(ForwardTypes);
    public const string ForwardFailures = nameof(ForwardFailures);

    /// <summary>Each <c>[ImplicitLayer]</c> read once per edit: its spec and its condition, lowered as a differentiable method.</summary>
    public const string ImplicitLayerFrontend = nameof(ImplicitLayerFrontend);
    public const string ImplicitConditions = nameof(ImplicitConditions);
    public const string OwnDifferentiableMethods = nameof(OwnDifferentiableMethods);
    public const string DifferentiableMethodsCollected = nameof(DifferentiableMethodsCollected);
    public const string ImplicitLayerSpecs = nameof(ImplicitLayerSpecs);
    public const string GeneratedDerivatives = nameof(GeneratedDerivatives);
    public const string ImplicitLayerOutputs = nameof(ImplicitLayerOutputs);
}
