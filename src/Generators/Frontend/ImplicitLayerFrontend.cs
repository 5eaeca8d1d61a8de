using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Leibniz.Generators.Common;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.Frontend.Functions;
using Leibniz.Generators.IR;
using Leibniz.Generators.IR.Functions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Leibniz.Generators.Frontend;

/// <summary>
/// Reads an <c>[ImplicitLayer]</c> class into an <see cref="ImplicitLayerSpec"/>, or says why it cannot: one
/// <c>[Solver]</c>, one condition (<c>[OptimalityCondition]</c>, <c>[FixedPoint]</c> or <c>[Objective]</c>) whose first
/// parameter is the solution and whose other parameters are the solver's. The generator emits from the spec; the
/// analyzer reports the diagnostics, and so does a differentiable method that calls a layer with errors.
/// </summary>
internal static class ImplicitLayerFrontend
{
    /// <summary>The members the generator writes into an implicit layer, which the user's must not take.</summary>
    public static readonly string[] GeneratedMembers =
    {
        DerivativeMethodNames.Apply,
        DerivativeMethodNames.Apply + DerivativeMethodNames.PullbackSuffix,
        DerivativeMethodNames.ApplyPullbackAt,
        DerivativeMethodNames.Apply + DerivativeMethodNames.TangentSuffix,
        DerivativeMethodNames.Apply + DerivativeMethodNames.JacobianVectorProductSuffix,
        DerivativeMethodNames.Apply + DerivativeMethodNames.TangentSuffix + "At",
    };

    static readonly SymbolDisplayFormat QualifiedType = SymbolDisplayFormat.FullyQualifiedFormat;

    /// <summary>The condition method of <paramref name="type"/> and its kind, when it has exactly one.</summary>
    public static (IMethodSymbol Method, ImplicitConditionKind Kind)? Condition(INamedTypeSymbol type, KnownSymbols known)
    {
        var conditions = Conditions(type, known).ToList();
        return conditions.Count == 1 ? conditions[0] : null;
    }

    /// <summary>Whether <paramref name="method"/> is the condition of an implicit layer, and which kind.</summary>
    public static ImplicitConditionKind? ConditionKind(IMethodSymbol method, KnownSymbols known)
    {
        if (KnownSymbols.Has(method, known.OptimalityConditionAttribute)) return ImplicitConditionKind.OptimalityCondition;
        if (KnownSymbols.Has(method, known.FixedPointAttribute)) return ImplicitConditionKind.FixedPoint;
        if (KnownSymbols.Has(method, known.ObjectiveAttribute)) return ImplicitConditionKind.Objective;
        return null;
    }

    /// <summary>The <c>[Solver]</c> methods of <paramref name="type"/>.</summary>
    public static IEnumerable<IMethodSymbol> Solvers(INamedTypeSymbol type, KnownSymbols known)
        => type.GetMembers().OfType<IMethodSymbol>().Where(m => KnownSymbols.Has(m, known.SolverAttribute));

    public static FrontendResult<ImplicitLayerSpec> Read(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
    {
        var known = KnownSymbols.For(compilation);
        var diagnostics = new List<DiagnosticInfo>();
        var name = type.Name;
        var location = type.Locations.FirstOrDefault();
        void Malformed(Location? at, string why) => diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MalformedImplicitLayer, at ?? location, name, why));

        if (!type.IsStatic) Malformed(location, "must be a static class: its solver and condition are static methods, and Apply is called on the class");
        if (TypeHierarchyReader.ContainersAndSelf(type).FirstOrDefault(t => !IsPartial(t, cancellationToken)) is { } notPartial)
            Malformed(notPartial.Locations.FirstOrDefault(), $"must be partial, with every type around it ('{notPartial.Name}' is not): its Apply methods are generated into it");
        if (type.IsGenericType) Malformed(location, "cannot be generic");

