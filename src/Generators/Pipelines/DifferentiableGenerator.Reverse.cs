using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.Emit;
using Leibniz.Generators.Transforms;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Leibniz.Generators.Pipelines;

public sealed partial class DifferentiableGenerator
{
    static Differentiated Differentiate(DifferentiableMethod method)
    {
        try
        {
            var reverse = InputGradientGuards.Apply(ReverseMode.Differentiate(SelfComparisons.Rewrite(CommonSubexpressions.Eliminate(method.Function))));
            return new Differentiated(new TypedFunction(method.Hierarchy, reverse), EquatableArray<MethodDiagnostic>.Empty);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failure = MethodDiagnostic.Create(method, DiagnosticDescriptors.GeneratorFailure, method.Function.Name, e.GetType().Name + ": " + e.Message);
            return new Differentiated(null, new[] { failure }.ToEquatableArray());
        }
    }

    static IEnumerable<TypeFunctions> Group(ImmutableArray<TypedFunction> functions)
        => functions
            .GroupBy(f => f.Hierarchy)
            .OrderBy(g => g.Key.HintName, StringComparer.Ordinal)
            .Select(g => new TypeFunctions(g.Key, g.Select(f => f.Function).OrderBy(f => f.Primal.Name, StringComparer.Ordinal).ToEquatableArray()));

    static void EmitDerivatives(SourceProductionContext output, TypeFunctions type)
    {
        string source;
        try
        {
            source = ParameterDocumentation.Complete(FunctionEmitter.Emit(type.Hierarchy, type.Functions));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            output.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.GeneratorFailure, Location.None, type.Hierarchy.Type.NameWithTypeParameters, e.GetType().Name + ": " + e.Message));
            return;
        }

        var hint = type.Hierarchy.HintName.Substring(0, type.Hierarchy.HintName.Length - ".g.cs".Length) + ".Derivatives.g.cs";
        output.AddSource(hint, SourceText.From(source, System.Text.Encoding.UTF8));
    }
}
