using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.IR.Functions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>
/// The parameters of a <c>[Differentiable]</c> method as the lowered function takes them: each with its IR type, whether
/// it has an adjoint (a differentiable type, not <c>[NoDerivative]</c>) and whether it is differentiated (in <c>Wrt</c>,
/// or every one with an adjoint when <c>Wrt</c> is empty). A signature the generators cannot serve is one diagnostic,
/// LZ0103, naming the first problem.
/// </summary>
internal static class SignatureReader
{
    /// <summary>
    /// The parameters, a tuple input's elements each its own (named as <paramref name="tupleElements"/> says, from
    /// <see cref="LocalNames.TupleElements"/>); null when the signature was refused (reported to <paramref name="diagnostics"/>).
    /// </summary>
    public static EquatableArray<ParameterSpec>? Read(LoweringContext context, MethodDeclarationSyntax declaration, LoweringDiagnostics diagnostics, IReadOnlyList<string> tupleElements)
    {
        var method = context.Method;
        string? problem = null;
        if (!method.IsStatic && !context.IsModelMethod) problem = "must be static, or an instance method of a [Model] class";
        else if (context.IsModelMethod && method.Parameters.Length > 1)
            problem = $"is a [Model] method taking {method.Parameters.Length} parameters; take several inputs as one tuple of tensors, "
                + $"{method.Name}(({string.Join(", ", method.Parameters.Select(p => "Tensor " + p.Name))}) input), and read them as input.{method.Parameters[0].Name} or var ({string.Join(", ", method.Parameters.Select(p => p.Name))}) = input";
        else if (context.IsModelMethod && (IRTypes.Of(method.ReturnType) != ValueType.Tensor || method.Parameters.Length != 1
                 || (IRTypes.Of(method.Parameters[0].Type) != ValueType.Tensor && tupleElements.Count == 0)))
            problem = "is a [Model] method, which must take one Tensor, or one tuple of 2 to 7 Tensors, and return a Tensor";
        else if (method.IsGenericMethod) problem = "cannot be generic";
        else if (IRTypes.Of(method.ReturnType) is not (ValueType.Double or ValueType.Float or ValueType.Tensor)) problem = $"must return double, float or Tensor, not {method.ReturnType.ToDisplayString()}";

        var wrt = WrtNames(context);
        var parameters = new List<ParameterSpec>();
        foreach (var parameter in method.Parameters)
        {
            if (context.IsModelMethod && tupleElements.Count > 0)
            {
                // Each element of the tuple input is an input of its own to the derivative.
                var differentiated = !KnownSymbols.Has(parameter, context.Known.NoDerivativeAttribute);
                foreach (var element in tupleElements)
                    parameters.Add(new ParameterSpec(element, ValueType.Tensor, differentiated && (wrt.Count == 0 || wrt.Contains(parameter.Name) || wrt.Contains(element)), differentiated));
                continue;
            }

            var type = IRTypes.Of(parameter.Type);
            if (type is null)
                problem ??= $"has parameter '{parameter.Name}' of type {parameter.Type.ToDisplayString()}; supported are double, float, int, long, bool, Tensor and arrays of double or float" + TypeAdvice.For(parameter.Type);
            else if (parameter.RefKind != RefKind.None)
                problem ??= $"has a {parameter.RefKind.ToString().ToLowerInvariant()} parameter '{parameter.Name}'; pass it by value";

            var noDerivative = KnownSymbols.Has(parameter, context.Known.NoDerivativeAttribute);
            var hasAdjoint = type is { } t && t.IsDifferentiable() && !noDerivative;
            var isWrt = hasAdjoint && (wrt.Count == 0 || wrt.Contains(parameter.Name));
            parameters.Add(new ParameterSpec(parameter.Name, type ?? ValueType.Int, isWrt, hasAdjoint));
        }

        foreach (var name in wrt.Where(name => method.Parameters.All(p => p.Name != name) && !tupleElements.Contains(name)))
            problem ??= $"lists '{name}' in Wrt, but has no parameter of that name";

        if (problem is null && !parameters.Any(p => p.IsWrt))
            problem = "has no double, float or Tensor parameter to differentiate with respect to";

        if (problem is null) return parameters.ToEquatableArray();
        diagnostics.Report(DiagnosticDescriptors.UnsupportedSignature, declaration.Identifier.GetLocation(), method.Name, problem);
        return null;
    }

    /// <summary>The names listed in <c>[Differentiable(Wrt = …)]</c>; empty when it lists none.</summary>
    static HashSet<string> WrtNames(LoweringContext context)
    {
        var names = new HashSet<string>();
        var attribute = KnownSymbols.Find(context.Method, context.Known.DifferentiableAttribute);
        foreach (var argument in attribute?.NamedArguments ?? ImmutableArray<KeyValuePair<string, TypedConstant>>.Empty)
        {
            if (argument.Key != "Wrt" || argument.Value.Kind != TypedConstantKind.Array) continue;
            foreach (var item in argument.Value.Values)
                if (item.Value is string name) names.Add(name);
        }

        return names;
    }
}
