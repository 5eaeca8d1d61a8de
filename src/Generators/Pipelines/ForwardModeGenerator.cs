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
/// <c>[Differentiable(Modes = …Forward / …HessianVectorProduct)]</c> static methods → <c>…Tangent</c>,
/// <c>…JacobianVectorProduct</c> and <c>…HessianVectorProduct</c>, one generated file per containing type beside the
/// reverse-mode one. Forward mode is opt-in: it adds a transform (and, for Hessian–vector products, a second reverse
/// sweep) per method, which most users of gradients never need. What forward mode cannot follow in a method's own
/// body the shared front end reports as LZ0109 (the analyzer shows it); a method is then left without forward
/// mode, and so is every method whose tangent would call it, which this pipeline reports, since only it sees them all.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ForwardModeGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var requested = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                SymbolNames.DifferentiableAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (attributed, cancellationToken) => Lower(attributed, cancellationToken))
            .Where(static request => request is not null)
            .Select(static (request, _) => request!)
            .WithTrackingName(TrackingNames.ForwardFrontend);

        var differentiated = requested
            .Select(static (request, _) => Differentiate(request))
            .WithTrackingName(TrackingNames.ForwardTangents);

        var resolved = differentiated.Collect().Select(static (all, _) => Resolve(all));
        var byType = resolved.SelectMany(static (result, _) => result.Types).WithTrackingName(TrackingNames.ForwardTypes);

        // Locations change with every edit above a method, so they stay out of the cached models and join only here.
        var locations = requested.Select(static (request, _) => new Located(request.Owner + "." + (request.Function?.Name ?? ""), request.Location)).Collect();
        var failures = resolved.Combine(locations).Select(static (pair, _) => Failures(pair.Left, pair.Right));

        context.RegisterSourceOutput(byType, static (output, type) => Emit(output, type));
        context.RegisterSourceOutput(failures, static (output, diagnostics) =>
        {
            foreach (var diagnostic in diagnostics) output.ReportDiagnostic(diagnostic.ToDiagnostic());
        });
    }

    /// <summary>A method that asks for forward mode, lowered; <c>Blocked</c> when the front end found something forward mode cannot follow.</summary>
    internal sealed record Request(TypeHierarchy Hierarchy, string Owner, FunctionSpec? Function, bool HessianVectorProduct, bool Blocked, LocationInfo? Location, EquatableArray<DiagnosticInfo> Failures);

    /// <summary>A method's forward-mode derivative (null when blocked), and the differentiable methods its tangent calls.</summary>
    internal sealed record Tangent(TypeHierarchy Hierarchy, string Key, string Name, TangentFunctionSpec? Spec, EquatableArray<string> Callees, EquatableArray<DiagnosticInfo> Failures);

    internal sealed record TypeTangents(TypeHierarchy Hierarchy, EquatableArray<TangentFunctionSpec> Functions);

    /// <summary>A method left without forward mode because its tangent would call <c>Callee</c>'s, which is not generated.</summary>
    internal sealed record Dropped(string Key, string Name, string Callee);

    internal sealed record Resolved(EquatableArray<TypeTangents> Types, EquatableArray<Dropped> Dropped, EquatableArray<DiagnosticInfo> Failures);

    internal sealed record Located(string Key, LocationInfo? Location);

    static Request? Lower(GeneratorAttributeSyntaxContext attributed, CancellationToken cancellationToken)
    {
        var method = (IMethodSymbol)attributed.TargetSymbol;
        var modes = ForwardModeChecks.ModesOf(method);
        if ((modes & ForwardModeChecks.Forward) == 0) return null;
        var hessian = (modes & ForwardModeChecks.HessianVectorProduct) == ForwardModeChecks.HessianVectorProduct;
        var owner = method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        var location = LocationInfo.From(method.Locations.FirstOrDefault());
        try
        {
            if (TypeHierarchyReader.ContainersAndSelf(method.ContainingType).Any(t => !IsPartial(t, cancellationToken))) return null;

            var result = FunctionLowering.Lower(method, (MethodDeclarationSyntax)attributed.TargetNode, attributed.SemanticModel, cancellationToken);
            if (result.Spec is null) return null;
            var blocked = result.Diagnostics.Any(d => d.Descriptor == DiagnosticDescriptors.ForwardModeUnavailable);
            return new Request(TypeHierarchyReader.Read(method.ContainingType), owner, result.Spec, hessian, blocked, location, EquatableArray<DiagnosticInfo>.Empty);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failure = DiagnosticInfo.Create(DiagnosticDescriptors.GeneratorFailure, method.Locations.FirstOrDefault(), method.Name, e.GetType().Name + ": " + e.Message);
            return new Request(TypeHierarchyReader.Read(method.ContainingType), owner, null, hessian, true, location, new[] { failure }.ToEquatableArray());
        }
    }

    static Tangent Differentiate(Request request)
    {
        var name = request.Function?.Name ?? "";
        var key = request.Owner + "." + name;
        if (request.Function is null || request.Blocked)
            return new Tangent(request.Hierarchy, key, name, null, EquatableArray<string>.Empty, request.Failures);

        var callees = new SortedSet<string>(StringComparer.Ordinal);
        CollectCallees(request.Function.Body, callees);
        try
        {
            var spec = ForwardMode.Differentiate(request.Function, request.HessianVectorProduct);
            return new Tangent(request.Hierarchy, key, name, spec, callees.ToEquatableArray(), EquatableArray<DiagnosticInfo>.Empty);
        }
        catch (ForwardModeException e)
        {
            // Something the front end's checks did not see (an op a layer lowers into, say): forward mode is left out
            // for this method, which keeps its reverse mode, and the user is told why.
            var unavailable = DiagnosticInfo.Create(DiagnosticDescriptors.ForwardModeUnavailable, null, name, name, e.Message);
            return new Tangent(request.Hierarchy, key, name, null, EquatableArray<string>.Empty, new[] { unavailable }.ToEquatableArray());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failure = DiagnosticInfo.Create(DiagnosticDescriptors.GeneratorFailure, null, name, e.GetType().Name + ": " + e.Message);
            return new Tangent(request.Hierarchy, key, name, null, EquatableArray<string>.Empty, new[] { failure }.ToEquatableArray());
        }
    }

    static void CollectCallees(Block block, SortedSet<string> callees)
    {
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case Assignment { Value: DifferentiableCall call }:
                    callees.Add(call.ContainingType + "." + call.Method);
                    break;
                case IfStatement branch:
                    CollectCallees(branch.Then, callees);
                    CollectCallees(branch.Else, callees);
                    break;
                case LoopStatement loop:
                    CollectCallees(loop.Header, callees);
                    CollectCallees(loop.Body, callees);
                    CollectCallees(loop.Step, callees);
                    break;
            }
        }
    }

    /// <summary>
    /// Drops, until nothing changes, every tangent that calls a method of this compilation whose forward mode is not
    /// generated: its JVP would not exist. Methods of other assemblies were checked by the front end.
    /// </summary>
    static Resolved Resolve(ImmutableArray<Tangent> all)
    {
        var failures = all.SelectMany(t => t.Failures).ToList();
        var dropped = new List<Dropped>();
        var requested = new HashSet<string>(all.Select(t => t.Key));
        var available = all.Where(t => t.Spec is not null).ToDictionary(t => t.Key);
        bool changed;
        do
        {
            changed = false;
            foreach (var tangent in available.Values.OrderBy(t => t.Key, StringComparer.Ordinal).ToList())
            {
                var missing = tangent.Callees.FirstOrDefault(c => requested.Contains(c) && !available.ContainsKey(c));
                if (missing is null) continue;
                available.Remove(tangent.Key);
                dropped.Add(new Dropped(tangent.Key, tangent.Name, missing.Substring(missing.LastIndexOf('.') + 1)));
                changed = true;
            }
        }
        while (changed);

        var types = available.Values
            .GroupBy(t => t.Hierarchy)
            .OrderBy(g => g.Key.HintName, StringComparer.Ordinal)
            .Select(g => new TypeTangents(g.Key, g.Select(t => t.Spec!).OrderBy(s => s.Primal.Name, StringComparer.Ordinal).ToEquatableArray()));
        return new Resolved(types.ToEquatableArray(), dropped.ToEquatableArray(), failures.ToEquatableArray());
    }

    static EquatableArray<DiagnosticInfo> Failures(Resolved resolved, ImmutableArray<Located> locations)
    {
        var where = locations.GroupBy(l => l.Key).ToDictionary(g => g.Key, g => g.First().Location);
        var dropped = resolved.Dropped.Select(d => new DiagnosticInfo(DiagnosticDescriptors.ForwardModeUnavailable, where.TryGetValue(d.Key, out var location) ? location : null,
            new[] { d.Name, d.Name, $"it calls '{d.Callee}', whose forward mode is not generated (LZ0109 there says why)" }.ToEquatableArray()));
        return resolved.Failures.Concat(dropped).ToEquatableArray();
    }

    static void Emit(SourceProductionContext output, TypeTangents type)
    {
        string source;
        try
        {
            source = TangentEmitter.Emit(type.Hierarchy, type.Functions);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            output.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.GeneratorFailure, Location.None, type.Hierarchy.Type.NameWithTypeParameters, e.GetType().Name + ": " + e.Message));
            return;
        }

        var hint = type.Hierarchy.HintName.Substring(0, type.Hierarchy.HintName.Length - ".g.cs".Length) + ".Tangents.g.cs";
        output.AddSource(hint, SourceText.From(source, System.Text.Encoding.UTF8));
    }

    static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
        => type.DeclaringSyntaxReferences.All(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
            && declaration.Modifiers.Any(Microsoft.CodeAnalysis.CSharp.SyntaxKind.PartialKeyword));
}
