using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using static Leibniz.Generators.Tests.Analyzers.AnalyzerTestSetup;

namespace Leibniz.Generators.Tests.Differentiation;

/// <summary>
/// User code whose parameters, locals and fields carry the names the generated code would otherwise give its own seeds,
/// adjoints, tapes, temporaries and members: the generated names move around them, and everything compiles cleanly.
/// </summary>
public sealed class NameCollisionTests
{
    /// <summary>A scalar function (with a loop, a branch and a call) and its forward mode and H·v, every local a generated name.</summary>
    const string Scalar = """
        using System;
        using Leibniz;

        namespace Collisions;

        public static partial class Scalars
        {
            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public static double Helper(double a, double b) => a * Math.Sin(b);

            [Differentiable(Wrt = new[] { nameof(x) }, Modes = DerivativeModes.HessianVectorProduct)]
            public static double Colliding(double x, double seed, double dx, double y, int n)
            {
                double _d_x = x * seed, _d_y = y * x, _d_seed = seed, dseed = 2 * x, _d_result = x;
                double t0 = x * x, t1 = 1, s0 = x, s1 = 0, r0 = 2 * x, r1 = 1, n0 = x, e0 = x, e1 = 0;
                double result = 0, tapeDouble = x, tapeInt = 1, _d_unused = x, _d_unusedF = 1, _unused_y = y, _unused_seed = seed;
                double value = x, direction = x, jacobians = x, input = x, tangent = x, vx = x, gx = x, hvx = x, jx = x, ax = x;
                double product = x, gradient = x, hessian = x, _p0 = x, _p1 = x, dx_1 = dx, _d_dx = x, _d_t0 = x, _d_n0 = x;
                for (int i = 0; i < n; i++)
                {
                    t0 = t0 * Math.Sin(x) + seed * y;
                    s0 = s0 + t0 * x;
                }

                if (x > 0) result = t0 * seed + Helper(x, 2.0);
                else result = t0 + y * Helper(3.0, x);
                t1 = _d_x + _d_y + _d_seed + dseed + _d_result + t1 + s0 + s1 + r0 + r1 + n0 + e0 + e1 + tapeDouble + tapeInt;
                r1 = _d_unused + _d_unusedF + _unused_y + _unused_seed + value + direction + jacobians + input + tangent + vx + gx + hvx;
                e1 = jx + ax + product + gradient + hessian + _p0 + _p1 + dx_1 + _d_dx + _d_t0 + _d_n0 + dx;
                return result + t1 * r1 + e1 * x;
            }

            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public static double Arrays(double[] xs, double seed, double[] dxs)
            {
                double tapeDouble = 0, _d_tapeDouble = 1, direction = 1, hessian = 1, gradient = 1, product = 1;
                for (int i = 0; i < xs.Length; i++) tapeDouble = tapeDouble * seed + xs[i] * xs[i] * dxs[0];
                return tapeDouble * (_d_tapeDouble + direction + hessian + gradient + product);
            }
        }
        """;

    /// <summary>A tensor function, its Jacobian (whose lambdas take <c>input</c>, <c>direction</c> and <c>seed</c>) and H·v.</summary>
    const string Tensors = """
        using Leibniz;
        using TorchSharp;
        using static TorchSharp.torch;

        namespace Collisions;

        public static partial class Tensors
        {
            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public static Tensor Colliding(Tensor input, Tensor seed, Tensor direction)
            {
                var t0 = input * seed;
                var _d_input = t0.tanh();
                var result = _d_input * direction;
                var value = result + t0;
                var jacobians = value.sigmoid();
                var tapeTensor = jacobians * input;
                var _d_unusedT = tapeTensor + 1;
                var tangent = _d_unusedT * seed;
                var dinput = tangent + direction;
                var r0 = dinput * dinput;
                return r0 + _d_input;
            }
        }
        """;

