using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>
/// A call of an implicit layer's <c>[Solver]</c> in differentiable code (<c>Ridge.Solve(X, y, lambda)</c>): a differentiable
/// call whose value is the layer's generated <c>Apply</c> (the solver's answer, checked) and whose pullback is its generated
/// <c>ApplyPullback</c> — the implicit function theorem, never the solver's own code. The solver is what the call names
/// because it binds in every compilation: <c>Apply</c> is generated, and the generator sees the user's code without its own
/// output, so an expression around a call of <c>Apply</c> would not bind there. A call of <c>Apply</c> is refused with that advice.
/// </summary>
internal sealed class ImplicitLayerCallLowering
{
    readonly LoweringContext _context;
    readonly FunctionBuilder _builder;
    readonly ExpressionLowering _expressions;

    public ImplicitLayerCallLowering(LoweringContext context, FunctionBuilder builder, ExpressionLowering expressions)
    {
        _context = context;
        _builder = builder;
        _expressions = expressions;
    }

    /// <summary>Lowers <paramref name="invocation"/> when it calls an implicit layer; false when it does not.</summary>
    public bool TryLower(InvocationExpressionSyntax invocation, out Expression? lowered)
    {
        lowered = null;
        var known = _context.Known;
        if (known.ImplicitLayerAttribute is null) return false;

        var bound = _context.SymbolOf(invocation) as IMethodSymbol;
        if (bound?.ContainingType is { } owner && KnownSymbols.Has(owner, known.ImplicitLayerAttribute) && KnownSymbols.Has(bound, known.SolverAttribute))
        {
            if (ImplicitLayerFrontend.IsImplicitSolution(bound.ReturnType) && !(invocation.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Solution" } solution && solution.Expression == invocation))
            {
                _builder.Diagnostics.Unsupported(invocation, $"'{bound.Name}' returns an ImplicitSolution: read its tensor, {owner.Name}.{bound.Name}(...).Solution");
                return true;
            }

            lowered = LowerSolverCall(invocation, owner);
            return true;
        }

        // Apply is generated, so it binds only where the generated code is part of the compilation (the analyzer's), and an
        // expression around it binds in neither the same way: in differentiable code the layer is called by its solver.
        if (invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: DerivativeMethodNames.Apply } access
            && _context.SymbolOf(access.Expression) is INamedTypeSymbol layer && KnownSymbols.Has(layer, known.ImplicitLayerAttribute))
        {
            var solver = ImplicitLayerFrontend.Solvers(layer, known).FirstOrDefault()?.Name ?? "Solve";
            _builder.Diagnostics.Unsupported(invocation,
                $"in differentiable code an implicit layer is called by its [Solver]: write {layer.Name}.{solver}(...), whose result the generator differentiates through the layer's condition ({layer.Name}.{DerivativeMethodNames.Apply} is for code autograd records)");
            return true;
        }

        return false;
    }

    Expression? LowerSolverCall(InvocationExpressionSyntax invocation, INamedTypeSymbol layer)
    {
        var spec = ImplicitLayerFrontend.Read(layer, _context.Model.Compilation, _context.CancellationToken);
        if (spec.Spec is not { } valid)
        {
            _builder.Diagnostics.Unsupported(invocation, $"implicit layer '{layer.Name}' has errors (LZ0201/LZ0202 on it say which), so it has no derivative to call");
            return null;
        }

        var arguments = invocation.ArgumentList.Arguments;
        if (arguments.Count != valid.Parameters.Count || arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.None)))
        {
            _builder.Diagnostics.Unsupported(invocation, $"'{layer.Name}.{valid.Solver}' is called with its {valid.Parameters.Count} argument(s) by position, none left to a default");
            return null;
        }

        if (!_builder.WithoutDerivative) _builder.Forward?.CheckImplicitLayerCall(invocation, layer.Name, valid.IsUnrolled);
        var operands = arguments.Select(a => _expressions.Lower(a.Expression)).ToEquatableArray();
        var hasAdjoint = valid.Parameters.Select(p => p.HasAdjoint).ToEquatableArray();
        // The generated code calls the layer's Apply, which runs the solver and checks its answer, and its ApplyPullback.
        var owner = layer.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        return new DifferentiableCall(owner, DerivativeMethodNames.Apply, owner + "." + DerivativeMethodNames.Apply + DerivativeMethodNames.PullbackSuffix, operands, hasAdjoint)
        {
            // Where the reverse sweep still holds the solution, the backward starts from it rather than solving again.
            PullbackAtResult = owner + "." + DerivativeMethodNames.ApplyPullbackAt,
        };
    }
}
