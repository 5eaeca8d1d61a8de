using Leibniz.Generators.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using static Leibniz.Generators.Tests.Analyzers.AnalyzerTestSetup;

namespace Leibniz.Generators.Tests.Analyzers;

/// <summary>LZ0201–LZ0202: an implicit layer's shape and its condition against its solver; a hyperparameter read from a field (LZ0101).</summary>
public sealed class ImplicitLayerAnalyzerTests
{
    static DiagnosticResult Malformed(int location, string layer, string why)
        => Diagnostic(DiagnosticDescriptors.MalformedImplicitLayer).WithLocation(location).WithArguments(layer, why);

    static DiagnosticResult Misfit(int location, string condition, string layer, string why)
        => Diagnostic(DiagnosticDescriptors.ConditionDoesNotFitSolver).WithLocation(location).WithArguments(condition, layer, why);

    [Fact]
    public Task A_well_formed_layer_of_each_kind_reports_nothing()
        => VerifyAnalyzersAsync(Usings + """
            [ImplicitLayer]
            public static partial class ByCondition
            {
                [Solver] public static Tensor Solve(Tensor a, [NoDerivative] Tensor b, int steps) => b / a;
                [OptimalityCondition] public static Tensor F(Tensor x, Tensor a, [NoDerivative] Tensor b, int steps) => a * x - b;
            }

            [ImplicitLayer]
            public static partial class ByFixedPoint
            {
                [Solver] public static Tensor Solve(Tensor a) => a;
                [FixedPoint] public static Tensor T(Tensor x, Tensor a) => 0.5 * (x + a);
            }

            [ImplicitLayer]
            public static partial class ByObjective
            {
                [Solver] public static Tensor Solve(Tensor a) => a;
                [Objective] public static Tensor F(Tensor x, Tensor a) => (x - a).square().sum();
            }
            """);

    [Fact]
    public Task A_layer_without_a_condition_that_is_not_static_is_told_both()
        => VerifyAnalyzersAsync(Usings + """
            [ImplicitLayer]
            public partial class {|#0:Broken|}
            {
                [Solver] public static Tensor Solve(Tensor a) => a;
            }
            """,
            Malformed(0, "Broken", "must be a static class: its solver and condition are static methods, and Apply is called on the class"),
            Malformed(0, "Broken", "has no condition: mark the method that defines the solution [OptimalityCondition] (F(x, θ) = 0), [FixedPoint] (T(x, θ) = x) or [Objective] (x = argmin f(x, θ))"));

    [Fact]
    public Task Two_solvers_a_double_hyperparameter_and_a_name_the_generator_writes_are_refused()
        => VerifyAnalyzersAsync(Usings + """
            [ImplicitLayer]
            public static partial class Layer
            {
                [Solver] public static Tensor Solve(Tensor a, double {|#0:lambda|}) => a;
                [Solver] public static Tensor {|#1:Other|}(Tensor a, double lambda) => a;
                [OptimalityCondition] public static Tensor F(Tensor x, Tensor a, double lambda) => x - a * lambda;
                public static Tensor {|#2:Apply|}(Tensor a) => a;
            }
            """,
            Malformed(1, "Layer", "has more than one [Solver] ('Solve' and 'Other'); keep one"),
            Malformed(2, "Layer", "declares 'Apply', a name the generator writes into the layer; rename it"),
            Malformed(0, "Layer", "has a [Solver] parameter 'lambda' of type 'double': an implicit layer differentiates with respect to tensors; pass a 0-dimensional tensor (torch.tensor(value)) to differentiate with respect to it, or mark it [NoDerivative]"));