        var solvers = Solvers(type, known).ToList();
        if (solvers.Count == 0) Malformed(location, "has no [Solver] method: mark the static method that computes the solution [Solver]");
        foreach (var extra in solvers.Skip(1)) Malformed(extra.Locations.FirstOrDefault(), $"has more than one [Solver] ('{solvers[0].Name}' and '{extra.Name}'); keep one");

        var conditions = Conditions(type, known).ToList();
        if (conditions.Count == 0)
            Malformed(location, "has no condition: mark the method that defines the solution [OptimalityCondition] (F(x, θ) = 0), [FixedPoint] (T(x, θ) = x) or [Objective] (x = argmin f(x, θ))");
        foreach (var extra in conditions.Skip(1))
            Malformed(extra.Method.Locations.FirstOrDefault(), $"has more than one condition ('{conditions[0].Method.Name}' and '{extra.Method.Name}'); keep one");

        foreach (var member in type.GetMembers().Where(m => GeneratedMembers.Contains(m.Name) && !m.IsImplicitlyDeclared && m.Locations.Any(l => l.IsInSource) && !IsGenerated(m)))
            Malformed(member.Locations.FirstOrDefault(), $"declares '{member.Name}', a name the generator writes into the layer; rename it");

        var solver = solvers.FirstOrDefault();
        var condition = conditions.Count > 0 ? conditions[0] : ((IMethodSymbol Method, ImplicitConditionKind Kind)?)null;
        var parameters = new List<LayerParameter>();
        if (solver is not null) CheckSolver(solver, known, parameters, Malformed);
        if (solver is not null && condition is { } c)
            CheckCondition(c.Method, c.Kind, solver, known, diagnostics, name);

