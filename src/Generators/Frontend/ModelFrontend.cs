using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Leibniz.Generators.Common;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.IR;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Leibniz.Generators.Frontend;

/// <summary>
/// Lowers a <c>[Model]</c> class to a <see cref="ModelSpec"/>, or says why it cannot. The generator
/// emits from the spec; the analyzer reports the diagnostics — one front end, two hosts.
/// </summary>
internal static class ModelFrontend
{
    const string ForwardMethod = "Forward";
    const string TorchForwardMethod = "forward";

    static readonly SymbolDisplayFormat QualifiedType = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static FrontendResult<ModelSpec> Lower(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var known = KnownSymbols.For(compilation);

        if (type.IsStatic)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModelMustBeInstantiable, type.Locations.FirstOrDefault(), type.Name));

        var notPartial = NonPartialDeclaration(type, cancellationToken);
        if (notPartial is not null)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModelMustBePartial, notPartial.Identifier.GetLocation(), type.Name));

        // A non-partial container blocks generation too, but CheckContainer reports it, on the container.
        var containerNotPartial = TypeHierarchyReader.ContainersAndSelf(type)
            .Any(t => !SymbolEqualityComparer.Default.Equals(t, type) && NonPartialDeclaration(t, cancellationToken) is not null);

        var baseType = type.BaseType;
        if (baseType is not null
            && baseType.SpecialType != SpecialType.System_Object
            && !SymbolEqualityComparer.Default.Equals(baseType.OriginalDefinition, known.ModelModule))
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.ModelCannotHaveBaseClass,
                BaseTypeLocation(type, cancellationToken) ?? type.Locations.FirstOrDefault(),
                type.Name,
                baseType.ToDisplayString()));
        }

        var forward = FindForward(type, diagnostics);
        var components = ReadComponents(type, known, diagnostics, cancellationToken);

        var result = diagnostics.ToEquatableArray();
        if (forward is null || containerNotPartial || diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error))
            return new FrontendResult<ModelSpec>(null, result);

        var spec = new ModelSpec(
            TypeHierarchyReader.Read(type),
            forward.Parameters[0].Type.ToDisplayString(QualifiedType),
            forward.ReturnType.ToDisplayString(QualifiedType),
            forward.Parameters[0].Name,
            EmitsForward: !DeclaresTorchForward(type),
            components)
        {
            ForwardIsDifferentiable = KnownSymbols.Has(forward, known.DifferentiableAttribute),
        };
        return new FrontendResult<ModelSpec>(spec, result);
    }

    /// <summary>LZ0006 for a <c>[Parameter]</c>/<c>[Buffer]</c> field whose class is not a model.</summary>
    public static DiagnosticInfo? CheckStrayComponent(IFieldSymbol field, KnownSymbols known)
    {
        var attribute = ComponentAttributeName(field, known);
        if (attribute is null || KnownSymbols.Has(field.ContainingType, known.ModelAttribute)) return null;
        return DiagnosticInfo.Create(DiagnosticDescriptors.ComponentOutsideModel, field.Locations.FirstOrDefault(), attribute, field.Name, field.ContainingType.Name);
    }

    /// <summary>
    /// LZ0001 for a type that is not itself a model but holds a <c>[Model]</c> class at any depth and is
    /// not partial. It is reported from the container's own symbol, not from the model's: a diagnostic
    /// outside the analysed symbol's declaration is non-local, which the IDE neither shows while typing
    /// nor offers a fix for, and a container of several models would be reported once per model.
    /// </summary>
    public static DiagnosticInfo? CheckContainer(INamedTypeSymbol type, KnownSymbols known, CancellationToken cancellationToken)
    {
        if (KnownSymbols.Has(type, known.ModelAttribute) || !ContainsModel(type, known)) return null;
        var notPartial = NonPartialDeclaration(type, cancellationToken);
        return notPartial is null ? null
            : DiagnosticInfo.Create(DiagnosticDescriptors.ModelMustBePartial, notPartial.Identifier.GetLocation(), type.Name);
    }

    static bool ContainsModel(INamedTypeSymbol type, KnownSymbols known)
        => type.GetTypeMembers().Any(nested => KnownSymbols.Has(nested, known.ModelAttribute) || ContainsModel(nested, known));

    static TypeDeclarationSyntax? NonPartialDeclaration(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
                && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                return declaration;
        }

        return null;
    }

    static Location? BaseTypeLocation(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax { BaseList: { } baseList })
                return baseList.Types[0].GetLocation();
        }

        return null;
    }

    static IMethodSymbol? FindForward(INamedTypeSymbol type, List<DiagnosticInfo> diagnostics)
    {
        var candidates = type.GetMembers(ForwardMethod).OfType<IMethodSymbol>()
            .Where(m => m.MethodKind == MethodKind.Ordinary && !m.IsStatic)
            .ToList();

        string? problem = candidates.Count switch
        {
            0 => "has no instance method 'Forward'",
            > 1 => $"has {candidates.Count} overloads of 'Forward'",
            _ when candidates[0].Parameters.Length != 1 => $"has a 'Forward' that takes {candidates[0].Parameters.Length} parameters",
            _ when candidates[0].IsGenericMethod => "has a generic 'Forward'",
            _ when candidates[0].ReturnsVoid => "has a 'Forward' that returns void",
            _ when candidates[0].Parameters[0].RefKind != RefKind.None => "has a 'Forward' whose input is passed by reference",
            _ => null,
        };

        if (problem is null) return candidates[0];

        var location = candidates.FirstOrDefault()?.Locations.FirstOrDefault() ?? type.Locations.FirstOrDefault();
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModelNeedsForward, location, type.Name, problem));
        return null;
    }

    /// <summary>Whether the user wrote <c>forward</c> on <paramref name="type"/>, so the generator emits none (and <c>call</c> runs the user's).</summary>
    internal static bool DeclaresTorchForward(INamedTypeSymbol type)
        => type.GetMembers(TorchForwardMethod).OfType<IMethodSymbol>()
            .Any(m => m.MethodKind == MethodKind.Ordinary && !m.IsImplicitlyDeclared && m.Parameters.Length == 1
                      && m.DeclaringSyntaxReferences.Any(r => !IsGeneratedByLeibniz(r.SyntaxTree)));

    // The analyzer sees the generator's own output in the compilation; that forward() is ours, not the user's.
    static bool IsGeneratedByLeibniz(SyntaxTree tree)
        => tree.FilePath.Contains(GeneratorTypeName);

    const string GeneratorTypeName = "Leibniz.Generators.Pipelines.ModelGenerator";

    static EquatableArray<ComponentSpec> ReadComponents(INamedTypeSymbol type, KnownSymbols known, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var components = new List<ComponentSpec>();
        foreach (var field in type.GetMembers().OfType<IFieldSymbol>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (field.IsImplicitlyDeclared) continue;

            var attribute = ComponentAttributeName(field, known);
            if (attribute is null)
            {
                if (!field.IsStatic && !field.IsConst && IsModule(field.Type, known))
                    components.Add(new ComponentSpec(ComponentKind.Module, field.Name, Persistent: true));
                continue;
            }

            var isParameter = attribute == "Parameter";
            var isTensor = SymbolEqualityComparer.Default.Equals(field.Type, known.Tensor);
            var isTorchParameter = SymbolEqualityComparer.Default.Equals(field.Type, known.TorchParameter);
            var typeAllowed = isTensor || (isParameter && isTorchParameter);

            if (!typeAllowed || field.IsStatic || field.IsReadOnly || field.IsConst)
            {
                var actual = !typeAllowed ? $"of type '{field.Type.ToDisplayString()}'"
                    : field.IsConst ? "const"
                    : field.IsStatic ? "static"
                    : "readonly (registration stores the Parameter or the moved tensor back into it)";
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.ComponentMustBeTensorField,
                    field.Locations.FirstOrDefault(),
                    attribute,
                    field.Name,
                    isParameter ? " (or Parameter)" : "",
                    actual));
                continue;
            }

            var kind = !isParameter ? ComponentKind.Buffer
                : isTorchParameter ? ComponentKind.Parameter
                : ComponentKind.TensorParameter;
            components.Add(new ComponentSpec(kind, field.Name, Persistent: kind != ComponentKind.Buffer || IsPersistent(field, known)));
        }

        return components.ToEquatableArray();
    }

    static string? ComponentAttributeName(IFieldSymbol field, KnownSymbols known)
    {
        if (KnownSymbols.Has(field, known.ParameterAttribute)) return "Parameter";
        if (KnownSymbols.Has(field, known.BufferAttribute)) return "Buffer";
        return null;
    }

    static bool IsPersistent(IFieldSymbol field, KnownSymbols known)
    {
        var buffer = KnownSymbols.Find(field, known.BufferAttribute)!;
        foreach (var argument in buffer.NamedArguments)
        {
            if (argument.Key == "Persistent" && argument.Value.Value is bool persistent) return persistent;
        }

        return true;
    }

    /// <summary>
    /// A TorchSharp module, or a <c>[Model]</c> class: the generator sees models without their
    /// generated base class, so the attribute is what marks them as modules.
    /// </summary>
    static bool IsModule(ITypeSymbol type, KnownSymbols known)
    {
        for (var t = type as INamedTypeSymbol; t is not null; t = t.BaseType)
        {
            if (known.Module is not null && SymbolEqualityComparer.Default.Equals(t, known.Module)) return true;
            if (KnownSymbols.Has(t, known.ModelAttribute)) return true;
        }

        return false;
    }
}
