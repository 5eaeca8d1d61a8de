using System.Globalization;

namespace Leibniz.Fuzzing.Tests.TensorPrograms;

/// <summary>A float64 tensor parameter of a generated chain, with the shape it has when the chain runs.</summary>
internal sealed record TensorParameter(string Name, long[] Shape)
{
    public string ShapeText => "[" + string.Join(", ", Shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
}

/// <summary>
/// One random tensor <c>[Differentiable]</c> method returning a scalar tensor, as C# text: its tensor parameters (in
/// order, first), an optional trailing int parameter that is data, the body, its size in operations and the features used.
/// </summary>
internal sealed record TensorProgram(
    string Seed,
    IReadOnlyList<TensorParameter> Tensors,
    string? IntParameter,
    string Body,
    int Size,
    string Features)
{
    /// <summary>The value the int parameter has when the chain runs.</summary>
    public int IntArgument { get; init; } = 2;

    /// <summary>Whether F returns a tensor of rank ≥ 1 rather than a scalar.</summary>
    public bool ReturnsTensor { get; init; }

    public string ClassText(string className)
    {
        var parameters = string.Join(", ", Tensors.Select(p => "Tensor " + p.Name).Concat(IntParameter is null ? Array.Empty<string>() : new[] { "int " + IntParameter }));
        var shapes = string.Join(", ", Tensors.Select(p => p.Name + p.ShapeText));
        var intText = IntParameter is null ? "" : $", {IntParameter} = {IntArgument}";
        return $"// seed {Seed}: {shapes}{intText}; {Features}\npublic static partial class {className}\n{{\n    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]\n    public static Tensor F({parameters})\n    {{\n{Body}    }}\n}}\n";
    }

    /// <summary>The [Differentiable] tensor methods chains may call: shape-keeping, broadcasting, and one with a loop over an int.</summary>
    public const string Helpers = """
        public static partial class TensorHelpers
        {
            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public static Tensor Smooth(Tensor x) => x.sigmoid() * x + x.tanh();

            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public static Tensor Mix(Tensor a, Tensor b) => a * b.tanh() - 0.5 * b;

            [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
            public static Tensor Iterate(Tensor x, int times)
            {
                var h = x;
                for (var i = 0; i < times; i++) h = (h * 0.8).sin() + x * 0.1;
                return h;
            }
        }

        """;

    public const string Usings = "using System;\nusing Leibniz;\nusing TorchSharp;\nusing static TorchSharp.torch;\n\n";
}

/// <summary>
/// One random <c>[Model]</c>: a stack of linear layers and activations over a float64 input of shape
/// <see cref="InputShape"/>, with its parameters' shapes in declaration order and a <c>Reference</c> method holding the
/// same body for autograd. With <see cref="GatedInput"/>, <c>Forward</c> takes a tuple <c>(x, Gate)</c>, the gate of the
/// input's shape scaling it before the first layer.
/// </summary>
internal sealed record TensorModel(
    string Seed,
    long[] InputShape,
    long[] OutputShape,
    IReadOnlyList<TensorParameter> Parameters,
    string Body,
    int Size,
    string Features)
{
    /// <summary>Whether <c>Forward</c> takes the tuple <c>(Tensor x, Tensor Gate)</c> rather than one tensor.</summary>
    public bool GatedInput { get; init; }

    /// <summary>The TorchSharp modules held in fields; their parameters are in <see cref="Parameters"/> as <c>field.name</c>.</summary>
    public IReadOnlyList<TensorModule> Modules { get; init; } = Array.Empty<TensorModule>();

    public string ClassText(string className)
    {
        var own = Parameters.Where(p => !p.Name.Contains('.')).ToList();
        var fields = string.Join("\n", own.Select(p => $"    [Parameter] Tensor {p.Name};").Concat(Modules.Select(m => $"    {m.Type} {m.Field};")));
        var inits = string.Join("\n", own.Select(p =>
            $"        {p.Name} = randn(new long[] {{ {string.Join(", ", p.Shape)} }}, dtype: ScalarType.Float64) * 0.6;").Concat(Modules.Select(m => $"        {m.Field} = {m.Creation};")));
        var input = string.Join(", ", InputShape);
        var (parameter, body) = GatedInput
            ? ("(Tensor x, Tensor Gate) input", "        var (x, gate) = input;\n        x = x * nn.functional.sigmoid(gate) + input.Gate * 0.5;\n" + Body)
            : ("Tensor x", Body);
        return $"// seed {Seed}: x[{input}]{(GatedInput ? " with a gate" : "")}; {Features}\n[Model]\npublic partial class {className}\n{{\n{fields}\n\n    public {className}()\n    {{\n{inits}\n    }}\n\n"
            + $"    [Differentiable]\n    public Tensor Forward({parameter})\n    {{\n{body}    }}\n\n    public Tensor Reference({parameter})\n    {{\n{body}    }}\n}}\n";
    }
}

/// <summary>A TorchSharp module a generated model holds in a field and calls in its <c>Forward</c>.</summary>
internal sealed record TensorModule(string Field, string Type, string Creation);
