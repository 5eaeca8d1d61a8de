using Leibniz.Generators.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using static Leibniz.Generators.Tests.Analyzers.AnalyzerTestSetup;

namespace Leibniz.Generators.Tests.Analyzers;

/// <summary>LZ0101–LZ0104: why a <c>[Differentiable]</c> method cannot be differentiated.</summary>
public sealed class DifferentiableAnalyzerTests
{
    /// <summary>What a file of scalar functions starts with; test sources append to it.</summary>
    const string Scalar = """
        using System;
        using Leibniz;

        """;

    static DiagnosticResult Unsupported(int location, string code, string method, string why)
        => Diagnostic(DiagnosticDescriptors.UnsupportedStatement).WithLocation(location).WithArguments(code, method, why);

    static DiagnosticResult Signature(int location, string method, string problem)
        => Diagnostic(DiagnosticDescriptors.UnsupportedSignature).WithLocation(location).WithArguments(method, problem);

    // ---- LZ0101: statements and expressions ---------------------------------------------

    [Fact]
    public Task A_call_for_its_effect_names_itself_and_the_way_out()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                [Differentiable]
                public static double F(double x)
                {
                    {|#0:Console.WriteLine(x)|};
                    return x * x;
                }
            }
            """,
            Unsupported(0, "Console.WriteLine(x)", "F", "a call of 'System.Console.WriteLine(double)' for its effect alone (it returns nothing): it has no derivative, and the generated derivatives would run it again; remove it, or make the call before or after this method"));

    [Fact]
    public Task Linq_and_Random_are_named_with_what_to_write_instead()
        => VerifyAnalyzersAsync(Scalar + """
            using System.Linq;

            public static partial class Functions
            {
                [Differentiable]
                public static double Total(double[] x) => {|#0:x.Sum()|};

                [Differentiable]
                public static double Noisy(double x)
                {
                    var {|#1:r = new Random(1)|};
                    return x * {|#2:r.NextDouble()|};
                }
            }
            """,
            Unsupported(0, "x.Sum()", "Total", "a LINQ query ('Sum'), which the generator cannot see into; write the loop out, as in for (var i = 0; i < x.Length; i++) s += x[i];"),
            Unsupported(1, "r = new Random(1)", "Noisy", "a local of type System.Random; supported are double, float, int, long, bool and Tensor (index array parameters directly); a Random is state the derivative cannot follow: draw the numbers before the call and pass them in (a [NoDerivative] array or tensor), or use torch.rand_like/randn_like on tensors"),
            Unsupported(2, "r.NextDouble()", "Noisy", "a draw from a Random, which is state the derivative cannot follow; draw the numbers before the call and pass them in (a [NoDerivative] array or tensor)"));

    [Fact]
    public Task Try_catch_is_reported_on_the_whole_statement()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                [Differentiable]
                public static double F(double x)
                {
                    double y = x;
                    {|#0:try
                    {
                        y = x * x;
                    }
                    catch
                    {
                        y = 0;
                    }|}
                    return y;
                }
            }
            """,
            Unsupported(0, "try", "F", "try/catch/finally is not differentiable"));

    [Fact]
    public Task Goto_and_its_label_are_reported()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                [Differentiable]
                public static double F(double x)
                {
                    double y = x;
                    {|#0:goto done;|}
                    {|#1:done: y = y * 2;|}
                    return y;
                }
            }
            """,
            Unsupported(0, "goto done;", "F", "goto is not supported; use structured loops and branches"),
            Unsupported(1, "done: y = y * 2;", "F", "this kind of statement is not supported"));

    [Fact]
    public Task Break_inside_a_loop_is_reported()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                [Differentiable]
                public static double F(double x)
                {
                    double y = x;
                    while (y < 10)
                    {
                        y = y * 2;
                        {|#0:break;|}
                    }
                    return y;
                }
            }
            """,
            Unsupported(0, "break;", "F", "break and continue are not supported yet; put the exit in the loop condition"));

    [Fact]
    public Task Foreach_is_reported_with_its_header()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                [Differentiable]
                public static double Sum(double[] xs)
                {
                    double s = 0;
                    {|#0:foreach (var v in xs)
                    {
                        s += v;
                    }|}
                    return s;
                }
            }
            """,
            Unsupported(0, "foreach (var v in xs)", "Sum", "foreach is not supported yet; use for with an index"));

    [Fact]
    public Task Switch_is_reported_with_its_header()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                [Differentiable]
                public static double F(double x, int k)
                {
                    double y = x;
                    {|#0:switch (k)
                    {
                        case 0: y = x * x; break;
                        default: y = -x; break;
                    }|}
                    return y;
                }
            }
            """,
            Unsupported(0, "switch (k)", "F", "switch is not supported yet; use if/else"));