    /// <summary>
    /// A model whose fields, <c>Forward</c> input (named <c>seed</c>, and reassigned) and locals carry the sweep class's
    /// private member names, calling a model whose field is named like one too.
    /// </summary>
    const string Model = """
        using Leibniz;
        using TorchSharp;
        using static TorchSharp.torch;

        namespace Collisions;

        [Model]
        public partial class Inner
        {
            [Parameter] Tensor _owner = randn(3, 3);
            [Parameter] Tensor pulledBack = randn(3);

            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public Tensor Forward(Tensor inputGradient) => inputGradient.matmul(_owner).tanh() + pulledBack;
        }

        [Model]
        public partial class Colliding
        {
            [Parameter] Tensor _owner = randn(2, 3);
            [Parameter] Tensor inputGradient = randn(3);
            [Parameter] Tensor model = randn(3);
            Inner _input = new();

            [Differentiable]
            public Tensor Forward(Tensor seed)
            {
                var pulledBack = seed.matmul(_owner) + inputGradient;
                var noGrad = pulledBack.tanh() * model;
                var gradients = _input.Forward(noGrad);
                var pulled = gradients * seed.sum();
                var noGradAfter = pulled + 1;
                var outputGradient = noGradAfter * noGradAfter;
                var ReverseSweepRan = outputGradient.sigmoid();
                var Again = ReverseSweepRan + pulled;
                var GradientsOnTheTape = Again * 2;
                var Owner = GradientsOnTheTape - noGrad;
                var BeginReverseSweep = Owner * model;
                var learningRate = BeginReverseSweep + 1;
                var arguments = learningRate * learningRate;
                var _d_seed = arguments + 1;
                var tapeTensor = _d_seed * 2;
                var sweep = tapeTensor + 1;
                seed = sweep * pulledBack;
                return seed + _d_seed;
            }
        }

        [Model]
        public partial class ForwardModel
        {
            [Parameter] Tensor noGrad = randn(2, 3);
            [Parameter] Tensor jv = randn(3);
            [Parameter] Tensor sweep = randn(3);

            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public Tensor Forward(Tensor gradients)
            {
                var lossCurvature = gradients.matmul(noGrad) + jv;
                var tangent = lossCurvature.tanh() * sweep;
                var _owner = tangent * lossCurvature;
                return _owner + tangent;
            }
        }
        """;

    public static TheoryData<string> Sources() => new() { nameof(Scalar), nameof(Tensors), nameof(Model) };

    static string Source(string name) => name switch
    {
        nameof(Scalar) => Scalar,
        nameof(Tensors) => Tensors,
        _ => Model,
    };

    [Theory]
    [MemberData(nameof(Sources))]
    public void Generated_names_move_around_the_users_and_the_output_compiles_cleanly(string name)
    {
        var (results, output) = GeneratorRunner.RunAll(TestCompilation.Create(("Input.cs", Source(name))));

        Assert.All(results, r => Assert.Null(r.Exception));
        Assert.All(results, r => Assert.Empty(r.Diagnostics));
        Assert.NotEmpty(results.SelectMany(r => r.GeneratedSources));
        Assert.Empty(GeneratorRunner.Problems(output));
    }

    [Fact]
    public void A_user_seed_keeps_its_name_and_the_pullbacks_seed_takes_a_suffix()
    {
        var (result, _) = GeneratorRunner.RunDifferentiable(TestCompilation.Create(("Input.cs", Scalar)));
        var text = result.GeneratedSources.Single(s => s.HintName.Contains("Scalars")).SourceText.ToString();

        Assert.Contains("public static double CollidingPullback(double x, double seed, double dx, double y, int n, double seed_1, ref double dx_2, ref double dseed_1, ref double ddx, ref double dy)", text);
        Assert.Contains("double _d_x_1 = 0;", text);
        Assert.Matches(@"HelperPullback\(x, 2\.0, _d_t\d+, ref _d_x_1, ref _d_unused_1\);", text);
        Assert.Contains("var tapeDouble_1 = global::Leibniz.Generated.Tape<double>.Current;", text);
        Assert.Contains("double result1 = 0;", text);
    }

    [Fact]
    public void A_models_forward_input_named_seed_is_not_shadowed_by_the_pullbacks_seed()
    {
        var (results, _) = GeneratorRunner.RunAll(TestCompilation.Create(("Input.cs", Model)));
        var text = results.SelectMany(r => r.GeneratedSources).Single(s => s.HintName.Contains("Colliding") && s.SourceText.ToString().Contains("ForwardSweep")).SourceText.ToString();

        Assert.Contains("Pullback(global::TorchSharp.torch.Tensor? seed_1 = null)", text);
        Assert.Contains("readonly Colliding _owner_1;", text);
        Assert.Contains("readonly bool inputGradient_1;", text);
        Assert.Contains("bool pulledBack_1;", text);
        Assert.Contains("Descend(global::TorchSharp.torch.Tensor? seed_1, double learningRate_1)", text);
    }

    [Fact]
    public Task A_member_with_the_name_of_a_generated_pullback_is_reported()
        => VerifyAnalyzersAsync("""
            using Leibniz;

            public static partial class Functions
            {
                [Differentiable]
                public static double {|#0:F|}(double x) => x * x;

                public static double FPullback(double x) => 0;
            }
            """,
            Diagnostic(DiagnosticDescriptors.GeneratedNameTaken).WithLocation(0).WithArguments("FPullback", "method", "F"));

    [Fact]
    public Task A_model_local_with_the_name_of_a_public_sweep_member_is_reported()
        => VerifyAnalyzersAsync("""
            using Leibniz;
            using TorchSharp;
            using static TorchSharp.torch;

            [Model]
            public partial class M
            {
                [Parameter] Tensor w = randn(3);

                [Differentiable]
                public Tensor {|#0:Forward|}(Tensor x)
                {
                    var Output = x * w;
                    return Output;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.GeneratedNameTaken).WithLocation(0).WithArguments("Output", "member of ForwardSweep", "Forward"));
}
