using System.Globalization;
using System.Text;
using CsCheck;

namespace Leibniz.Fuzzing.Tests.TensorPrograms;

/// <summary>
/// Random <c>[Model]</c> classes: 2–4 linear layers of random widths (with or without bias), each but possibly the
/// last followed by relu, tanh or sigmoid (as functions or methods), over an input with one or two batch dimensions,
/// alone or in a tuple with a gate; a layer is a <c>[Parameter]</c> pair or an <c>nn.Linear</c> field.
/// </summary>
internal sealed class TensorModelGenerator : Gen<TensorModel>
{
    public override TensorModel Generate(PCG pcg, Size? min, out Size size)
    {
        var seed = pcg.ToString();
        int Next(int n) => (int)pcg.Next((uint)n);
        var features = new SortedSet<string>(StringComparer.Ordinal);
        var batch = Next(3) == 0 ? new long[] { 2 + Next(2), 2 + Next(2) } : new long[] { 2 + Next(4) };
        if (batch.Length == 2) features.Add("two batch dimensions");
        var width = (long)(2 + Next(4));
        var input = batch.Append(width).ToArray();
        var layers = 2 + Next(3);
        var parameters = new List<TensorParameter>();
        var modules = new List<TensorModule>();
        var body = new StringBuilder();
        var current = "x";
        // Which layers are TorchSharp Linear modules held in fields, from the seed apart from the draws above and below,
        // so a seed's other choices stay what they were.
        var moduleLayers = Infrastructure.StableHash.Of(seed + "modules");
        for (var layer = 0; layer < layers; layer++)
        {
            var next = (long)(1 + Next(5));
            var w = "w" + layer.ToString(CultureInfo.InvariantCulture);
            var withBias = Next(10) < 7;
            if (!withBias) features.Add("linear without bias");
            string affine;
            if ((moduleLayers >> layer) % 4 == 0)
            {
                // The layer as a TorchSharp module: its parameters are the module's, named under the field.
                features.Add("nn.Linear field");
                var field = "layer" + layer.ToString(CultureInfo.InvariantCulture);
                modules.Add(new TensorModule(field, $"TorchSharp.Modules.Linear", $"nn.Linear({width}, {next}, hasBias: {(withBias ? "true" : "false")}, dtype: ScalarType.Float64)"));
                parameters.Add(new TensorParameter(field + ".weight", new[] { next, width }));
                if (withBias) parameters.Add(new TensorParameter(field + ".bias", new[] { next }));
                affine = $"{field}.call({current})";
            }
            else
            {
                parameters.Add(new TensorParameter(w, new[] { next, width }));
                string? bias = null;
                if (withBias)
                {
                    bias = "b" + layer.ToString(CultureInfo.InvariantCulture);
                    parameters.Add(new TensorParameter(bias, new[] { next }));
                }

                affine = bias is null ? $"nn.functional.linear({current}, {w})" : $"nn.functional.linear({current}, {w}, {bias})";
            }

            var last = layer == layers - 1;
            var activation = last && Next(2) == 0 ? -1 : Next(6);
            var text = activation switch
            {
                0 => $"nn.functional.relu({affine})",
                1 => $"torch.tanh({affine})",
                2 => $"nn.functional.sigmoid({affine})",
                3 => $"{affine}.relu()",
                4 => $"{affine}.tanh()",
                5 => $"torch.sigmoid({affine})",
                _ => affine,
            };
            features.Add(activation switch { 0 or 3 => "relu", 1 or 4 => "tanh", 2 or 5 => "sigmoid", _ => "linear output" });
            var name = "h" + layer.ToString(CultureInfo.InvariantCulture);
            body.Append("        ");
            body.Append(last ? $"return {text};\n" : $"var {name} = {text};\n");
            current = name;
            width = next;
            if (!last && Next(3) == 0) Extra(name, next);
            if (!last && (moduleLayers >> (8 + layer)) % 3 == 0)
            {
                // A square nn.Linear applied over a few steps: a module call the reverse loop recomputes.
                features.Add("nn.Linear in a loop");
                var cell = "cell" + layer.ToString(CultureInfo.InvariantCulture);
                modules.Add(new TensorModule(cell, "TorchSharp.Modules.Linear", $"nn.Linear({next}, {next}, dtype: ScalarType.Float64)"));
                parameters.Add(new TensorParameter(cell + ".weight", new[] { next, next }));
                parameters.Add(new TensorParameter(cell + ".bias", new[] { next }));
                body.Append($"        for (var step = 0; step < 2; step++) {name} = {cell}.call({name}).tanh() * 0.5 + {name};\n");
            }
        }

        // A shape-keeping step between layers, written as users write them around sizes, masks and creation.
        void Extra(string h, long units)
        {
            string text;
            switch (Next(5))
            {
                case 0:
                    features.Add("mask");
                    text = Next(2) == 0 ? $"{h} = torch.where(({h} > 0.2) & {h}.isfinite(), {h}, {h} * 0.5);" : $"{h} = {h}.masked_fill({h} < -0.5, 0.25);";
                    break;
                case 1:
                    features.Add("loop to a size");
                    text = Next(2) == 0
                        ? $"for (long t = 0; t < {h}.shape[0]; t++) {h} = ({h} * 0.5 + {h}.narrow(0, t, 1)).tanh();"
                        : $"for (var t = 0; t < {h}.size(-1); t++) {h} = {h} + {h}.narrow(-1, t, 1) * 0.25;";
                    break;
                case 2:
                    features.Add("layer_norm");
                    text = $"{h} = nn.functional.layer_norm({h}, new long[] {{ {units.ToString(CultureInfo.InvariantCulture)} }});";
                    break;
                case 3:
                    features.Add("creation");
                    text = $"{h} = {h} + torch.ones_like({h}) * 0.1 + torch.zeros_like({h}) * {h}.numel();";
                    break;
                default:
                    features.Add("reshape by size");
                    text = $"{h} = {h}.reshape({h}.shape[0], -1).view_as({h});";
                    break;
            }

            body.Append("        ").Append(text).Append('\n');
        }

        size = new Size((ulong)layers);
        // Drawn last, so the models of earlier seeds stay as they were.
        var gated = Next(4) == 0;
        if (gated) features.Add("tuple input");
        return new TensorModel(seed, input, batch.Append(width).ToArray(), parameters, body.ToString(), layers, string.Join(", ", features)) { GatedInput = gated, Modules = modules };
    }

    public TensorModel FromSeed(string seed) => Generate(PCG.Parse(seed), null, out _);
}
