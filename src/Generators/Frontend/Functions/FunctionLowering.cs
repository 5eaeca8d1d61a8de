using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>
/// Lowers the body of a <c>[Differentiable]</c> method to A-normal-form IR: every computation becomes
/// <c>temp = op(operands)</c>, <c>for</c>/<c>while</c> become one loop shape, and early returns are folded into the
/// branches that lead to the single exit. What it cannot lower becomes a diagnostic at the offending syntax; it never
/// throws for user code. The work is split by what is read — <see cref="SignatureReader"/>, <see cref="StatementLowering"/>,
/// <see cref="ExpressionLowering"/>, <see cref="InvocationLowering"/>, <see cref="TensorCallLowering"/>,
/// <see cref="ModelCallLowering"/> — and everything they accumulate is in one <see cref="FunctionBuilder"/>.
/// The checks that need the lowered body analysed are left to the caller (<see cref="LoweredFunction"/>).
/// </summary>
internal static class FunctionLowering
{
    /// <summary>Lowers <paramref name="method"/>, or returns the diagnostics saying why it cannot be.</summary>
    public static LoweredFunction Lower(IMethodSymbol method, MethodDeclarationSyntax declaration, SemanticModel model, CancellationToken cancellationToken)
    {
        (method, model) = ModelBases.Complete(method, declaration, model, cancellationToken);
        var context = new LoweringContext(method, model, cancellationToken);
        var builder = new FunctionBuilder(context, new LocalNames(context, declaration));
        var diagnostics = builder.Diagnostics;

        var parameters = SignatureReader.Read(context, declaration, diagnostics, builder.Locals.TupleElements);
        // A refused signature is the one thing to fix first: the body's diagnostics would follow from it (p.A of a struct
        // parameter p) and say nothing new.
        var body = parameters is null ? Block.Empty : new StatementLowering(context, builder).LowerBody(declaration);
        if (builder.Forward is { } forward) diagnostics.AddRange(forward.Diagnostics);
        var tensorTangentChecks = builder.Forward?.TensorCalls.ToEquatableArray() ?? EquatableArray<TensorTangentCheck>.Empty;

        if (parameters is null || diagnostics.HasErrors)
        {
            diagnostics.DropConversionWarnings();
            return new LoweredFunction(null, diagnostics.Reported, EquatableArray<ScalarWithoutDerivative>.Empty, EquatableArray<DiagnosticInfo>.Empty, tensorTangentChecks);
        }

        var returnType = IRTypes.Of(method.ReturnType)!.Value;
        var spec = new FunctionSpec(
            method.Name,
            context.IsModelMethod,
            SyntaxFacts.GetText(method.DeclaredAccessibility) is { Length: > 0 } accessibility ? accessibility : "private",
            returnType,
            parameters.Value.Concat(builder.ModelFields.InputsInDeclarationOrder()).ToEquatableArray(),
            builder.Locals.Locals(returnType),
            body)
        {
            ModelFields = builder.ModelFields.ChildrenInDeclarationOrder(),
            TupleInput = TupleInput(method, builder.Locals.TupleElements),
        };
        return new LoweredFunction(spec, diagnostics.Reported, diagnostics.IfVaried, GeneratedNameClashes.Find(context, builder.Forward, spec, declaration), tensorTangentChecks);
    }

    static TupleInputSpec? TupleInput(IMethodSymbol method, IReadOnlyList<string> elements)
    {
        if (elements.Count == 0) return null;
        var parameter = method.Parameters[0];
        var tuple = IRTypes.TensorTupleElements(parameter.Type)!.Value;
        return new TupleInputSpec(
            parameter.Name,
            parameter.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            elements.Select((name, i) => new TupleElementSpec(name, tuple[i].Name)).ToEquatableArray());
    }
}
