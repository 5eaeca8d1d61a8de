using System.Globalization;
using System.Text;
using CsCheck;

namespace Leibniz.Fuzzing.Tests.Scalar;

/// <summary>
/// Random programs over the documented scalar subset (docs/testing.md has the grammar). Programs are written
/// imperatively from a PCG stream so that scoping, int ranges and safe domains are tracked while writing; CsCheck drives
/// the stream and shrinks a failure by the program's size.
/// </summary>
internal sealed class ScalarProgramGenerator : Gen<ScalarProgram>
{
    /// <summary>Whether identifiers are drawn from names the generator itself uses (<c>seed</c>, <c>t0</c>, <c>_d_x</c>…).</summary>
    readonly bool _generatedLookingNames;

    public ScalarProgramGenerator(bool generatedLookingNames = true) => _generatedLookingNames = generatedLookingNames;

    public override ScalarProgram Generate(PCG pcg, Size? min, out Size size)
    {
        var seed = pcg.ToString();
        var program = new ScalarProgramWriter(pcg, _generatedLookingNames).Write(seed);
        size = new Size((ulong)program.Size);
        return program;
    }

    /// <summary>The program drawn from <paramref name="seed"/> (a CsCheck seed string), as a failure report names it.</summary>
    public ScalarProgram FromSeed(string seed) => Generate(PCG.Parse(seed), null, out _);
}

/// <summary>Writes one program. Every name is unique where C# would reject a reuse, and every int has a known range.</summary>
internal sealed class ScalarProgramWriter
{
    static readonly string[] PlainNames = { "a", "b", "c", "u", "w", "z", "acc", "total", "prev", "h", "q", "p" };
    static readonly string[] GeneratedLookingNames =
    {
        "seed", "result", "t0", "t1", "_d_x", "_d_a", "tape", "tapeDouble", "dx", "da", "s0", "r0", "e0", "value", "tangent",
        "gx", "hvx", "vx", "ddx", "dx_1", "_d_unused", "_unused_a", "direction", "input", "jacobians", "x_1",
    };
    static readonly string[] IntNames = { "i", "j", "k", "m", "step", "n0", "e1", "count" };

    readonly PCG _pcg;
    readonly bool _generatedLookingNames;
    readonly StringBuilder _text = new();
    readonly List<Scope> _scopes = new();
    readonly HashSet<string> _features = new();
    bool _isFloat;
    int _indent = 2;
    int _size;
    int _loopDepth;
    int _statementBudget;
    string? _array;
    string? _intParameter;

    public ScalarProgramWriter(PCG pcg, bool generatedLookingNames)
    {
        _pcg = pcg;
        _generatedLookingNames = generatedLookingNames;
    }

    sealed class Scope
    {
        public readonly List<string> Numbers = new();
        public readonly List<string> AssignableNumbers = new();
        public readonly List<IntVariable> Ints = new();
        public readonly HashSet<string> DeclaredWithin = new();
        public readonly HashSet<string> DeclaredHere = new();

        /// <summary>Loop counters, which the loop's own step assigns: never assigned by the body.</summary>
        public readonly HashSet<string> Frozen = new();
    }

    sealed record IntVariable(string Name, int Low, int High);

    int Next(int n) => (int)_pcg.Next((uint)n);

    bool Chance(int percent) => Next(100) < percent;

    T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    string T => _isFloat ? "float" : "double";

    string M => _isFloat ? "MathF" : "Math";

    string Lit(double value)
    {
        var text = value.ToString("0.0##", CultureInfo.InvariantCulture);
        return _isFloat ? text + "f" : text;
    }

