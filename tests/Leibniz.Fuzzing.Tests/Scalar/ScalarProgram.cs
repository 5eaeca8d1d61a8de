namespace Leibniz.Fuzzing.Tests.Scalar;

/// <summary>A parameter of a generated program: a number of the program's type, an array of them, or an int that is data.</summary>
internal enum ParameterKind
{
    Number,
    Array,
    Int,

    /// <summary>A number marked <c>[NoDerivative]</c>: data, with no adjoint or tangent.</summary>
    Data,
}

internal sealed record ProgramParameter(string Name, ParameterKind Kind);

/// <summary>
/// One random <c>[Differentiable]</c> method, as C# text, with what running it needs: its parameters, the element
/// type and the values of its int parameters. <c>Size</c> counts its syntax nodes (smaller programs shrink better).
/// </summary>
internal sealed record ScalarProgram(
    string Seed,
    bool IsFloat,
    IReadOnlyList<ProgramParameter> Parameters,
    string Body,
    int Size,
    string Features)
{
    /// <summary>The length every array parameter has when the program runs.</summary>
    public const int ArrayLength = 6;

    /// <summary>The value every int parameter has when the program runs: loops bounded by it run two or three times.</summary>
    public int IntArgument { get; init; } = 2;

    /// <summary>The value every <c>[NoDerivative]</c> number parameter has when the program runs.</summary>
    public const double DataArgument = 0.75;

    /// <summary>The construct outside the subset this program holds on purpose, if any: the generator must refuse it with an LZ diagnostic.</summary>
    public string? Unsupported { get; init; }

    /// <summary>Whether H·v is generated and checked too (a double program only; it triples the generated code, so not every one).</summary>
    public bool WithHessianVectorProduct { get; init; }

    public string Type => IsFloat ? "float" : "double";

    /// <summary>The method in a class of its own, so that its generated file and diagnostics are told apart from other programs'.</summary>
    public string ClassText(string className)
    {
        var parameters = string.Join(", ", Parameters.Select(p => p.Kind switch
        {
            ParameterKind.Number => Type + " " + p.Name,
            ParameterKind.Data => "[NoDerivative] " + Type + " " + p.Name,
            ParameterKind.Array => Type + "[] " + p.Name,
            _ => "int " + p.Name,
        }));
        var modes = WithHessianVectorProduct ? "DerivativeModes.HessianVectorProduct" : "DerivativeModes.Forward";
        return $"// seed {Seed}: {Features}\npublic static partial class {className}\n{{\n    [Differentiable(Modes = {modes})]\n    public static {Type} F({parameters})\n    {{\n{Body}    }}\n}}\n";
    }

    /// <summary>The [Differentiable] methods programs may call: one plain, one with two inputs, one with a loop, one recursive.</summary>
    public const string Helpers = """
        public static partial class Helpers
        {
            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public static double Square(double a) => a * a;

            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public static double Blend(double a, double b) => a * Math.Sin(b) + 0.5 * b;

            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public static double Repeat(double a, int times)
            {
                var s = 0.0;
                for (var i = 0; i < times; i++) s = Math.Sin(s + a) * 0.9;
                return s;
            }

            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public static double Nest(double a, int depth)
            {
                if (depth <= 0) return a;
                return Math.Cos(Nest(a, depth - 1)) * a;
            }

            [Differentiable(Modes = DerivativeModes.Forward)]
            public static float SquareF(float a) => a * a;

            [Differentiable(Modes = DerivativeModes.Forward)]
            public static float RepeatF(float a, int times)
            {
                var s = 0f;
                for (var i = 0; i < times; i++) s = MathF.Sin(s + a) * 0.9f;
                return s;
            }
        }

        """;

    public const string Usings = "using System;\nusing Leibniz;\n\n";
}
