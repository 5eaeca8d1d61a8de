using System.Globalization;
using System.Text;
using CsCheck;

namespace Leibniz.Fuzzing.Tests.TensorPrograms;

/// <summary>
/// Random chains over the tensor rule table in float64 (docs/testing.md, "Tensor programs", has the grammar). A chain is
/// written imperatively from a PCG stream so that every value's shape is known while writing: broadcasting partners,
/// matmul weights and concatenation partners are drawn to fit, and new parameters are added with the shape an
/// operation needs. CsCheck drives the stream and shrinks a failure by the number of operations.
/// </summary>
internal sealed class TensorProgramGenerator : Gen<TensorProgram>
{
    public override TensorProgram Generate(PCG pcg, Size? min, out Size size)
    {
        var seed = pcg.ToString();
        var program = new TensorChainWriter(pcg).Write(seed);
        size = new Size((ulong)program.Size);
        return program;
    }

    public TensorProgram FromSeed(string seed) => Generate(PCG.Parse(seed), null, out _);
}

/// <summary>A value in scope while a chain is written: its shape, and whether it is bounded (safe under exp) or positive (safe under log, sqrt, division).</summary>
internal sealed record ChainValue(string Name, long[] Shape, bool Bounded, bool Positive);

internal sealed class TensorChainWriter
{
    const int MaxParameters = 5;
    static readonly string[] ParameterNames = { "a", "b", "c", "d", "e" };

    readonly PCG _pcg;
    readonly StringBuilder _text = new();
    readonly List<ChainValue> _values = new();
    readonly List<TensorParameter> _parameters = new();
    readonly HashSet<string> _features = new();
    string? _intParameter;
    bool _returnsTensor;
    int _indent = 2;
    int _size;
    int _names;
    long[] _frame = Array.Empty<long>();

    public TensorChainWriter(PCG pcg) => _pcg = pcg;

    int Next(int n) => (int)_pcg.Next((uint)n);

    bool Chance(int percent) => Next(100) < percent;

    T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    static string L(long value) => value.ToString(CultureInfo.InvariantCulture) + "L";

    void Line(string text) => _text.Append(' ', 4 * _indent).Append(text).Append('\n');

    void Feature(string name) => _features.Add(name);

    public TensorProgram Write(string seed)
    {
        var pool = new List<long> { 2, 3, 4, 5 };
        var rank = 1 + Next(3);
        var frame = new List<long>();
        for (var i = 0; i < rank; i++)
        {
            var dim = pool[Next(pool.Count)];
            pool.Remove(dim);
            frame.Add(dim);
        }

        _frame = frame.ToArray();
        AddParameter(_frame);
        if (Chance(60)) AddParameter(BroadcastVariant(_frame));
        if (Chance(40))
        {
            _intParameter = "n";
            Feature("if/loop on int");
        }

        var statements = 2 + Next(6);
        for (var s = 0; s < statements; s++) Statement();
        Return();
        var intArgument = 2 + Next(2);
        return new TensorProgram(seed, _parameters.ToList(), _intParameter, _text.ToString(), _size, string.Join(", ", _features.OrderBy(f => f, StringComparer.Ordinal)))
        {
            IntArgument = intArgument,
            ReturnsTensor = _returnsTensor,
        };
    }

    ChainValue AddParameter(long[] shape)
    {
        var parameter = new TensorParameter(ParameterNames[_parameters.Count], shape);
        _parameters.Add(parameter);
        var value = new ChainValue(parameter.Name, shape, false, false);
        _values.Add(value);
        return value;
    }

    bool CanAddParameter => _parameters.Count < MaxParameters;

    /// <summary>A shape that broadcasts into <paramref name="shape"/>: some leading dimensions dropped, some set to one.</summary>
    long[] BroadcastVariant(long[] shape)
    {
        var drop = shape.Length == 0 ? 0 : Next(shape.Length + 1);
        return shape.Skip(drop).Select(d => Chance(35) ? 1L : d).ToArray();
    }

    static long[]? Broadcast(long[] x, long[] y)
    {
        var rank = Math.Max(x.Length, y.Length);
        var result = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            var a = i < rank - x.Length ? 1 : x[i - (rank - x.Length)];
            var b = i < rank - y.Length ? 1 : y[i - (rank - y.Length)];
            if (a != b && a != 1 && b != 1) return null;
            result[i] = Math.Max(a, b);
        }