        var result = diagnostics.ToEquatableArray();
        if (solver is null || condition is null || diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error))
            return new FrontendResult<ImplicitLayerSpec>(null, result);

        var options = Options(type, known, condition.Value.Kind);
        if (!(options.Tolerance >= 0)) Malformed(location, $"has Tolerance = {Number(options.Tolerance)}; the linear solve's tolerance must be positive (by default 1e-10 in float64, 1e-5 in float32)");
        if (options.MaxIterations < 1) Malformed(location, $"has MaxIterations = {options.MaxIterations}; the linear solve needs at least one iteration (1000 by default)");
        if (!(options.Ridge >= 0) || double.IsInfinity(options.Ridge)) Malformed(location, $"has Ridge = {Number(options.Ridge)}; the shift must be zero or positive and finite");
        if (!(options.ResidualTolerance >= 0)) Malformed(location, $"has ResidualTolerance = {Number(options.ResidualTolerance)}; it must be positive (double.PositiveInfinity turns the check off)");
        if (diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error))
            return new FrontendResult<ImplicitLayerSpec>(null, diagnostics.ToEquatableArray());

        var spec = new ImplicitLayerSpec(
            TypeHierarchyReader.Read(type),
            type.ToDisplayString(QualifiedType),
            condition.Value.Kind,
            solver.Name,
            condition.Value.Method.Name,
            SyntaxFacts.GetText(solver.DeclaredAccessibility) is { Length: > 0 } accessibility ? accessibility : "private",
            parameters.ToEquatableArray(),
            options.LinearSolver,
            options.Tolerance,
            options.MaxIterations,
            options.Ridge,
            options.ResidualTolerance,
            options.Mode);
        return new FrontendResult<ImplicitLayerSpec>(spec, result);
    }

    static IEnumerable<(IMethodSymbol Method, ImplicitConditionKind Kind)> Conditions(INamedTypeSymbol type, KnownSymbols known)
    {
        foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
        {
            if (ConditionKind(method, known) is { } kind) yield return (method, kind);
        }
    }

    static void CheckSolver(IMethodSymbol solver, KnownSymbols known, List<LayerParameter> parameters, System.Action<Location?, string> malformed)
    {
        var at = solver.Locations.FirstOrDefault();
        if (!solver.IsStatic) malformed(at, $"has an instance [Solver] '{solver.Name}'; make it static");
        if (solver.IsGenericMethod) malformed(at, $"has a generic [Solver] '{solver.Name}'; give it concrete types");
        if (!IsTensor(solver.ReturnType) && !IsImplicitSolution(solver.ReturnType))
            malformed(at, $"has a [Solver] '{solver.Name}' that returns '{solver.ReturnType.ToDisplayString()}'; it must return the solution as a Tensor (or an ImplicitSolution, to hand the backward a preconditioner)");

        foreach (var parameter in solver.Parameters)
        {
            var where = parameter.Locations.FirstOrDefault() ?? at;
            var noDerivative = KnownSymbols.Has(parameter, known.NoDerivativeAttribute);
            if (parameter.RefKind != RefKind.None || parameter.IsParams)
            {
                malformed(where, $"has a [Solver] parameter '{parameter.Name}' passed by {(parameter.IsParams ? "params" : parameter.RefKind.ToString().ToLowerInvariant())}; pass it by value");
                continue;
            }

            var tensor = IsTensor(parameter.Type);
            if (!tensor && !noDerivative && IsFloatingPoint(parameter.Type))
            {
                malformed(where,
                    $"has a [Solver] parameter '{parameter.Name}' of type '{parameter.Type.ToDisplayString()}': an implicit layer differentiates with respect to tensors; pass a 0-dimensional tensor (torch.tensor(value)) to differentiate with respect to it, or mark it [NoDerivative]");
                continue;
            }

            parameters.Add(new LayerParameter(parameter.Name, parameter.Type.ToDisplayString(QualifiedType), tensor, tensor && !noDerivative));
        }
    }

    static void CheckCondition(IMethodSymbol condition, ImplicitConditionKind kind, IMethodSymbol solver, KnownSymbols known, List<DiagnosticInfo> diagnostics, string layer)
    {
        var at = condition.Locations.FirstOrDefault();
        void Misfit(Location? where, string why) => diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConditionDoesNotFitSolver, where ?? at, condition.Name, layer, why));

        if (!condition.IsStatic) Misfit(at, "it must be static");
        if (condition.IsGenericMethod) Misfit(at, "it cannot be generic");
        if (!IsTensor(condition.ReturnType))
        {
            var expected = kind switch
            {
                ImplicitConditionKind.OptimalityCondition => "F(x, θ), a tensor of the solution's shape",
                ImplicitConditionKind.FixedPoint => "T(x, θ), a tensor of the solution's shape",
                _ => "f(x, θ), a scalar tensor",
            };
            Misfit(at, $"it returns '{condition.ReturnType.ToDisplayString()}' where it must return {expected}");
        }

        var expectedCount = solver.Parameters.Length + 1;
        var signature = "(Tensor solution" + string.Concat(solver.Parameters.Select(p => ", " + p.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + " " + p.Name)) + ")";
        if (condition.Parameters.Length == 0 || !IsTensor(condition.Parameters[0].Type))
        {
            Misfit(at, $"its first parameter must be the solution, a Tensor as '{solver.Name}' returns; the expected signature is {signature}");
            return;
        }

        if (condition.Parameters.Length != expectedCount)
        {
            Misfit(at, $"it takes {condition.Parameters.Length - 1} parameter(s) after the solution where '{solver.Name}' takes {solver.Parameters.Length}; the expected signature is {signature}");
            return;
        }

        for (var i = 0; i < solver.Parameters.Length; i++)
        {
            var expected = solver.Parameters[i];
            var actual = condition.Parameters[i + 1];
            var where = actual.Locations.FirstOrDefault() ?? at;
            var ordinal = (i + 2).ToString(CultureInfo.InvariantCulture);
            if (!SymbolEqualityComparer.Default.Equals(expected.Type, actual.Type) || actual.Name != expected.Name || actual.RefKind != expected.RefKind)
            {
                Misfit(where, $"parameter {ordinal} is '{actual.Type.ToDisplayString()} {actual.Name}' where '{solver.Name}' has '{expected.Type.ToDisplayString()} {expected.Name}'; the expected signature is {signature}");
                return;
            }

            if (KnownSymbols.Has(expected, known.NoDerivativeAttribute) != KnownSymbols.Has(actual, known.NoDerivativeAttribute))
            {
                Misfit(where, $"'{actual.Name}' is [NoDerivative] on one of '{solver.Name}' and '{condition.Name}' only; mark it on both or neither");
                return;
            }
        }
    }

    static (string LinearSolver, double Tolerance, int MaxIterations, double Ridge, double ResidualTolerance, string Mode) Options(INamedTypeSymbol type, KnownSymbols known, ImplicitConditionKind kind)
    {
        // The Jacobian of an objective's condition is its Hessian, symmetric: conjugate gradient. Any other Jacobian may
        // not be, and CG on the normal equations converges for every invertible one.
        var linearSolver = kind == ImplicitConditionKind.Objective ? "ConjugateGradient" : "NormalConjugateGradient";
        // Tolerances left unset are 0 in the spec: the runtime then picks them by the solution's dtype (float32 cannot reach
        // float64's 1e-10, and would see every backward refused).
        var (tolerance, maxIterations, ridge, residualTolerance, mode) = (0.0, 1000, 0.0, 0.0, "Implicit");
        var attribute = KnownSymbols.Find(type, known.ImplicitLayerAttribute);
        if (attribute is not null)
        {
            foreach (var argument in attribute.NamedArguments)
            {
                switch (argument.Key)
                {
                    case "LinearSolver" when argument.Value.Value is int value && argument.Value.Type is INamedTypeSymbol enumType:
                        linearSolver = MemberName(enumType, value) ?? linearSolver;
                        break;
                    case "Mode" when argument.Value.Value is int value && argument.Value.Type is INamedTypeSymbol enumType:
                        mode = MemberName(enumType, value) ?? mode;
                        break;
                    case "Tolerance" when argument.Value.Value is double value:
                        tolerance = value == 0 ? double.NaN : value;
                        break;
                    case "MaxIterations" when argument.Value.Value is int value:
                        maxIterations = value;
                        break;
                    case "Ridge" when argument.Value.Value is double value:
                        ridge = value;
                        break;
                    case "ResidualTolerance" when argument.Value.Value is double value:
                        residualTolerance = value == 0 ? double.NaN : value;
                        break;
                }
            }
        }

        return (linearSolver, tolerance, maxIterations, ridge, residualTolerance, mode);
    }

    /// <summary>The name of the member of <paramref name="enumType"/> with <paramref name="value"/>; null for a value no member has.</summary>
    static string? MemberName(INamedTypeSymbol enumType, int value)
        => enumType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && f.ConstantValue is int v && v == value)?.Name;

    static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="type"/> is <c>Leibniz.Implicit.ImplicitSolution</c>: a solution with a preconditioner.</summary>
    public static bool IsImplicitSolution(ITypeSymbol type)
        => type is INamedTypeSymbol { Name: "ImplicitSolution", ContainingNamespace: { Name: "Implicit", ContainingNamespace: { Name: "Leibniz", ContainingNamespace.IsGlobalNamespace: true } } };

    static bool IsTensor(ITypeSymbol type) => type is INamedTypeSymbol named && IRTypes.IsTensor(named);

    static bool IsFloatingPoint(ITypeSymbol type)
    {
        var element = type is IArrayTypeSymbol array ? array.ElementType : type;
        return element.SpecialType is SpecialType.System_Double or SpecialType.System_Single;
    }

    static bool IsGenerated(ISymbol symbol)
        => symbol.GetAttributes().Any(a => a.AttributeClass?.Name == "GeneratedCodeAttribute");

    static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
        => type.DeclaringSyntaxReferences.All(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
            && declaration.Modifiers.Any(SyntaxKind.PartialKeyword));
}
