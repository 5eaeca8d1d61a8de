using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.Frontend;
using Leibniz.Generators.Frontend.Functions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Leibniz.Generators.Pipelines;

public sealed partial class DifferentiableGenerator
{
    static Lowering Lower(GeneratorAttributeSyntaxContext attributed, CancellationToken cancellationToken)
    {
        var method = (IMethodSymbol)attributed.TargetSymbol;
        try
        {
            var lowered = LowerMethod(method, (MethodDeclarationSyntax)attributed.TargetNode, attributed.SemanticModel, cancellationToken);
            return new Lowering(lowered, ImmutableArray<Diagnostic>.Empty);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failure = Diagnostic.Create(DiagnosticDescriptors.GeneratorFailure, method.Locations.FirstOrDefault(), method.Name, e.GetType().Name + ": " + e.Message);
            return new Lowering(null, ImmutableArray.Create(failure));
        }
    }

    /// <summary>
    /// <paramref name="method"/> lowered for every mode it asks for, or null when it cannot be (the analyzer says why) or
    /// a type around it is not partial.
    /// </summary>
    static DifferentiableMethod? LowerMethod(IMethodSymbol method, MethodDeclarationSyntax declaration, SemanticModel model, CancellationToken cancellationToken)
    {
        if (TypeHierarchyReader.ContainersAndSelf(method.ContainingType).Any(t => !IsPartial(t, cancellationToken))) return null;

        var result = LoweredFunctionChecks.Apply(FunctionLowering.Lower(method, declaration, model, cancellationToken));
        if (result.Spec is null) return null;

        var modes = ForwardModeChecks.ModesOf(method, KnownSymbols.For(model.Compilation));
        return new DifferentiableMethod(
            TypeHierarchyReader.Read(method.ContainingType),
            method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            DocumentationCommentId.CreateDeclarationId(method),
            result.Spec,
            Forward: (modes & ForwardModeChecks.Forward) != 0,
            HessianVectorProduct: (modes & ForwardModeChecks.HessianVectorProduct) == ForwardModeChecks.HessianVectorProduct,
            ForwardBlocked: result.Diagnostics.Any(d => d.Descriptor == DiagnosticDescriptors.ForwardModeUnavailable));
    }

    /// <summary>
    /// The diagnostics of the transforms, each at its method in <paramref name="compilation"/>'s own syntax tree: a
    /// location there, unlike one naming only a file, is one <c>#pragma warning disable</c> and the IDE both honour.
    /// </summary>
    static ImmutableArray<Diagnostic> Place(Common.EquatableArray<MethodDiagnostic> pending, Compilation compilation, CancellationToken cancellationToken)
    {
        if (pending.Count == 0) return ImmutableArray<Diagnostic>.Empty;
        var placed = ImmutableArray.CreateBuilder<Diagnostic>(pending.Count);
        foreach (var diagnostic in pending)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var symbol = DocumentationCommentId.GetFirstSymbolForDeclarationId(diagnostic.DeclarationId, compilation);
            var location = symbol?.Locations.FirstOrDefault(l => l.IsInSource) ?? Location.None;
            placed.Add(Diagnostic.Create(diagnostic.Descriptor, location, diagnostic.MessageArgs.Cast<object>().ToArray()));
        }

        return placed.MoveToImmutable();
    }

    static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
        => type.DeclaringSyntaxReferences.All(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
            && declaration.Modifiers.Any(Microsoft.CodeAnalysis.CSharp.SyntaxKind.PartialKeyword));
}
