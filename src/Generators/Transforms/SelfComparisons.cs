using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;

namespace Leibniz.Generators.Transforms;

/// <summary>
/// Rewrites a comparison of a variable with itself — the source's own NaN test <c>x != x</c>, or one that common
/// subexpressions made — into the value it always has: C# warns (CS1718) on the comparison, and generated code must
/// compile without a warning. For a floating-point value only NaN compares unequal to itself, so <c>x == x</c>,
/// <c>x &lt;= x</c> and <c>x &gt;= x</c> are <c>!IsNaN(x)</c>, <c>x != x</c> is <c>IsNaN(x)</c> and <c>x &lt; x</c>,
/// <c>x &gt; x</c> are false; for an <c>int</c> or a <c>bool</c> the answer is a constant.
/// </summary>
internal static class SelfComparisons
{
    const string PreferredName = "isNaN";

    public static FunctionSpec Rewrite(FunctionSpec function)
    {
        var types = new Dictionary<string, ValueType>();
        foreach (var parameter in function.Parameters) types[parameter.Name] = parameter.Type;
        foreach (var local in function.Locals) types[local.Name] = local.Type;
        if (!HasSelfComparison(function.Body, types)) return function;

        var taken = new HashSet<string>(types.Keys);
        StatementNames.Visit(function.Body, name => taken.Add(name), name => taken.Add(name));
        var added = new List<LocalSpec>();
        var body = Visit(function.Body, types, taken, added);
        return function with { Body = body, Locals = function.Locals.Concat(added).ToEquatableArray() };
    }

    static bool IsSelfComparison(Expression expression, Dictionary<string, ValueType> types, out ValueType type)
    {
        type = default;
        return expression is BinaryExpression { Left: Variable left, Right: Variable right } binary
            && left.Name == right.Name
            && IsComparison(binary.Operator)
            && types.TryGetValue(left.Name, out type)
            && type is ValueType.Double or ValueType.Float or ValueType.Int or ValueType.Bool;
    }

    static bool IsComparison(BinaryOperator op)
        => op is BinaryOperator.Less or BinaryOperator.LessOrEqual or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual
            or BinaryOperator.Equal or BinaryOperator.NotEqual;

    static bool HasSelfComparison(Block block, Dictionary<string, ValueType> types)
        => block.Statements.Any(statement => statement switch
        {
            Assignment a => IsSelfComparison(a.Value, types, out _),
            IfStatement i => HasSelfComparison(i.Then, types) || HasSelfComparison(i.Else, types),
            LoopStatement l => HasSelfComparison(l.Header, types) || HasSelfComparison(l.Body, types) || HasSelfComparison(l.Step, types),
            _ => false,
        });

    static Block Visit(Block block, Dictionary<string, ValueType> types, HashSet<string> taken, List<LocalSpec> added)
    {
        var statements = new List<Statement>(block.Statements.Count);
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case Assignment a when IsSelfComparison(a.Value, types, out var type):
                    Replace(a, (BinaryExpression)a.Value, type, statements, taken, added);
                    break;
                case IfStatement i:
                    statements.Add(i with { Then = Visit(i.Then, types, taken, added), Else = Visit(i.Else, types, taken, added) });
                    break;
                case LoopStatement l:
                    statements.Add(l with
                    {
                        Header = Visit(l.Header, types, taken, added),
                        Body = Visit(l.Body, types, taken, added),
                        Step = Visit(l.Step, types, taken, added),
                    });
                    break;
                default:
                    statements.Add(statement);
                    break;
            }
        }

        return new Block(statements.ToEquatableArray());
    }

    static void Replace(Assignment assignment, BinaryExpression comparison, ValueType type, List<Statement> statements, HashSet<string> taken, List<LocalSpec> added)
    {
        var reflexive = comparison.Operator is BinaryOperator.Equal or BinaryOperator.LessOrEqual or BinaryOperator.GreaterOrEqual;
        if (type is ValueType.Int or ValueType.Bool)
        {
            statements.Add(assignment with { Value = new CopyExpression(new Literal(reflexive ? 1 : 0, ValueType.Bool)) });
            return;
        }

        if (comparison.Operator is BinaryOperator.Less or BinaryOperator.Greater)
        {
            statements.Add(assignment with { Value = new CopyExpression(new Literal(0, ValueType.Bool)) });
            return;
        }

        var isNaN = new OpaqueCall(IsNaNFunction(type), new Operand[] { comparison.Left }.ToEquatableArray());
        if (!reflexive)
        {
            statements.Add(assignment with { Value = isNaN });
            return;
        }

        var name = Fresh(taken);
        added.Add(new LocalSpec(name, ValueType.Bool));
        statements.Add(new Assignment(name, isNaN, assignment.Source));
        statements.Add(assignment with { Value = new UnaryExpression(UnaryOperator.Not, new Variable(name)) });
    }

    /// <summary>The runtime's NaN test for a value of <paramref name="type"/>, a call target.</summary>
    static string IsNaNFunction(ValueType type) => type == ValueType.Float ? "global::System.Single.IsNaN" : "global::System.Double.IsNaN";

    static string Fresh(HashSet<string> taken)
    {
        var name = PreferredName;
        for (var i = 1; taken.Contains(name); i++) name = PreferredName + i.ToString(CultureInfo.InvariantCulture);
        taken.Add(name);
        return name;
    }
}