    [Fact]
    public Task A_condition_whose_parameters_differ_from_the_solvers_names_the_expected_signature()
        => VerifyAnalyzersAsync(Usings + """
            [ImplicitLayer]
            public static partial class Ridge
            {
                [Solver] public static Tensor Solve(Tensor X, Tensor y, Tensor lambda) => y;
                [OptimalityCondition] public static Tensor {|#0:Condition|}(Tensor w, Tensor X, Tensor lambda) => X.matmul(w) + lambda * w;
            }

            [ImplicitLayer]
            public static partial class Renamed
            {
                [Solver] public static Tensor Solve(Tensor a, Tensor b) => b / a;
                [FixedPoint] public static Tensor Map(Tensor x, Tensor a, Tensor {|#1:c|}) => x - a * x + c;
            }
            """,
            Misfit(0, "Condition", "Ridge", "it takes 2 parameter(s) after the solution where 'Solve' takes 3; the expected signature is (Tensor solution, Tensor X, Tensor y, Tensor lambda)"),
            Misfit(1, "Map", "Renamed", "parameter 3 is 'TorchSharp.torch.Tensor c' where 'Solve' has 'TorchSharp.torch.Tensor b'; the expected signature is (Tensor solution, Tensor a, Tensor b)"));

    [Fact]
    public Task A_hyperparameter_read_from_a_field_is_refused_with_the_way_to_pass_it()
        => VerifyAnalyzersAsync(Usings + """
            [ImplicitLayer]
            public static partial class Ridge
            {
                static Tensor lambda = tensor(0.5);
                const double Step = 0.1;

                [Solver] public static Tensor Solve(Tensor a) => a;
                [FixedPoint] public static Tensor Map(Tensor x, Tensor a) => x - Step * ((x - a) + {|#0:lambda|} * x);
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedStatement).WithLocation(0)
                .WithArguments("lambda", "Map", "'lambda' is state outside the method; pass it as a parameter (mark it [NoDerivative] if it is data)"));

    [Fact]
    public Task In_differentiable_code_the_solver_is_called()
        => VerifyAnalyzersAsync(Usings + """
            [ImplicitLayer]
            public static partial class Ridge
            {
                [Solver] public static Tensor Solve(Tensor a) => a;
                [OptimalityCondition] public static Tensor F(Tensor x, Tensor a) => x - a;
                public static Tensor Helper(Tensor a) => a;
            }

            public static partial class Uses
            {
                [Differentiable]
                public static Tensor Loss(Tensor a) => Ridge.Solve(a).square().sum();
            }
            """);
}

/// <summary>The LZ0202 fix: the solver's parameters after the solution, renamed through the body where only names differ.</summary>
public sealed class MatchSolverParametersCodeFixTests
{
    [Fact]
    public Task A_renamed_parameter_takes_the_solvers_name_through_the_body()
        => VerifyFixAsync<Leibniz.Analyzers.ImplicitLayerAnalyzer, Leibniz.CodeFixes.MatchSolverParametersCodeFixProvider>(Usings + """
            [ImplicitLayer]
            public static partial class Renamed
            {
                [Solver] public static Tensor Solve(Tensor a, [NoDerivative] Tensor b) => b / a;
                [FixedPoint] public static Tensor Map(Tensor x, Tensor a, Tensor {|LZ0202:c|}) => x - a * x + c;
            }
            """, Usings + """
            [ImplicitLayer]
            public static partial class Renamed
            {
                [Solver] public static Tensor Solve(Tensor a, [NoDerivative] Tensor b) => b / a;
                [FixedPoint] public static Tensor Map(Tensor x, Tensor a, [NoDerivative] Tensor b) => x - a * x + b;
            }
            """);

    [Fact]
    public Task A_missing_parameter_is_added_in_its_place()
        => VerifyFixAsync<Leibniz.Analyzers.ImplicitLayerAnalyzer, Leibniz.CodeFixes.MatchSolverParametersCodeFixProvider>(Usings + """
            [ImplicitLayer]
            public static partial class Ridge
            {
                [Solver] public static Tensor Solve(Tensor X, Tensor y, Tensor lambda) => y;
                [OptimalityCondition] public static Tensor {|LZ0202:Condition|}(Tensor w, Tensor X, Tensor lambda) => X.matmul(w) + lambda * w;
            }
            """, Usings + """
            [ImplicitLayer]
            public static partial class Ridge
            {
                [Solver] public static Tensor Solve(Tensor X, Tensor y, Tensor lambda) => y;
                [OptimalityCondition] public static Tensor Condition(Tensor w, Tensor X, Tensor y, Tensor lambda) => X.matmul(w) + lambda * w;
            }
            """);
}