        return result;
    }

    static bool Same(long[] x, long[] y) => x.SequenceEqual(y);

    string NewName(string prefix) => prefix + (_names++).ToString(CultureInfo.InvariantCulture);

    ChainValue Recent()
    {
        // Prefer the latest values, so that chains grow long rather than wide.
        var index = _values.Count - 1 - Math.Min(Next(3), _values.Count - 1);
        return _values[index];
    }

    void Statement()
    {
        var roll = Next(100);
        if (roll < 14) Loop();
        else if (roll < 26 && _intParameter is not null) Branch();
        else
        {
            var source = Recent();
            var (text, shape, bounded, positive) = Operation(source, keepShape: false);
            Declare(text, shape, bounded, positive);
        }
    }

    ChainValue Declare(string text, long[] shape, bool bounded, bool positive, string prefix = "t")
    {
        var name = NewName(prefix);
        Line($"var {name} = {text};");
        var value = new ChainValue(name, shape, bounded, positive);
        _values.Add(value);
        return value;
    }

    /// <summary><c>for</c> over a constant count or the int parameter, carrying a tensor through a shape-keeping, bounded step.</summary>
    void Loop()
    {
        var source = Recent();
        var carried = Declare(source.Name, source.Shape, source.Bounded, source.Positive, "h");
        var counter = NewName("i");
        var sized = _values.Where(v => v.Shape.Length > 0 && v.Shape[0] <= 4).ToList();
        if (sized.Count > 0 && Chance(35))
        {
            // Loops to a size read from a tensor, with a long counter or an int one compared against it.
            var bound = Pick(sized).Name;
            var (declaration, limit) = Next(3) switch
            {
                0 => ($"long {counter} = 0", $"{bound}.shape[0]"),
                1 => ($"var {counter} = 0", $"{bound}.size(0)"),
                _ => ($"long {counter} = 0", $"{bound}.shape[0] - 1 + 1"),
            };
            Feature("loop (size bound)");
            Line($"for ({declaration}; {counter} < {limit}; {counter}++)");
        }
        else
        {
            var count = _intParameter is not null && Chance(50) ? _intParameter : (2 + Next(2)).ToString(CultureInfo.InvariantCulture);
            Feature(count == _intParameter ? "loop (int bound)" : "loop (constant bound)");
            Line($"for (var {counter} = 0; {counter} < {count}; {counter}++)");
        }

        Line("{");
        _indent++;
        var mark = _values.Count;
        var current = carried;
        if (Chance(40))
        {
            var (tempText, tempShape, tempBounded, tempPositive) = Operation(carried, keepShape: true);
            current = Declare(tempText, tempShape, tempBounded, tempPositive, "u");
            Feature("loop-local value");
        }

        var (text, _, _, _) = Operation(current, keepShape: true);
        var squash = Next(3) switch { 0 => $"({text}).tanh()", 1 => $"torch.sigmoid({text})", _ => $"({text}) * 0.5" };
        Line($"{carried.Name} = {squash};");
        _size++;
        _values.RemoveRange(mark, _values.Count - mark);
        _indent--;
        Line("}");
        // After the loop the carried value is bounded only if the squash bounds it; be conservative.
        _values[_values.IndexOf(carried)] = carried with { Bounded = squash.EndsWith(".tanh()", StringComparison.Ordinal) || squash.StartsWith("torch.sigmoid", StringComparison.Ordinal), Positive = squash.StartsWith("torch.sigmoid", StringComparison.Ordinal) };
    }

    /// <summary>An <c>if</c> on the int parameter choosing between two shape-keeping updates of one value.</summary>
    void Branch()
    {
        var source = Recent();
        var (text, shape, _, _) = Operation(source, keepShape: true);
        var value = Declare(text, shape, false, false);
        var condition = Next(3) switch { 0 => $"{_intParameter} > 2", 1 => $"{_intParameter} % 2 == 0", _ => $"{_intParameter} <= 2" };
        Feature("if");
        Line($"if ({condition})");
        Line("{");
        _indent++;
        Line($"{value.Name} = {Operation(value, keepShape: true).Text};");
        _indent--;
        Line("}");
        if (Chance(60))
        {
            Feature("if/else");
            Line("else");
            Line("{");
            _indent++;
            Line($"{value.Name} = {Operation(value, keepShape: true).Text};");
            _indent--;
            Line("}");
        }
    }

    void Return()
    {
        var last = _values[^1];
        if (last.Shape.Length > 0 && Chance(30))
        {
            // A tensor-valued chain: the pullback's seed and the tangent then have the output's shape.
            Feature("tensor-valued");
            _returnsTensor = true;
            Line($"return {(Chance(50) ? last.Name : last.Name + " * 2.0")};");
            _size++;
            return;
        }

        var partner = _values.Where(v => !ReferenceEquals(v, last) && Broadcast(v.Shape, last.Shape) is not null).ToList();
        var text = Next(6) switch
        {
            0 => $"{last.Name}.sum()",
            1 => $"{last.Name}.mean()",
            2 => $"{last.Name}.square().sum()",
            3 when partner.Count > 0 => $"({last.Name} * {Pick(partner).Name}).sum()",
            4 when partner.Count > 0 => $"{last.Name}.sum() + {Pick(partner).Name}.mean()",
            _ => $"{last.Name}.sin().sum()",
        };
        Line($"return {text};");
        _size++;
    }

    /// <summary>One operation on <paramref name="a"/>; with <paramref name="keepShape"/> the result has a's shape.</summary>
    (string Text, long[] Shape, bool Bounded, bool Positive) Operation(ChainValue a, bool keepShape)
    {
        _size++;
        var roll = Next(100);
        if (roll < 40) return Unary(a);
        if (roll < 62) return Binary(a, keepShape);
        if (roll < 70) return ScalarArithmetic(a);
        if (roll < 80) return Matmul(a, keepShape);
        if (roll < 90 && !keepShape) return Reduction(a);
        if (!keepShape) return ShapeOperation(a);
        return Unary(a);
    }

    (string, long[], bool, bool) ScalarArithmetic(ChainValue a)
    {
        Feature("scalar arithmetic");
        var v = a.Name;
        return Next(7) switch
        {
            0 => ($"{v} * 0.5", a.Shape, a.Bounded, a.Positive),
            1 => ($"0.75 * {v}", a.Shape, a.Bounded, a.Positive),
            2 => ($"{v} + 1.5", a.Shape, a.Bounded, false),
            3 => ($"2.0 - {v}", a.Shape, a.Bounded, false),
            4 => ($"{v} / 4.0", a.Shape, a.Bounded, a.Positive),
            5 => ($"{v}.mul(1.25)", a.Shape, a.Bounded, a.Positive),
            _ => ($"-{v}", a.Shape, a.Bounded, false),
        };
    }

    (string, long[], bool, bool) Unary(ChainValue a)
    {
        var v = a.Name;
        var s = a.Shape;
        var kinds = new List<Func<(string, long[], bool, bool)>>
        {
            () => { Feature("tanh"); return (Pick(new[] { $"{v}.tanh()", $"nn.functional.tanh({v})", $"torch.tanh({v})" }), s, true, false); },
            () => { Feature("sigmoid"); return (Pick(new[] { $"{v}.sigmoid()", $"nn.functional.sigmoid({v})" }), s, true, true); },
            () => { Feature("sin/cos"); return (Pick(new[] { $"{v}.sin()", $"{v}.cos()", $"torch.sin({v})" }), s, true, false); },
            () => { Feature("exp"); return (a.Bounded ? Pick(new[] { $"{v}.exp()", $"torch.exp({v})" }) : $"{v}.tanh().exp()", s, true, true); },
            () => { Feature("log"); return (a.Positive ? $"{v}.log()" : $"({v}.square() + 1.0).log()", s, false, false); },
            () => { Feature("sqrt"); return (a.Positive ? $"{v}.sqrt()" : $"({v}.square() + 0.5).sqrt()", s, a.Bounded, true); },
            () => { Feature("relu"); return (Pick(new[] { $"nn.functional.relu({v})", $"{v}.relu()" }), s, a.Bounded, false); },
            () => { Feature("abs"); return ($"{v}.abs()", s, a.Bounded, false); },
            () => { Feature("square"); return ($"{v}.square()", s, a.Bounded, false); },
            () => { Feature("pow"); return (a.Positive ? $"{v}.pow(1.5)" : $"{v}.pow(3)", s, a.Bounded, a.Positive); },
            () => { Feature("leaky_relu"); return ($"nn.functional.leaky_relu({v}, 0.1)", s, a.Bounded, false); },
            () => { Feature("softplus"); return ($"nn.functional.softplus({v})", s, a.Bounded, true); },
            () => { Feature("silu"); return ($"nn.functional.silu({v})", s, a.Bounded, false); },
            () => { Feature("clamp"); return (Pick(new[] { $"{v}.clamp(-1.0, 1.0)", $"{v}.clamp_min(-0.5)", $"{v}.clamp_max(0.5)" }), s, a.Bounded, false); },
            () => { Feature("erfc"); return ($"{v}.erfc()", s, true, true); },
            () =>
            {
                Feature("masks");
                return (Pick(new[]
                {
                    $"{v}.masked_fill({v} < -0.5, 0.25)",
                    $"torch.where(({v} > 0.1) & {v}.isfinite(), {v}, {v} * 0.5)",
                    $"torch.where(torch.logical_or({v} < -1.0, {v}.isnan()), {v}.square(), {v})",
                    $"{v} * torch.logical_not({v} > 0.3).to_type({v}.dtype)",
                }), s, a.Bounded, false);
            },
            () =>
            {
                // Constants created from sizes read from a value (dtype and device left to their defaults, or taken
                // from it), combined with it.
                Feature("creation");
                var sizes = string.Join(", ", s.Select((_, i) => $"{v}.shape[{i}]"));
                var created = s.Length is >= 1 and <= 4 ? Pick(new[] { $"torch.ones({sizes})", $"torch.full({(s.Length == 1 ? sizes : "new long[] { " + sizes + " }")}, 0.5, dtype: {v}.dtype)" }) : $"torch.ones_like({v})";
                return (Pick(new[] { $"{v} * {created}", $"{v} + torch.zeros_like({v}) * {v}.numel()", $"{v} / ({created} + {v}.dim())" }), s, a.Bounded, false);
            },
            () => { Feature("call"); return ($"TensorHelpers.Smooth({v})", s, false, false); },
            () =>
            {
                Feature("call (loop inside)");
                var times = _intParameter is not null && Chance(50) ? _intParameter : (1 + Next(3)).ToString(CultureInfo.InvariantCulture);
                return ($"TensorHelpers.Iterate({v}, {times})", s, a.Bounded, false);
            },
        };
        if (s.Length > 0)
        {
            kinds.Add(() =>
            {
                Feature("softmax");
                var dim = L(Next(s.Length));
                return (Pick(new[] { $"{v}.softmax({dim})", $"nn.functional.softmax({v}, {dim})" }), s, true, true);
            });
            kinds.Add(() =>
            {
                Feature("log_softmax");
                var dim = L(Next(s.Length));
                return (Pick(new[] { $"{v}.log_softmax({dim})", $"nn.functional.log_softmax({v}, {dim})" }), s, false, false);
            });
        }

        return Pick(kinds)();
    }

    /// <summary>A partner for a broadcasting operation: an existing value, or a new parameter with a broadcastable shape.</summary>
    ChainValue? Partner(ChainValue a, bool keepShape)
    {
        var fits = _values.Where(v => Broadcast(a.Shape, v.Shape) is { } r && (!keepShape || Same(r, a.Shape))).ToList();
        if (CanAddParameter && (fits.Count == 0 || Chance(25)))
        {
            var shape = keepShape || Chance(60) ? BroadcastVariant(a.Shape) : a.Shape.Length < 3 && Chance(50) ? new[] { 2L }.Concat(a.Shape).ToArray() : a.Shape;
            return AddParameter(shape);
        }

        return fits.Count == 0 ? null : Pick(fits);
    }

    (string, long[], bool, bool) Binary(ChainValue a, bool keepShape)
    {
        var b = Partner(a, keepShape);
        if (b is null) return Unary(a);
        var shape = Broadcast(a.Shape, b.Shape)!;
        if (shape.Length != Math.Max(a.Shape.Length, b.Shape.Length) || !Same(shape, a.Shape) || !Same(shape, b.Shape)) Feature("broadcasting");
        var (x, y) = (a.Name, b.Name);
        var bounded = a.Bounded && b.Bounded;
        switch (Next(10))
        {
            case 9: Feature("call (broadcasting)"); return ($"TensorHelpers.Mix({x}, {y})", shape, bounded, false);
            case 0: Feature("+"); return ($"{x} + {y}", shape, bounded, a.Positive && b.Positive);
            case 1: Feature("-"); return ($"{x} - {y}", shape, bounded, false);
            case 2: Feature("*"); return ($"{x} * {y}", shape, bounded, a.Positive && b.Positive);
            case 3: Feature("/"); return (b.Positive && b.Bounded ? $"{x} / ({y} + 0.5)" : $"{x} / ({y}.square() + 1.0)", shape, a.Bounded, false);
            case 4: Feature("add/sub/mul methods"); return (Pick(new[] { $"{x}.add({y})", $"{x}.sub({y})", $"{x}.mul({y})" }), shape, bounded, false);
            case 5: Feature("div method"); return ($"{x}.div({y}.exp() + 1.0)", shape, a.Bounded, false);
            case 6: Feature("where"); return ($"torch.where({x}.gt({y}), {x}, {y})", shape, bounded, false);
            case 7: Feature("Tensor.where"); return ($"{x}.where({x}.lt({y}), {y} * 0.5)", shape, bounded, false);
            default: Feature("* then tanh"); return ($"({x} * {y}).tanh()", shape, true, false);
        }
    }

    (string, long[], bool, bool) Matmul(ChainValue a, bool keepShape)
    {
        if (a.Shape.Length == 0) return Unary(a);
        var k = a.Shape[^1];
        var m = keepShape ? k : Pick(new long[] { 2, 3, 4, 5 });
        var prefix = a.Shape.Take(a.Shape.Length - 1).ToArray();
        var shape = prefix.Append(m).ToArray();
        if (!keepShape && a.Shape.Length >= 2 && Chance(20))
        {
            var vector = Existing(new[] { k }) ?? (CanAddParameter ? AddParameter(new[] { k }) : null);
            if (vector is not null)
            {
                Feature("matmul (matrix · vector)");
                return ($"{a.Name}.matmul({vector.Name})", prefix, false, false);
            }
        }

        var roll = Next(5);
        if (roll == 0 || roll == 1)
        {
            // linear(x, w[, bias]): w is [m, k].
            var w = Existing(new[] { m, k }) ?? (CanAddParameter ? AddParameter(new[] { m, k }) : null);
            if (w is null) return Unary(a);
            var bias = roll == 1 ? Existing(new[] { m }) ?? (CanAddParameter ? AddParameter(new[] { m }) : null) : null;
            Feature("linear");
            return (bias is null ? $"nn.functional.linear({a.Name}, {w.Name})" : $"nn.functional.linear({a.Name}, {w.Name}, {bias.Name})", shape, false, false);
        }

        var weight = Existing(new[] { k, m }) ?? (CanAddParameter ? AddParameter(new[] { k, m }) : null);
        if (weight is null) return Unary(a);
        if (a.Shape.Length == 1) Feature("matmul (vector · matrix)");
        else if (a.Shape.Length == 3) Feature("matmul (batched · matrix)");
        else Feature("matmul");
        if (a.Shape.Length == 2 && roll == 2)
        {
            Feature("mm");
            return ($"{a.Name}.mm({weight.Name})", shape, false, false);
        }

        return (roll == 3 ? $"torch.matmul({a.Name}, {weight.Name})" : $"{a.Name}.matmul({weight.Name})", shape, false, false);
    }

    ChainValue? Existing(long[] shape) => _values.Where(v => Same(v.Shape, shape)).Select(v => (ChainValue?)v).LastOrDefault();

    (string, long[], bool, bool) Reduction(ChainValue a)
    {
        // Keep at least one dimension until the final return, so that chains go on over tensors.
        if (a.Shape.Length < 2) return Unary(a);
        var dim = Next(a.Shape.Length);
        var keep = Chance(50);
        var reduced = keep ? a.Shape.Select((d, i) => i == dim ? 1L : d).ToArray() : a.Shape.Where((_, i) => i != dim).ToArray();
        var kept = keep ? "true" : "false";
        switch (Next(5))
        {
            case 0: Feature("sum(dim)"); return ($"{a.Name}.sum(dim: {L(dim)}, keepdim: {kept})", reduced, false, false);
            case 1: Feature("mean(dims)"); return ($"{a.Name}.mean(new long[] {{ {dim} }}, keepdim: {kept})", reduced, a.Bounded, a.Positive);
            case 2: Feature("logsumexp"); return ($"{a.Name}.logsumexp({L(dim)}, keepdim: {kept})", reduced, false, false);
            case 4 when Next(2) == 0: Feature("amax"); return ($"{a.Name}.amax(new long[] {{ {dim} }}, keepdim: {kept})", reduced, a.Bounded, false);
            case 3 when a.Shape.Length == 3:
            {
                Feature("sum(dims)");
                var other = (dim + 1 + Next(2)) % 3;
                var dims = new[] { Math.Min(dim, other), Math.Max(dim, other) };
                var shape = keep ? a.Shape.Select((d, i) => dims.Contains(i) ? 1L : d).ToArray() : a.Shape.Where((_, i) => !dims.Contains(i)).ToArray();
                return ($"{a.Name}.sum(new long[] {{ {dims[0]}, {dims[1]} }}, keepdim: {kept})", shape, false, false);
            }
            default: Feature("sum(dim)"); return ($"{a.Name}.sum({L(dim)}, keepdim: {kept})", reduced, false, false);
        }
    }

    (string, long[], bool, bool) ShapeOperation(ChainValue a)
    {
        var s = a.Shape;
        var v = a.Name;
        var options = new List<Func<(string, long[], bool, bool)>>();
        if (s.Length == 2) options.Add(() => { Feature("t"); return ($"{v}.t()", new[] { s[1], s[0] }, a.Bounded, a.Positive); });
        if (s.Length >= 2) options.Add(() => { Feature("transpose"); var r = s.ToArray(); (r[0], r[1]) = (r[1], r[0]); return ($"{v}.transpose(0L, 1L)", r, a.Bounded, a.Positive); });
        if (s.Length == 3) options.Add(() => { Feature("permute"); return ($"{v}.permute(2, 0, 1)", new[] { s[2], s[0], s[1] }, a.Bounded, a.Positive); });
        if (s.Length >= 2) options.Add(() => { Feature("reshape"); return ($"{v}.reshape(-1)", new[] { s.Aggregate(1L, (x, y) => x * y) }, a.Bounded, a.Positive); });
        if (s.Length >= 2) options.Add(() => { Feature("reshape (read size)"); return ($"{v}.reshape({v}.shape[0], -1)", new[] { s[0], s.Skip(1).Aggregate(1L, (x, y) => x * y) }, a.Bounded, a.Positive); });
        if (s.Length >= 1 && s.Length < 3) options.Add(() => { Feature("unsqueeze"); return ($"{v}.unsqueeze(0L)", new[] { 1L }.Concat(s).ToArray(), a.Bounded, a.Positive); });
        if (s.Length >= 1 && s[0] == 1) options.Add(() => { Feature("squeeze"); return ($"{v}.squeeze(0L)", s.Skip(1).ToArray(), a.Bounded, a.Positive); });
        var wide = Enumerable.Range(0, s.Length).Where(i => s[i] >= 2).ToList();
        if (wide.Count > 0)
        {
            options.Add(() =>
            {
                Feature("narrow");
                var d = Pick(wide);
                return ($"{v}.narrow({L(d)}, 1L, {L(s[d] - 1)})", s.Select((x, i) => i == d ? x - 1 : x).ToArray(), a.Bounded, a.Positive);
            });
            if (s.Length >= 2)
            {
                options.Add(() =>
                {
                    Feature("select");
                    var d = Pick(wide);
                    return ($"{v}.select({L(d)}, 1L)", s.Where((_, i) => i != d).ToArray(), a.Bounded, a.Positive);
                });
            }
        }

        if (s.Length >= 1 && s[0] >= 2) options.Add(() => { Feature("index [1..]"); return ($"{v}[1..]", new[] { s[0] - 1 }.Concat(s.Skip(1)).ToArray(), a.Bounded, a.Positive); });
        if (s.Length >= 1)
        {
            options.Add(() =>
            {
                Feature("cat");
                var d = Next(s.Length);
                var partner = _values.Where(w => !ReferenceEquals(w, a) && w.Shape.Length == s.Length && Enumerable.Range(0, s.Length).All(i => i == d || w.Shape[i] == s[i])).ToList();
                var b = partner.Count > 0 ? Pick(partner) : null;
                var other = b?.Name ?? $"{v}.sin()";
                var otherSize = b?.Shape[d] ?? s[d];
                return ($"torch.cat(new[] {{ {v}, {other} }}, {L(d)})", s.Select((x, i) => i == d ? x + otherSize : x).ToArray(), a.Bounded && (b?.Bounded ?? true), false);
            });
        }

        if (s.Length < 3)
        {
            options.Add(() =>
            {
                Feature("stack");
                var partner = _values.Where(w => !ReferenceEquals(w, a) && Same(w.Shape, s)).ToList();
                var other = partner.Count > 0 ? Pick(partner).Name : $"{v}.cos()";
                return ($"torch.stack(new[] {{ {v}, {other} }}, 0L)", new[] { 2L }.Concat(s).ToArray(), false, false);
            });
        }

        return options.Count == 0 ? Unary(a) : Pick(options)();
    }
}
