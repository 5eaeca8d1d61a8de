using System.Collections.Immutable;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR;
using Leibniz.Generators.IR.Functions;
using Microsoft.CodeAnalysis;

namespace Leibniz.Generators.Pipelines;

public sealed partial class DifferentiableGenerator
{
    /// <summary>
    /// A <c>[Differentiable]</c> method lowered once, with all that reverse mode, forward mode and Hessian–vector products
    /// need, and nothing positional: an edit that only moves the method leaves it equal, so no mode runs again.
    /// </summary>
    /// <param name="Hierarchy">The type the generated members go into, with its containers.</param>
    /// <param name="Owner">The containing type's <c>global::</c> name; with the method's name, the key a caller's tangent uses.</param>
    /// <param name="DeclarationId">The method's documentation-comment ID, which finds it again to place a diagnostic.</param>
    /// <param name="Function">The lowered body.</param>
    /// <param name="Forward">Whether the method asks for forward mode.</param>
    /// <param name="HessianVectorProduct">Whether it asks for Hessian–vector products too.</param>
    /// <param name="ForwardBlocked">Whether the front end found something forward mode cannot follow (LZ0109, from the analyzer).</param>
    internal sealed record DifferentiableMethod(
        TypeHierarchy Hierarchy,
        string Owner,
        string DeclarationId,
        FunctionSpec Function,
        bool Forward,
        bool HessianVectorProduct,
        bool ForwardBlocked)
    {
        public string Key => Owner + "." + Function.Name;
    }

    /// <summary>
    /// What the front end made of one method: the method (null when it does not lower, or has nowhere to go), and the
    /// generator's own failures with their real locations. Only <c>Method</c> travels on; the diagnostics are reported
    /// by a branch of their own.
    /// </summary>
    internal sealed record Lowering(DifferentiableMethod? Method, ImmutableArray<Diagnostic> Diagnostics);

    /// <summary>A diagnostic about the method with declaration ID <c>DeclarationId</c>, placed at it when reported.</summary>
    internal sealed record MethodDiagnostic(string DeclarationId, DiagnosticDescriptor Descriptor, EquatableArray<string> MessageArgs)
    {
        public static MethodDiagnostic Create(DifferentiableMethod method, DiagnosticDescriptor descriptor, params string[] messageArgs)
            => new(method.DeclarationId, descriptor, messageArgs.ToEquatableArray());
    }

    /// <summary>A differentiated method, or the failure that stopped it.</summary>
    internal sealed record Differentiated(TypedFunction? Spec, EquatableArray<MethodDiagnostic> Failures);

    internal sealed record TypedFunction(TypeHierarchy Hierarchy, ReverseFunctionSpec Function);

    internal sealed record TypeFunctions(TypeHierarchy Hierarchy, EquatableArray<ReverseFunctionSpec> Functions);

    /// <summary>A method's forward-mode derivative (null when blocked), and the differentiable methods its tangent calls.</summary>
    internal sealed record Tangent(TypeHierarchy Hierarchy, string Key, string DeclarationId, string Name, TangentFunctionSpec? Spec, EquatableArray<string> Callees, EquatableArray<MethodDiagnostic> Failures);

    internal sealed record TypeTangents(TypeHierarchy Hierarchy, EquatableArray<TangentFunctionSpec> Functions);

    /// <summary>The tangents to emit, by type, and why the others are not emitted.</summary>
    internal sealed record Resolved(EquatableArray<TypeTangents> Types, EquatableArray<MethodDiagnostic> Failures);
}
