namespace Leibniz.Generators.Frontend;

/// <summary>Metadata names of the types the front end recognises.</summary>
internal static class SymbolNames
{
    public const string ModelAttribute = "Leibniz.ModelAttribute";
    public const string ParameterAttribute = "Leibniz.ParameterAttribute";
    public const string BufferAttribute = "Leibniz.BufferAttribute";
    public const string ModelModule = "Leibniz.ModelModule`2";
    public const string DifferentiableAttribute = "Leibniz.DifferentiableAttribute";
    public const string NoDerivativeAttribute = "Leibniz.NoDerivativeAttribute";
    public const string DerivativeAttribute = "Leibniz.DerivativeAttribute";
    public const string TangentAttribute = "Leibniz.TangentAttribute";
    public const string Derivatives = "Leibniz.Derivatives";
    public const string ImplicitLayerAttribute = "Leibniz.ImplicitLayerAttribute";
    public const string SolverAttribute = "Leibniz.SolverAttribute";
    public const string OptimalityConditionAttribute = "Leibniz.OptimalityConditionAttribute";
    public const string FixedPointAttribute = "Leibniz.FixedPointAttribute";
    public const string ObjectiveAttribute = "Leibniz.ObjectiveAttribute";

    public const string Tensor = "TorchSharp.torch+Tensor";
    public const string TorchParameter = "TorchSharp.Modules.Parameter";
    public const string Module = "TorchSharp.torch+nn+Module";
    public const string Torch = "TorchSharp.torch";

    public const string Math = "System.Math";
    public const string MathF = "System.MathF";
}
