using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Leibniz.Generators.Common;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.Emit;
using Leibniz.Generators.Frontend;
using Leibniz.Generators.Frontend.Functions;
using Leibniz.Generators.IR;
using Leibniz.Generators.IR.Functions;
using Leibniz.Generators.Transforms;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Leibniz.Generators.Pipelines;

/// <summary>
/// <c>[Differentiable]</c> static methods → <c>…WithGradient</c> and <c>…Pullback</c>, one generated
/// file per containing type. Why a method cannot be differentiated is the analyzer's to report (it
/// runs the same front end); this pipeline emits what lowers and reports only its own failures.
/// </summary>
[Generator(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class DifferentiableGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var lowered = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                SymbolNames.DifferentiableAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (attributed, cancellationToken) => Lower(attributed, cancellationToken))
            .WithTrackingName(TrackingNames.DifferentiableFrontend);

        var differentiated = lowered
            .Select(static (lowering, _) => Differentiate(lowering))
            .WithTrackingName(TrackingNames.DifferentiableReverse);

        var byType = differentiated
            .Where(static result => result.Spec is not null)
            .Select(static (result, _) => result.Spec!)
            .Collect()
            .SelectMany(static (functions, _) => Group(functions))
            .WithTrackingName(TrackingNames.DifferentiableTypes);

        var failures = differentiated
            .Select(static (result, _) => result.Failures)
            .Where(static failures => failures.Count > 0);

        context.RegisterSourceOutput(byType, static (output, type) => Emit(output, type));
        context.RegisterSourceOutput(failures, static (output, diagnostics) =>
        {
            foreach (var diagnostic in diagnostics) output.ReportDiagnostic(diagnostic.ToDiagnostic());
        });
    }

    /// <summary>A lowered method, with where it lives; null <c>Function</c> when it does not lower.</summary>
    internal sealed record Lowering(TypeHierarchy? Hierarchy, FunctionSpec? Function, EquatableArray<DiagnosticInfo> Failures);

    /// <summary>A differentiated method, or the failure that stopped it.</summary>
    internal sealed record Differentiated(TypedFunction? Spec, EquatableArray<DiagnosticInfo> Failures);

    internal sealed record TypedFunction(TypeHierarchy Hierarchy, ReverseFunctionSpec Function);

    internal sealed record TypeFunctions(TypeHierarchy Hierarchy, EquatableArray<ReverseFunctionSpec> Functions);

    static Lowering Lower(GeneratorAttributeSyntaxContext attributed, CancellationToken cancellationToken)
    {
        var method = (IMethodSymbol)attributed.TargetSymbol;
        try
        {
            if (TypeHierarchyReader.ContainersAndSelf(method.ContainingType).Any(t => !IsPartial(t, cancellationToken)))
                return new Lowering(null, null, EquatableArray<DiagnosticInfo>.Empty);

            var result = FunctionLowering.Lower(method, (MethodDeclarationSyntax)attributed.TargetNode, attributed.SemanticModel, cancellationToken);
            return new Lowering(result.Spec is null ? null : TypeHierarchyReader.Read(method.ContainingType), result.Spec, EquatableArray<DiagnosticInfo>.Empty);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new Lowering(null, null, new[] { Failure(method, e) }.ToEquatableArray());
        }
    }

    static Differentiated Differentiate(Lowering lowering)
    {
        if (lowering.Function is null || lowering.Hierarchy is null) return new Differentiated(null, lowering.Failures);
        try
        {
            return new Differentiated(new TypedFunction(lowering.Hierarchy, ReverseMode.Differentiate(CommonSubexpressions.Eliminate(lowering.Function))), EquatableArray<DiagnosticInfo>.Empty);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failure = DiagnosticInfo.Create(DiagnosticDescriptors.GeneratorFailure, null, lowering.Function.Name, e.GetType().Name + ": " + e.Message);
            return new Differentiated(null, new[] { failure }.ToEquatableArray());
        }
    }

    static IEnumerable<TypeFunctions> Group(ImmutableArray<TypedFunction> functions)
        => functions
            .GroupBy(f => f.Hierarchy)
            .OrderBy(g => g.Key.HintName, StringComparer.Ordinal)
            .Select(g => new TypeFunctions(g.Key, g.Select(f => f.Function).OrderBy(f => f.Primal.Name, StringComparer.Ordinal).ToEquatableArray()));

    static void Emit(SourceProductionContext output, TypeFunctions type)
    {
        string source;
        try
        {
            source = FunctionEmitter.Emit(type.Hierarchy, type.Functions);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            output.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.GeneratorFailure, Location.None, type.Hierarchy.Type.NameWithTypeParameters, e.GetType().Name + ": " + e.Message));
            return;
        }

        var hint = type.Hierarchy.HintName.Substring(0, type.Hierarchy.HintName.Length - ".g.cs".Length) + ".Derivatives.g.cs";
        output.AddSource(hint, SourceText.From(source, System.Text.Encoding.UTF8));
    }

    static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
        => type.DeclaringSyntaxReferences.All(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
            && declaration.Modifiers.Any(Microsoft.CodeAnalysis.CSharp.SyntaxKind.PartialKeyword));

    static DiagnosticInfo Failure(IMethodSymbol method, Exception e)
        => DiagnosticInfo.Create(DiagnosticDescriptors.GeneratorFailure, method.Locations.FirstOrDefault(), method.Name, e.GetType().Name + ": " + e.Message);
}