    public ScalarProgram Write(string seed)
    {
        _isFloat = Chance(15);
        _scopes.Add(new Scope());
        var parameters = new List<ProgramParameter>();
        var numberCount = 1 + Next(3);
        for (var i = 0; i < numberCount; i++)
        {
            var name = NewName(i == 0 ? new[] { "x" } : i == 1 ? new[] { "y", "seed", "result" } : new[] { "z", "t0", "_d_x" });
            var data = i > 0 && Chance(20);
            if (data) _features.Add("no-derivative");
            parameters.Add(new ProgramParameter(name, data ? ParameterKind.Data : ParameterKind.Number));
            Declare(name, number: true, assignable: Chance(70));
        }

        if (Chance(40))
        {
            _array = NewName(new[] { "v", "tape", "dv" });
            parameters.Add(new ProgramParameter(_array, ParameterKind.Array));
            Current.DeclaredHere.Add(_array);
            foreach (var scope in _scopes) scope.DeclaredWithin.Add(_array);
            _features.Add("array");
        }

        if (Chance(50))
        {
            _intParameter = NewName(new[] { "n", "times", "e0" });
            parameters.Add(new ProgramParameter(_intParameter, ParameterKind.Int));
            DeclareInt(_intParameter, 2, 3);
        }

        _statementBudget = 4 + Next(9);
        var unsupportedAt = Chance(6) ? Next(_statementBudget) : -1;
        string? unsupported = null;
        while (_statementBudget > 0)
        {
            if (_statementBudget == unsupportedAt && unsupported is null) unsupported = UnsupportedStatement();
            else Statement();
        }

        Line("return " + NumberExpression(3) + ";");
        var intArgument = 2 + Next(2);
        return new ScalarProgram(seed, _isFloat, parameters, _text.ToString(), _size, string.Join(", ", _features.OrderBy(f => f, StringComparer.Ordinal)))
        {
            IntArgument = intArgument,
            WithHessianVectorProduct = !_isFloat && Chance(40),
            Unsupported = unsupported,
        };
    }

    // ---- names and scopes ----

    Scope Current => _scopes[^1];

    /// <summary>A name C# accepts here: not declared in an enclosing scope, nor anywhere inside this one already.</summary>
    bool Free(string name) => !Current.DeclaredWithin.Contains(name) && !_scopes.Any(s => s.DeclaredHere.Contains(name));

    string NewName(IReadOnlyList<string> preferred)
    {
        var pool = _generatedLookingNames && Chance(50) ? GeneratedLookingNames : PlainNames;
        var candidates = preferred.Where(name => Free(name) && (_generatedLookingNames || !GeneratedLookingNames.Contains(name))).ToList();
        if (candidates.Count > 0 && Chance(60)) return Pick(candidates);
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var name = Pick(pool);
            if (Free(name)) return name;
        }