    [Fact]
    public Task Assigning_to_a_field_is_reported_on_the_field()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                static double last;

                [Differentiable]
                public static double F(double x)
                {
                    {|#0:last|} = x;
                    return x * x;
                }
            }
            """,
            Unsupported(0, "last", "F", "assigning to 'last', which lives outside the method; derivatives cannot follow state outside it"));

    [Fact]
    public Task Reading_a_non_const_field_is_reported_on_the_field()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                static double scale = 2;

                [Differentiable]
                public static double F(double x) => x * {|#0:scale|};
            }
            """,
            Unsupported(0, "scale", "F", "'scale' is state outside the method; pass it as a parameter (mark it [NoDerivative] if it is data)"));

    [Fact]
    public Task Assigning_an_array_element_is_reported_on_the_assignment()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                [Differentiable]
                public static double F(double[] x)
                {
                    {|#0:x[0] = 1|};
                    return x[0] * x[1];
                }
            }
            """,
            Unsupported(0, "x[0] = 1", "F", "writing into an array is not supported yet; accumulate into a local instead"));

    [Fact]
    public Task Return_inside_a_loop_is_reported()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                [Differentiable]
                public static double F(double x)
                {
                    for (int i = 0; i < 3; i++)
                    {
                        if (x > 10) {|#0:return x;|}
                        x = x * x;
                    }
                    return x;
                }
            }
            """,
            Unsupported(0, "return x;", "F", "a return inside a loop; assign the result to a local and let the loop finish"));

    [Fact]
    public Task Several_problems_in_one_method_are_each_reported()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                static double scale = 2;

                [Differentiable]
                public static double F(double[] x)
                {
                    {|#0:x[0] = 1|};
                    return {|#1:Math.BitIncrement(x[1])|} * {|#2:scale|};
                }
            }
            """,
            Unsupported(0, "x[0] = 1", "F", "writing into an array is not supported yet; accumulate into a local instead"),
            Diagnostic(DiagnosticDescriptors.NonDifferentiableCall).WithLocation(1).WithArguments("System.Math.BitIncrement(double)", "give it a [Derivative(Of = nameof(BitIncrement), In = typeof(Math))], or wrap the call in NoDerivative(...) if its derivative should be zero"),
            Unsupported(2, "scale", "F", "'scale' is state outside the method; pass it as a parameter (mark it [NoDerivative] if it is data)"));

    [Fact]
    public Task Instance_method_call_is_reported_because_its_receiver_would_be_lost()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                [Differentiable]
                public static double F(double x) => x * {|#0:x.CompareTo(1.0)|};
            }
            """,
            Unsupported(0, "x.CompareTo(1.0)", "F", "a call of instance method 'double.CompareTo(double)'; call a static method instead"));

    [Fact]
    public Task Pragma_warning_disable_suppresses_the_error()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                [Differentiable]
                public static double F(double x)
                {
                    double y = x;
            #pragma warning disable LZ0101
                    try { y = x * x; } catch { }
            #pragma warning restore LZ0101
                    return y;
                }
            }
            """);

    // ---- LZ0102: calls without a derivative ---------------------------------------------

    [Fact]
    public Task Math_function_without_a_rule_is_reported_on_the_call()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                [Differentiable]
                public static double F(double x) => {|#0:Math.BitIncrement(x)|} * x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.NonDifferentiableCall).WithLocation(0).WithArguments("System.Math.BitIncrement(double)", "give it a [Derivative(Of = nameof(BitIncrement), In = typeof(Math))], or wrap the call in NoDerivative(...) if its derivative should be zero"));

    [Fact]
    public Task Piecewise_constant_math_functions_are_data_without_a_diagnostic()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                [Differentiable]
                public static double F(double x, float y)
                    => Math.Floor(x) * x + Math.Ceiling(x) + Math.Truncate(x) + Math.Round(x) + Math.Round(x, 2)
                       + Math.Round(x, MidpointRounding.AwayFromZero) + double.Round(x, 1, MidpointRounding.ToZero)
                       + Math.Sign(x) * x + MathF.Floor(y) * y + float.Round(y, MidpointRounding.ToEven) + float.Sign(y);
            }
            """);

    [Fact]
    public Task A_rounding_mode_that_is_not_a_constant_is_reported()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                [Differentiable]
                public static double F(double x) => x * Math.Round(x, {|#0:x > 0 ? MidpointRounding.ToEven : 0|});
            }
            """,
            Unsupported(0, "x > 0 ? MidpointRounding.ToEven : 0", "F", "a MidpointRounding that is not a constant"));

    [Fact]
    public Task Generic_math_statics_of_double_and_float_are_differentiable()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                [Differentiable]
                public static double F(double x, double y)
                    => double.Sin(x) * double.Hypot(x, y) + double.Exp2(y) + double.Log(x, 3) + double.RootN(x, 3) + double.ScaleB(y, 2)
                       + Math.Sinh(x) + Math.Acosh(y) + Math.Cbrt(x) + Math.FusedMultiplyAdd(x, y, 1) + Math.CopySign(x, y);

                [Differentiable]
                public static float G(float x, float y) => float.SinPi(x) + float.Lerp(x, y, 0.5f) + MathF.Atanh(x) + MathF.Log2(y);
            }
            """);

    [Fact]
    public Task User_method_without_Differentiable_is_reported_on_the_call()
        => VerifyAnalyzersAsync(Scalar + """
            namespace Demo;

            public static partial class Functions
            {
                static double G(double x) => x * x;

                [Differentiable]
                public static double F(double x)
                {
                    double y = Math.Sin(x);
                    return {|#0:G(y)|} + 1;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.NonDifferentiableCall).WithLocation(0).WithArguments("Demo.Functions.G(double)", "mark it [Differentiable], give it a [Derivative(Of = nameof(G))], or wrap the call in NoDerivative(...) if its derivative should be zero"));

    // ---- LZ0103: signatures ---------------------------------------------------------------

    [Fact]
    public Task Instance_method_is_reported_on_its_name()
        => VerifyAnalyzersAsync(Scalar + """
            public partial class Functions
            {
                [Differentiable]
                public double {|#0:F|}(double x) => x * x;
            }
            """,
            Signature(0, "F", "must be static, or an instance method of a [Model] class"));

    [Fact]
    public Task Method_returning_int_is_reported()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                [Differentiable]
                public static int {|#0:F|}(double x) => (int)x;
            }
            """,
            Signature(0, "F", "must return double, float or Tensor, not int"));

    [Fact]
    public Task Ref_parameter_is_reported()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                [Differentiable]
                public static double {|#0:F|}(ref double x) => x * x;
            }
            """,
            Signature(0, "F", "has a ref parameter 'x'; pass it by value"));

    [Fact]
    public Task Model_method_with_several_parameters_is_told_the_tuple_form()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public partial class Net
            {
                [Parameter] Tensor w = ones(2, 2);

                [Differentiable]
                public Tensor {|#0:Encode|}(Tensor tokens, Tensor mask) => tokens.matmul(w) * mask;

                [Differentiable]
                public Tensor Forward(Tensor x) => x.matmul(w);
            }
            """,
            Signature(0, "Encode", "is a [Model] method taking 2 parameters; take several inputs as one tuple of tensors, Encode((Tensor tokens, Tensor mask) input), and read them as input.tokens or var (tokens, mask) = input"));

    [Fact]
    public Task A_tuple_input_read_as_a_whole_is_reported_with_its_elements()
        => VerifyAnalyzersAsync(Usings + """
            [Model]
            public partial class Net
            {
                [Parameter] Tensor w = ones(2, 2);

                [Differentiable]
                public Tensor Forward((Tensor Tokens, Tensor Mask) input) => Pick({|#0:input|}).matmul(w);

                static Tensor Pick((Tensor Tokens, Tensor Mask) pair) => pair.Tokens;
            }
            """,
            Unsupported(0, "input", "Forward", "the tuple input 'input' as a whole; read its elements (input.Tokens) or deconstruct it first: var (a, b) = input;"));

    [Fact]
    public Task Wrt_naming_a_missing_parameter_is_reported()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                [Differentiable(Wrt = new[] { "z" })]
                public static double {|#0:F|}(double x, double y) => x * y;
            }
            """,
            Signature(0, "F", "lists 'z' in Wrt, but has no parameter of that name"));

    [Fact]
    public Task Method_without_a_floating_point_parameter_is_reported()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                [Differentiable]
                public static double {|#0:F|}(int n) => n * 0.5;
            }
            """,
            Signature(0, "F", "has no double, float or Tensor parameter to differentiate with respect to"));

    [Fact]
    public Task Unsupported_parameter_type_is_reported()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                [Differentiable]
                public static double {|#0:F|}(double x, Pair n) => x;
            }

            public struct Pair { public double A, B; }
            """,
            Signature(0, "F", "has parameter 'n' of type Pair; supported are double, float, int, long, bool, Tensor and arrays of double or float; pass the fields of Pair as separate parameters (or a double[])"));

    // ---- LZ0104: partial ------------------------------------------------------------------

    [Fact]
    public Task Non_partial_class_is_reported_on_its_identifier()
        => VerifyAnalyzersAsync(Scalar + """
            public static class {|#0:Functions|}
            {
                [Differentiable]
                public static double Square(double x) => x * x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.DifferentiableMustBeInPartialType).WithLocation(0).WithArguments("Functions", "Square"));

    [Fact]
    public Task Non_partial_container_of_a_partial_class_is_reported_on_the_container()
        => VerifyAnalyzersAsync(Scalar + """
            public class {|#0:Outer|}
            {
                public static partial class Functions
                {
                    [Differentiable]
                    public static double Square(double x) => x * x;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.DifferentiableMustBeInPartialType).WithLocation(0).WithArguments("Outer", "Square"));

    [Fact]
    public Task Innermost_non_partial_type_is_reported_first()
        => VerifyAnalyzersAsync(Scalar + """
            public class Outer
            {
                public static class {|#0:Functions|}
                {
                    [Differentiable]
                    public static double Square(double x) => x * x;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.DifferentiableMustBeInPartialType).WithLocation(0).WithArguments("Functions", "Square"));

    [Fact]
    public Task Each_Differentiable_method_of_a_non_partial_class_is_reported()
        => VerifyAnalyzersAsync(Scalar + """
            public static class {|#0:Functions|}
            {
                [Differentiable]
                public static double Square(double x) => x * x;

                [Differentiable]
                public static double Cube(double x) => x * x * x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.DifferentiableMustBeInPartialType).WithLocation(0).WithArguments("Functions", "Square"),
            Diagnostic(DiagnosticDescriptors.DifferentiableMustBeInPartialType).WithLocation(0).WithArguments("Functions", "Cube"));

    [Fact]
    public Task Non_partial_class_and_an_unsupported_body_are_both_reported()
        => VerifyAnalyzersAsync(Scalar + """
            public static class {|#0:Functions|}
            {
                [Differentiable]
                public static double F(double x) => {|#1:Math.BitIncrement(x)|};
            }
            """,
            Diagnostic(DiagnosticDescriptors.DifferentiableMustBeInPartialType).WithLocation(0).WithArguments("Functions", "F"),
            Diagnostic(DiagnosticDescriptors.NonDifferentiableCall).WithLocation(1).WithArguments("System.Math.BitIncrement(double)", "give it a [Derivative(Of = nameof(BitIncrement), In = typeof(Math))], or wrap the call in NoDerivative(...) if its derivative should be zero"));

    [Fact]
    public Task Non_partial_model_gets_LZ0001_only()
        => VerifyAnalyzersAsync(Usings + """
            public class {|#0:Layers|}
            {
                [Model]
                public class {|#1:Scale|}
                {
                    [Differentiable]
                    public Tensor Forward(Tensor x) => x;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.ModelMustBePartial).WithLocation(0).WithArguments("Layers"),
            Diagnostic(DiagnosticDescriptors.ModelMustBePartial).WithLocation(1).WithArguments("Scale"));

    // ---- What is accepted -----------------------------------------------------------------

    [Fact]
    public Task Loops_branches_and_early_return_are_accepted()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                const double Hundred = 100;

                [Differentiable]
                public static double Rosenbrock(double[] x)
                {
                    double sum = 0;
                    for (int i = 0; i + 1 < x.Length; i++)
                    {
                        double a = x[i + 1] - x[i] * x[i];
                        double b = 1 - x[i];
                        sum += Hundred * a * a + b * b;
                    }
                    return sum;
                }

                [Differentiable]
                public static double Piecewise(double x, int n)
                {
                    if (x < 0) return -x;
                    else if (x > 10)
                    {
                        return x * 0.5;
                    }

                    double y = x;
                    int i = 0;
                    while (i < n && y < 1e6)
                    {
                        y = y > 1 ? y * x : y + x;
                        i++;
                    }
                    return y;
                }
            }
            """);

    [Fact]
    public Task Math_calls_and_calls_to_other_Differentiable_methods_are_accepted()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                [Differentiable]
                public static double Square(double x) => x * x;

                [Differentiable(Wrt = new[] { nameof(x) })]
                public static double F(double x, [NoDerivative] double scale)
                    => scale * Math.Sin(x) * Math.Exp(-Square(x)) + Math.Pow(Math.Abs(x), 1.5) + Math.Max(x, 0);

                [Differentiable]
                public static float G(float x) => MathF.Tanh(x) * MathF.Sqrt(1 + x * x);
            }
            """);

    [Fact]
    public Task NoDerivative_around_a_non_differentiable_call_is_accepted()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                static double G(double x) => x * x;

                [Differentiable]
                public static double F(double x)
                    => x * Derivatives.NoDerivative(Math.BitIncrement(x)) + Derivatives.NoDerivative(G(x)) + Derivatives.NoDerivative(x);
            }
            """);

    [Fact]
    public Task Integer_only_helper_calls_are_accepted()
        => VerifyAnalyzersAsync(Scalar + """
            public static partial class Functions
            {
                [Differentiable]
                public static double F(double x, int i, int j)
                {
                    int n = Math.Max(i, j);
                    return x * n + Math.Abs(i - j);
                }
            }
            """);

    [Fact]
    public Task Method_without_Differentiable_is_not_checked()
        => VerifyAnalyzersAsync(Scalar + """
            public class Functions
            {
                static double last;

                public static double F(double x)
                {
                    try { last = Math.Floor(x); } catch { }
                    foreach (var c in "ab") last += c;
                    return last;
                }

                [Obsolete]
                public double G(ref double x) => x;
            }
            """);
}
