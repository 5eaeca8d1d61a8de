using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.Emit;
using Leibniz.Generators.IR.Functions;
using Leibniz.Generators.Transforms;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Leibniz.Generators.Pipelines;

public sealed partial class DifferentiableGenerator
{
    /// <summary>
    /// Forward mode (and, when asked, the reverse sweep over it a Hessian–vector product needs) for one method. What the
    /// front end's checks found forward mode cannot follow is the analyzer's LZ0109; such a method gets no tangent here.
    /// </summary>
    static Tangent DifferentiateForward(DifferentiableMethod method)
    {
        var name = method.Function.Name;
        if (method.ForwardBlocked)
            return new Tangent(method.Hierarchy, method.Key, method.DeclarationId, name, null, EquatableArray<string>.Empty, EquatableArray<MethodDiagnostic>.Empty);

        var callees = new SortedSet<string>(StringComparer.Ordinal);
        CollectCallees(method.Function.Body, callees);
        try
        {
            var spec = TangentCallFusion.Apply(ForwardMode.Differentiate(SelfComparisons.Rewrite(CommonSubexpressions.Eliminate(method.Function)), method.HessianVectorProduct));
            return new Tangent(method.Hierarchy, method.Key, method.DeclarationId, name, spec, callees.ToEquatableArray(), EquatableArray<MethodDiagnostic>.Empty);
        }
        catch (ForwardModeException e)
        {
            // Something the front end's checks did not see (an op a layer lowers into, say): forward mode is left out
            // for this method, which keeps its reverse mode, and the user is told why.
            var unavailable = MethodDiagnostic.Create(method, DiagnosticDescriptors.ForwardModeUnavailable, name, name, e.Message);
            return new Tangent(method.Hierarchy, method.Key, method.DeclarationId, name, null, EquatableArray<string>.Empty, new[] { unavailable }.ToEquatableArray());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failure = MethodDiagnostic.Create(method, DiagnosticDescriptors.GeneratorFailure, name, e.GetType().Name + ": " + e.Message);
            return new Tangent(method.Hierarchy, method.Key, method.DeclarationId, name, null, EquatableArray<string>.Empty, new[] { failure }.ToEquatableArray());
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
                case Assignment { Value: ModelCall call }:
                    // The tangent runs the called model's ForwardTangent, generated only with its own forward mode.
                    callees.Add(call.ModelType + ".Forward");
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
        // A called model of a generic type is named with its type arguments (Scaled<int>), its own key with its
        // parameters (Scaled<TTag>): keys are compared without them.
        var requested = new HashSet<string>(all.Select(t => WithoutTypeArguments(t.Key)));
        // Overloads share a key: a callee is there when some method of its name has forward mode.
        var available = all.Where(t => t.Spec is not null).ToList();
        bool Has(string key) => available.Any(t => WithoutTypeArguments(t.Key) == key);
        bool changed;
        do
        {
            changed = false;
            foreach (var tangent in available.OrderBy(t => t.Key, StringComparer.Ordinal).ThenBy(t => t.DeclarationId, StringComparer.Ordinal).ToList())
            {
                var missing = tangent.Callees.Select(WithoutTypeArguments).FirstOrDefault(c => requested.Contains(c) && !Has(c));
                if (missing is null) continue;
                available.Remove(tangent);
                var callee = missing.Substring(missing.LastIndexOf('.') + 1);
                failures.Add(new MethodDiagnostic(tangent.DeclarationId, DiagnosticDescriptors.ForwardModeUnavailable,
                    new[] { tangent.Name, tangent.Name, $"it calls '{callee}', whose forward mode is not generated (LZ0109 there says why)" }.ToEquatableArray()));
                changed = true;
            }
        }
        while (changed);

        var types = available
            .GroupBy(t => t.Hierarchy)
            .OrderBy(g => g.Key.HintName, StringComparer.Ordinal)
            .Select(g => new TypeTangents(g.Key, g.Select(t => t.Spec!).OrderBy(s => s.Primal.Name, StringComparer.Ordinal).ToEquatableArray()));
        return new Resolved(types.ToEquatableArray(), failures.ToEquatableArray());
    }

    static string WithoutTypeArguments(string key)
    {
        var text = new System.Text.StringBuilder(key.Length);
        var depth = 0;
        foreach (var c in key)
        {
            if (c == '<') depth++;
            else if (c == '>') depth--;
            else if (depth == 0) text.Append(c);
        }

        return text.ToString();
    }

    static void EmitTangents(SourceProductionContext output, TypeTangents type)
    {
        string source;
        try
        {
            source = ParameterDocumentation.Complete(TangentEmitter.Emit(type.Hierarchy, type.Functions));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            output.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.GeneratorFailure, Location.None, type.Hierarchy.Type.NameWithTypeParameters, e.GetType().Name + ": " + e.Message));
            return;
        }

        var hint = type.Hierarchy.HintName.Substring(0, type.Hierarchy.HintName.Length - ".g.cs".Length) + ".Tangents.g.cs";
        output.AddSource(hint, SourceText.From(source, System.Text.Encoding.UTF8));
    }
}
