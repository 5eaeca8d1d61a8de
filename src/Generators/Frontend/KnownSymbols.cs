using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Leibniz.Generators.Rules.Scalar;
using Microsoft.CodeAnalysis;

namespace Leibniz.Generators.Frontend;

/// <summary>
/// The types the front end recognises, resolved once per compilation and compared with
/// <see cref="SymbolEqualityComparer.Default"/>: a symbol comparison is exact where a display string is not (a user's own
/// <c>Leibniz.DifferentiableAttribute</c> in another assembly prints the same), and costs no formatting per attribute read.
/// A member is null when the compilation does not reference its assembly, or references it twice.
/// </summary>
internal sealed class KnownSymbols
{
    // Keyed by compilation and held only as long as it is: both hosts (the generator and the analyzer) reach the same
    // instance for the same compilation, and a compilation that is collected takes its entry with it.
    static readonly ConditionalWeakTable<Compilation, KnownSymbols> Cache = new();

    KnownSymbols(Compilation compilation)
    {
        DifferentiableAttribute = compilation.GetTypeByMetadataName(SymbolNames.DifferentiableAttribute);
        NoDerivativeAttribute = compilation.GetTypeByMetadataName(SymbolNames.NoDerivativeAttribute);
        DerivativeAttribute = compilation.GetTypeByMetadataName(SymbolNames.DerivativeAttribute);
        TangentAttribute = compilation.GetTypeByMetadataName(SymbolNames.TangentAttribute);
        ModelAttribute = compilation.GetTypeByMetadataName(SymbolNames.ModelAttribute);
        ParameterAttribute = compilation.GetTypeByMetadataName(SymbolNames.ParameterAttribute);
        BufferAttribute = compilation.GetTypeByMetadataName(SymbolNames.BufferAttribute);
        Derivatives = compilation.GetTypeByMetadataName(SymbolNames.Derivatives);
        ImplicitLayerAttribute = compilation.GetTypeByMetadataName(SymbolNames.ImplicitLayerAttribute);
        SolverAttribute = compilation.GetTypeByMetadataName(SymbolNames.SolverAttribute);
        OptimalityConditionAttribute = compilation.GetTypeByMetadataName(SymbolNames.OptimalityConditionAttribute);
        FixedPointAttribute = compilation.GetTypeByMetadataName(SymbolNames.FixedPointAttribute);
        ObjectiveAttribute = compilation.GetTypeByMetadataName(SymbolNames.ObjectiveAttribute);
        ModelModule = compilation.GetTypeByMetadataName(SymbolNames.ModelModule);
        Tensor = compilation.GetTypeByMetadataName(SymbolNames.Tensor);
        TorchParameter = compilation.GetTypeByMetadataName(SymbolNames.TorchParameter);
        Module = compilation.GetTypeByMetadataName(SymbolNames.Module);
        Torch = compilation.GetTypeByMetadataName(SymbolNames.Torch);
        Math = compilation.GetTypeByMetadataName(SymbolNames.Math);
        MathF = compilation.GetTypeByMetadataName(SymbolNames.MathF);
        MathClasses = ScalarRules.MathClasses.Select(compilation.GetTypeByMetadataName).OfType<INamedTypeSymbol>().ToImmutableArray();
    }

    /// <summary>The symbols of <paramref name="compilation"/>, resolved on first use.</summary>
    public static KnownSymbols For(Compilation compilation) => Cache.GetValue(compilation, static c => new KnownSymbols(c));

    public INamedTypeSymbol? DifferentiableAttribute { get; }

    /// <summary><c>[ImplicitLayer]</c>, on a class whose solution is differentiated implicitly.</summary>
    public INamedTypeSymbol? ImplicitLayerAttribute { get; }

    /// <summary><c>[Solver]</c>, the method of an implicit layer that computes its solution.</summary>
    public INamedTypeSymbol? SolverAttribute { get; }

    /// <summary><c>[OptimalityCondition]</c>: F(x, θ) = 0.</summary>
    public INamedTypeSymbol? OptimalityConditionAttribute { get; }

    /// <summary><c>[FixedPoint]</c>: T(x, θ) = x.</summary>
    public INamedTypeSymbol? FixedPointAttribute { get; }

    /// <summary><c>[Objective]</c>: x* = argmin f(x, θ).</summary>
    public INamedTypeSymbol? ObjectiveAttribute { get; }

    public INamedTypeSymbol? NoDerivativeAttribute { get; }

    public INamedTypeSymbol? DerivativeAttribute { get; }

    public INamedTypeSymbol? TangentAttribute { get; }

    public INamedTypeSymbol? ModelAttribute { get; }

    public INamedTypeSymbol? ParameterAttribute { get; }

    public INamedTypeSymbol? BufferAttribute { get; }

    /// <summary><c>Leibniz.Derivatives</c>, whose <c>NoDerivative(…)</c> marks what is not differentiated.</summary>
    public INamedTypeSymbol? Derivatives { get; }

    public INamedTypeSymbol? ModelModule { get; }

    public INamedTypeSymbol? Tensor { get; }

    /// <summary><c>TorchSharp.Modules.Parameter</c>.</summary>
    public INamedTypeSymbol? TorchParameter { get; }

    /// <summary><c>TorchSharp.torch.nn.Module</c>.</summary>
    public INamedTypeSymbol? Module { get; }

    /// <summary><c>TorchSharp.torch</c>.</summary>
    public INamedTypeSymbol? Torch { get; }

    /// <summary><c>System.Math</c>.</summary>
    public INamedTypeSymbol? Math { get; }

    /// <summary><c>System.MathF</c>.</summary>
    public INamedTypeSymbol? MathF { get; }

    /// <summary>The classes whose functions the scalar rule table covers (<see cref="ScalarRules.MathClasses"/>).</summary>
    public ImmutableArray<INamedTypeSymbol> MathClasses { get; }

    /// <summary>Whether <paramref name="type"/> is one of <see cref="MathClasses"/>.</summary>
    public bool IsMathClass(INamedTypeSymbol? type) => type is not null && MathClasses.Contains(type, SymbolEqualityComparer.Default);

    /// <summary>Whether <paramref name="symbol"/> carries <paramref name="attribute"/>; false when the attribute type is unknown.</summary>
    public static bool Has(ISymbol symbol, INamedTypeSymbol? attribute) => Find(symbol, attribute) is not null;

    /// <summary><paramref name="symbol"/>'s first <paramref name="attribute"/>, or null.</summary>
    public static AttributeData? Find(ISymbol symbol, INamedTypeSymbol? attribute)
        => attribute is null ? null : symbol.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute));
}