        for (var i = 0; ; i++)
        {
            var name = "v" + i.ToString(CultureInfo.InvariantCulture);
            if (Free(name)) return name;
        }
    }

    string NewIntName()
    {
        var candidates = IntNames.Where(Free).ToList();
        if (candidates.Count > 0) return Pick(candidates);
        for (var i = 0; ; i++)
        {
            var name = "k" + i.ToString(CultureInfo.InvariantCulture);
            if (Free(name)) return name;
        }
    }

    void Declare(string name, bool number, bool assignable)
    {
        Current.DeclaredHere.Add(name);
        foreach (var scope in _scopes) scope.DeclaredWithin.Add(name);
        if (!number) return;
        Current.Numbers.Add(name);
        if (assignable) Current.AssignableNumbers.Add(name);
    }

    void DeclareInt(string name, int low, int high, bool frozen = false)
    {
        Current.DeclaredHere.Add(name);
        foreach (var scope in _scopes) scope.DeclaredWithin.Add(name);
        Current.Ints.Add(new IntVariable(name, low, high));
        if (frozen) Current.Frozen.Add(name);
    }

    IEnumerable<string> Numbers => _scopes.SelectMany(s => s.Numbers);

    IEnumerable<string> AssignableNumbers => _scopes.SelectMany(s => s.AssignableNumbers);

    IEnumerable<IntVariable> Ints => _scopes.SelectMany(s => s.Ints);

    IEnumerable<IntVariable> AssignableInts => _scopes.SelectMany(s => s.Ints.Where(i => !s.Frozen.Contains(i.Name) && i.Name != _intParameter));

    void Open() => _scopes.Add(new Scope());

    void Close() => _scopes.RemoveAt(_scopes.Count - 1);

    void Line(string text)
    {
        _text.Append(' ', _indent * 4).Append(text).Append('\n');
        _size++;
    }

    // ---- statements ----

    void Statement()
    {
        _statementBudget--;
        var nestingAllowed = _scopes.Count < 6;
        var roll = Next(100);
        if (roll < 22) DeclareNumber();
        else if (roll < 40) AssignNumber();
        else if (roll < 50) IntStatement();
        else if (roll < 65 && nestingAllowed) Branch();
        else if (roll < 72 && _loopDepth == 0 && _scopes.Count < 4) EarlyReturn();
        else if (roll < 95 && _loopDepth < 3 && nestingAllowed) Loop();
        else AssignNumber();
    }

    /// <summary>One statement outside the documented subset, written where it is valid C#; returns what it is.</summary>
    string UnsupportedStatement()
    {
        _statementBudget--;
        var target = AssignableNumbers.FirstOrDefault();
        var value = NumberExpression(1);
        var kinds = new List<(string Name, string Text)>
        {
            ("break", "for (int q9 = 0; q9 < 3; q9++) { if (q9 > 1) break; }"),
            ("continue", "for (int q9 = 0; q9 < 3; q9++) { if (q9 > 1) continue; }"),
            ("do-while", "do { } while (false);"),
            ("switch", "switch (" + (Ints.FirstOrDefault()?.Name ?? "1") + ") { case 0: break; default: break; }"),
            ("try", "try { } finally { }"),
            ("local function", T + " Twice(" + T + " q) => q * 2;"),
            ("bit increment", T + " q9 = " + M + ".BitIncrement((" + T + ")" + Paren(value) + ");"),
            ("reciprocal estimate", T + " q9 = " + M + ".ReciprocalEstimate((" + T + ")" + Paren(value) + ");"),
            ("throw", "if (" + value + " > 1e9) throw new InvalidOperationException();"),
        };
        if (_array is not null) kinds.Add(("array write", _array + "[0] = " + value + ";"));
        if (_array is not null) kinds.Add(("foreach", "foreach (var q9 in " + _array + ") { }"));
        if (target is not null) kinds.Add(("increment of a number", target + "++;"));
        var (name, text) = Pick(kinds);
        if (!Free("q9") || !Free("Twice")) (name, text) = ("try", "try { } finally { }");
        Line(text);
        _features.Add("unsupported " + name);
        return name;
    }

    void DeclareNumber()
    {
        var value = NumberExpression(3);
        var name = NewName(Array.Empty<string>());
        switch (Next(7))
        {
            case 6:
            {
                // A constant: C# folds every read of it.
                string constant;
                do constant = NewName(Array.Empty<string>());
                while (constant == name);
                Line("const " + T + " " + constant + " = " + Lit(0.5 + Next(4) * 0.25) + ";");
                Declare(constant, number: true, assignable: false);
                Line(T + " " + name + " = " + constant + " * " + Paren(value) + ";");
                _features.Add("const");
                break;
            }

            case 0:
                // var takes the literal's type, whatever the expression's leaves are.
                Line("var " + name + " = " + Lit(0.5) + " * " + Paren(value) + ";");
                _features.Add("var");
                break;
            case 1:
            {
                Declare(name, number: true, assignable: true);
                var second = NewName(Array.Empty<string>());
                Line(T + " " + name + " = " + value + ", " + second + " = " + NumberExpression(2) + ";");
                Declare(second, number: true, assignable: true);
                _features.Add("two-declarators");
                return;
            }
            default:
                Line(T + " " + name + " = " + value + ";");
                break;
        }

        Declare(name, number: true, assignable: true);
    }

    void AssignNumber()
    {
        var targets = AssignableNumbers.ToList();
        if (targets.Count == 0)
        {
            DeclareNumber();
            return;
        }

        var target = Pick(targets);
        var value = NumberExpression(3);
        // Inside loops what is carried to the next iteration stays bounded, so that values and derivatives stay finite
        // over 27 iterations (an overflowed intermediate makes 0·∞ = NaN adjoints, in any reverse mode).
        if (_loopDepth > 0) value = Bounded(value);
        switch (Next(7))
        {
            case 6: Line(target + " /= " + Lit(2.5) + " + " + M + ".Cos(" + value + ");"); _features.Add("compound"); break;
            case 0: Line(target + " += " + value + ";"); _features.Add("compound"); break;
            case 1: Line(target + " -= " + value + ";"); _features.Add("compound"); break;
            case 2: Line(target + " *= " + Bounded(value) + ";"); _features.Add("compound"); break;
            case 3: Line(target + " = " + target + " * " + Lit(0.5 + Next(5) / 10.0) + " + " + value + ";"); break;
            default: Line(target + " = " + value + ";"); break;
        }

        if (_loopDepth > 0) _features.Add("loop-carried");
    }

    /// <summary>An expression kept in [−1.5, 1.5]-ish so that products in loops stay finite: bounded functions of anything.</summary>
    string Bounded(string value) => Next(3) switch
    {
        0 => M + ".Tanh(" + value + ")",
        1 => M + ".Cos(" + value + ")",
        _ => "(" + Lit(1.0) + " + " + Lit(0.5) + " * " + M + ".Sin(" + value + "))",
    };

    void IntStatement()
    {
        var assignable = AssignableInts.ToList();
        if (assignable.Count > 0 && Chance(50))
        {
            var target = Pick(assignable);
            var (expression, low, high) = IntExpression(2, nonNegative: true);
            // Keeps ranges known: an int is only ever assigned a value within the range it was declared with.
            if (low >= target.Low && high <= target.High)
            {
                Line(target.Name + " = " + expression + ";");
                _features.Add("int-overwrite");
                return;
            }

            Line(target.Name + " = " + Clamp(expression, target.Low, target.High) + ";");
            _features.Add("int-overwrite");
            return;
        }

        var (value, lo, hi) = IntExpression(2, nonNegative: true);
        var name = NewIntName();
        Line("int " + name + " = " + value + ";");
        DeclareInt(name, Math.Min(lo, 0), Math.Max(hi, 4));
    }

    static string Clamp(string expression, int low, int high) => "Math.Clamp(" + expression + ", " + low.ToString(CultureInfo.InvariantCulture) + ", " + high.ToString(CultureInfo.InvariantCulture) + ")";

    void Branch()
    {
        _features.Add("if");
        Line("if (" + Condition() + ")");
        Block(1 + Next(3));
        if (Chance(60))
        {
            Line("else");
            Block(1 + Next(3));
        }
    }

    void EarlyReturn()
    {
        _features.Add("early-return");
        Line("if (" + Condition() + ") return " + NumberExpression(2) + ";");
    }

    void Block(int statements)
    {
        Line("{");
        _indent++;
        Open();
        var budget = _statementBudget;
        _statementBudget = statements;
        while (_statementBudget > 0) Statement();
        _statementBudget = Math.Max(0, budget - statements);
        Close();
        _indent--;
        Line("}");
    }

    void Loop()
    {
        _loopDepth++;
        _features.Add("loop" + _loopDepth.ToString(CultureInfo.InvariantCulture));
        var counter = NewIntName();
        var enclosingCounters = Ints.Where(i => i.High <= 3 && i.Low >= 0).ToList();
        string header;
        int low, high;
        var kind = Next(8);
        switch (kind)
        {
            case 0 when _intParameter is not null:
                header = $"for (int {counter} = 0; {counter} < {_intParameter}; {counter}++)";
                (low, high) = (0, 2);
                _features.Add("input-bound");
                break;
            case 1 when enclosingCounters.Count > 0:
            {
                var outer = Pick(enclosingCounters);
                header = $"for (int {counter} = 0; {counter} <= {outer.Name}; {counter}++)";
                (low, high) = (0, outer.High);
                _features.Add("triangular");
                break;
            }
            case 2:
                header = $"for (int {counter} = 0; {counter} < 5; {counter} += 2)";
                (low, high) = (0, 4);
                _features.Add("step-2");
                break;
            case 5 when _array is not null:
                header = $"for (var {counter} = 0; {counter} < {_array}.Length; {counter} += 1)";
                (low, high) = (0, ScalarProgram.ArrayLength - 1);
                _features.Add("length-bound");
                break;
            case 3:
                header = $"for (int {counter} = 3; {counter} > 0; {counter}--)";
                (low, high) = (1, 3);
                _features.Add("count-down");
                break;
            case 4:
            {
                // A while loop whose counter the body never assigns.
                Line($"int {counter} = 0;");
                DeclareInt(counter, 0, 3, frozen: true);
                var guard = Chance(30) ? " && " + NumberExpression(1) + " < " + Lit(100.0) : "";
                Line($"while ({counter} < {1 + Next(3)}{guard})");
                Line("{");
                _indent++;
                Open();
                LoopBody();
                Line($"{counter}++;");
                Close();
                _indent--;
                Line("}");
                _features.Add("while");
                _loopDepth--;
                return;
            }
            default:
            {
                var bound = 1 + Next(3);
                header = $"for (int {counter} = 0; {counter} < {bound}; {counter}++)";
                (low, high) = (0, bound - 1);
                break;
            }
        }

        Line(header);
        Line("{");
        _indent++;
        Open();
        DeclareInt(counter, low, high, frozen: true);
        LoopBody();
        Close();
        _indent--;
        Line("}");
        _loopDepth--;
    }

    void LoopBody()
    {
        var budget = _statementBudget;
        _statementBudget = 1 + Next(3);
        while (_statementBudget > 0) Statement();
        _statementBudget = Math.Max(0, budget - 2);
    }

    // ---- expressions ----

    string Condition()
    {
        switch (Next(5))
        {
            case 0:
            case 1:
                return NumberExpression(1) + (Chance(50) ? " < " : " > ") + NumberExpression(1);
            case 2:
                return NumberExpression(1) + " > " + Lit(Next(3) * 0.5 - 0.5);
            case 3 when Chance(30):
                _features.Add("logical");
                return Chance(50)
                    ? "(" + NumberExpression(1) + " < " + Lit(0.5) + " && " + NumberExpression(1) + " > " + Lit(-0.5) + ")"
                    : "!(" + NumberExpression(1) + " < " + Lit(0.25) + ") || " + NumberExpression(1) + " != " + Lit(0.0);
            case 3 when Ints.Any():
            {
                var (e, _, _) = IntExpression(1, nonNegative: false);
                _features.Add("int-condition");
                return Paren(e) + " % 2 == 0";
            }
            default:
                if (!Ints.Any()) return NumberExpression(1) + " <= " + NumberExpression(1);
                var (left, _, _) = IntExpression(1, nonNegative: false);
                return left + (Chance(50) ? " > " : " <= ") + (1 + Next(2)).ToString(CultureInfo.InvariantCulture);
        }
    }

    (string Text, int Low, int High) IntExpression(int depth, bool nonNegative)
    {
        var ints = Ints.ToList();
        if (depth <= 0 || Chance(40))
        {
            if (ints.Count > 0 && Chance(75))
            {
                var v = Pick(ints);
                return (v.Name, v.Low, v.High);
            }

            var c = Next(4);
            return (c.ToString(CultureInfo.InvariantCulture), c, c);
        }

        var (l, ll, lh) = IntExpression(depth - 1, nonNegative);
        var (r, rl, rh) = IntExpression(depth - 1, nonNegative);
        // Operands that are sums or differences are parenthesized, so that the text means the tree whose range is tracked.
        static string Operand(string e) => e.Contains(' ') ? "(" + e + ")" : e;
        switch (Next(nonNegative ? 2 : 3))
        {
            case 0: return (l + " + " + r, ll + rl, lh + rh);
            case 1:
            {
                var products = new[] { ll * rl, ll * rh, lh * rl, lh * rh };
                return (Operand(l) + " * " + Operand(r), products.Min(), products.Max());
            }

            default: return (l + " - " + Operand(r), ll - rh, lh - rl);
        }
    }

    /// <summary>A number-valued expression; every function's argument is kept inside its domain.</summary>
    string NumberExpression(int depth)
    {
        _size++;
        if (depth <= 0 || Chance(25)) return Leaf();
        var a = NumberExpression(depth - 1);
        switch (Next(16))
        {
            case 0: return a + " + " + NumberExpression(depth - 1);
            case 1: return a + " - " + Paren(NumberExpression(depth - 1));
            case 2:
            case 3: return Paren(a) + " * " + Paren(NumberExpression(depth - 1));
            case 4: return Paren(a) + " / (" + Lit(1.5) + " + " + M + ".Cos(" + NumberExpression(depth - 1) + "))";
            case 5: return "-" + Paren(a);
            case 6: return IntInArithmetic(a);
            case 7: return "(" + Condition() + " ? " + a + " : " + NumberExpression(depth - 1) + ")";
            case 8: return Call(a, depth);
            case 9 when _isFloat:
                // Float code calling double's Math and narrowing back, as ported code does.
                _features.Add("float-double-casts");
                return "(float)Math." + (Chance(50) ? "Sin" : "Tanh") + "((double)" + Paren(a) + ")";
            default: return MathFunction(a, depth);
        }
    }

    static string Paren(string e) => e.All(ch => char.IsLetterOrDigit(ch) || ch is '_' or '.' or '[' or ']') ? e : "(" + e + ")";

    string Leaf()
    {
        var numbers = Numbers.ToList();
        var roll = Next(10);
        if (roll < 6 && numbers.Count > 0) return Pick(numbers);
        if (roll < 8 && _array is not null) return _array + "[" + Index() + "]";
        if (roll < 9 && Ints.Any()) return IntInArithmetic(null);
        if (Chance(10)) return M + (Chance(50) ? ".PI" : ".E");
        var literal = Next(7) * 0.5 - 1.0;
        return Lit(literal == 0 ? 0.25 : literal);
    }

    string Index()
    {
        _features.Add("index");
        var safe = Ints.Where(i => i.Low >= 0 && i.High < ScalarProgram.ArrayLength).ToList();
        if (safe.Count > 0 && Chance(50)) return Pick(safe).Name;
        var (e, low, _) = IntExpression(2, nonNegative: true);
        if (low < 0) e = "(" + e + " + 36)";
        return "(" + e + ") % " + ScalarProgram.ArrayLength.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>An int read in number arithmetic: implicitly, cast, in parentheses, as a ternary of ints.</summary>
    string IntInArithmetic(string? with)
    {
        _features.Add("int-in-arithmetic");
        var (e, low, high) = IntExpression(2, nonNegative: false);
        string number = Next(6) switch
        {
            0 => "(" + e + ")",
            1 => "((" + T + ")" + Paren(e) + ")",
            2 => "(" + e + " > 1 ? 2 : 3)",
            3 => "(" + Paren(e) + ")",
            _ => Paren(e),
        };
        if (with is null) return number;
        return Next(4) switch
        {
            0 when low >= 1 || high <= -1 => Paren(with) + " / " + number,
            1 => M + ".Sin(" + number + ") * " + Paren(with),
            _ => Paren(with) + " * " + number,
        };
    }

    string MathFunction(string a, int depth)
    {
        _features.Add("math");
        var m = M;
        switch (Next(31))
        {
            case 0: return m + ".Sin(" + a + ")";
            case 1: return m + ".Cos(" + a + ")";
            case 2: return m + ".Tan(" + Lit(0.5) + " * " + m + ".Sin(" + a + "))";
            case 3: return m + ".Exp(" + m + ".Sin(" + a + "))";
            case 4: return m + ".Log(" + Lit(1.0) + " + " + Paren(a) + " * " + Paren(a) + ")";
            case 5: return m + ".Log10(" + Lit(2.0) + " + " + m + ".Cos(" + a + "))";
            case 6: return m + ".Sqrt(" + Lit(1.0) + " + " + Paren(a) + " * " + Paren(a) + ")";
            case 7: return m + ".Tanh(" + a + ")";
            case 8: return m + ".Atan(" + a + ")";
            case 9: return m + ".Atan2(" + a + ", " + Lit(1.5) + " + " + m + ".Cos(" + NumberExpression(depth - 1) + "))";
            case 10: return m + ".Pow(" + Lit(1.5) + " + " + m + ".Sin(" + a + "), " + m + ".Cos(" + NumberExpression(depth - 1) + "))";
            case 11: return m + ".Pow(" + a + ", " + (Chance(50) ? Lit(2.0) : "3") + ")";
            case 12: _features.Add("kink"); return m + ".Abs(" + a + ")";
            case 13:
                _features.Add("kink");
                // Math.Max(0, x): an int literal beside a number picks the number's overload.
                return m + (Chance(50) ? ".Min(" : ".Max(") + a + ", " + (Chance(25) ? "0" : NumberExpression(depth - 1)) + ")";
            // MathF has no Clamp: float code calls Math.Clamp's float overload.
            case 14: _features.Add("kink"); return "Math.Clamp(" + a + ", " + Lit(-1.0) + ", " + Lit(1.0) + ")";
            case 15: return m + (Chance(50) ? ".Sinh(" : ".Cosh(") + m + ".Sin(" + a + "))";
            case 16: return m + (Chance(50) ? ".Asin(" : ".Acos(") + Lit(0.9) + " * " + m + ".Sin(" + a + "))";
            case 17: return m + ".Asinh(" + a + ")";
            case 18: return m + ".Acosh(" + Lit(1.5) + " + " + Paren(a) + " * " + Paren(a) + ")";
            case 19: return m + ".Atanh(" + Lit(0.9) + " * " + m + ".Tanh(" + a + "))";
            // Both signs of the argument, kept away from 0 where the cube root's slope is infinite.
            case 20: return m + ".Cbrt(" + (Chance(50) ? Lit(1.5) + " + " : "-" + Lit(1.5) + " + ") + m + ".Sin(" + a + "))";
            case 21: return m + ".Log2(" + Lit(1.0) + " + " + Paren(a) + " * " + Paren(a) + ")";
            case 22: return m + ".Log(" + Lit(1.0) + " + " + Paren(a) + " * " + Paren(a) + ", " + Lit(2.5) + " + " + m + ".Cos(" + NumberExpression(depth - 1) + "))";
            case 23: return m + ".FusedMultiplyAdd(" + a + ", " + NumberExpression(depth - 1) + ", " + NumberExpression(depth - 1) + ")";
            case 24:
                _features.Add("kink");
                return Chance(50)
                    ? m + ".CopySign(" + a + ", " + NumberExpression(depth - 1) + ")"
                    : m + (Chance(50) ? ".MaxMagnitude((" : ".MinMagnitude((") + T + ")" + Paren(a) + ", " + NumberExpression(depth - 1) + ")";
            case 25: _features.Add("kink"); return T + ".Hypot(" + a + ", " + NumberExpression(depth - 1) + ")";
            case 26: return GenericMathFunction(a, depth);
            case 27: return GenericMathFunction(a, depth);
            case 28:
            {
                // Generic-math spellings of functions Math has: the same primitive as Math's.
                _features.Add("generic-math");
                return Next(3) switch
                {
                    0 => T + ".Sin(" + a + ")",
                    1 => T + ".Exp(" + T + ".Cos(" + a + "))",
                    _ => T + ".Pow(" + Lit(1.5) + " + " + T + ".Sin(" + a + "), " + Lit(1.5) + ")",
                };
            }

            default:
            {
                // Piecewise constant: data to the derivative. The argument is cast, as an int would pick the decimal overload.
                _features.Add("jump");
                var x = "(" + T + ")" + Paren(a);
                var step = Next(7) switch
                {
                    0 => m + ".Floor(" + x + ")",
                    1 => m + ".Ceiling(" + x + ")",
                    2 => m + ".Truncate(" + x + ")",
                    3 => m + ".Round(" + x + ")",
                    4 => m + ".Round(" + x + ", 1)",
                    5 => m + ".Round(" + x + ", MidpointRounding.AwayFromZero)",
                    _ => m + ".Sign(" + x + ")",
                };
                return step + " * " + Paren(NumberExpression(depth - 1));
            }
        }
    }

    /// <summary>A static only <c>double</c>/<c>float</c> have (generic math), on a safe domain.</summary>
    string GenericMathFunction(string a, int depth)
    {
        _features.Add("generic-math");
        var t = T;
        var m = M;
        switch (Next(12))
        {
            case 0: return t + (Chance(50) ? ".Exp2(" : ".Exp2M1(") + m + ".Sin(" + a + "))";
            case 1: return t + (Chance(50) ? ".Exp10(" : ".Exp10M1(") + Lit(0.5) + " * " + m + ".Sin(" + a + "))";
            case 2: return t + ".ExpM1(" + m + ".Sin(" + a + "))";
            case 3: return t + (Next(3) switch { 0 => ".LogP1(", 1 => ".Log2P1(", _ => ".Log10P1(" }) + Paren(a) + " * " + Paren(a) + ")";
            case 4: return t + (Chance(50) ? ".SinPi(" : ".CosPi(") + a + ")";
            case 5: return t + ".TanPi(" + Lit(0.25) + " * " + m + ".Sin(" + a + "))";
            case 6: return t + (Next(3) switch { 0 => ".AsinPi(", 1 => ".AcosPi(", _ => ".AtanPi(" }) + Lit(0.9) + " * " + m + ".Sin(" + a + "))";
            case 7: return t + ".Atan2Pi(" + a + ", " + Lit(1.5) + " + " + m + ".Cos(" + NumberExpression(depth - 1) + "))";
            case 8: return t + ".RootN(" + Lit(1.5) + " + " + m + ".Sin(" + a + "), " + (Chance(50) ? "3" : "4") + ")";
            case 9: return t + ".ScaleB(" + a + ", " + (Chance(50) ? "2" : "-1") + ")";
            case 10: return t + ".Lerp(" + a + ", " + NumberExpression(depth - 1) + ", " + m + ".Sin(" + NumberExpression(depth - 1) + "))";
            default:
                _features.Add("kink");
                return t + (Next(4) switch { 0 => ".MaxNumber(", 1 => ".MinNumber(", 2 => ".MaxMagnitudeNumber(", _ => ".MinMagnitudeNumber(" }) + a + ", " + NumberExpression(depth - 1) + ")";
        }
    }

    string Call(string a, int depth)
    {
        _features.Add("call");
        if (_isFloat)
        {
            return Chance(50) ? "Helpers.SquareF(" + a + ")" : "Helpers.RepeatF(" + a + ", " + (1 + Next(3)).ToString(CultureInfo.InvariantCulture) + ")";
        }

        switch (Next(4))
        {
            case 0: return "Helpers.Square(" + a + ")";
            case 1: return "Helpers.Blend(" + a + ", " + NumberExpression(depth - 1) + ")";
            case 2:
            {
                var (count, _, _) = IntExpression(1, nonNegative: true);
                _features.Add("call-loop");
                return "Helpers.Repeat(" + a + ", " + count + ")";
            }
            default:
                _features.Add("call-recursive");
                return "Helpers.Nest(" + a + ", " + (1 + Next(3)).ToString(CultureInfo.InvariantCulture) + ")";
        }
    }
}
