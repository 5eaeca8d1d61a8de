using System.Reflection;
using Leibniz.Generators.Rules.Tensor;
using TorchSharp;

namespace Leibniz.Fuzzing.Tests.Operations;

/// <summary>
/// Every key of the tensor rule table (rows and aliases) names a real TorchSharp method — with its parameter types when the
/// key spells them — so a typo cannot leave a silently dead row. Rows the front end writes for the runtime's own helpers
/// (<c>Leibniz.…</c>) name real runtime methods.
/// </summary>
public sealed class OperationKeyTests
{
    static readonly Dictionary<string, Type> Owners = new()
    {
        ["Tensor"] = typeof(torch.Tensor),
        ["torch"] = typeof(torch),
        ["nn.functional"] = typeof(torch.nn.functional),
        ["special"] = typeof(torch.special),
        ["linalg"] = typeof(torch.linalg),
    };

    public static TheoryData<string> Keys()
    {
        var data = new TheoryData<string>();
        foreach (var key in TensorRules.All.Select(r => r.Key).Concat(TensorRules.AliasTable.Keys).Distinct().OrderBy(k => k, StringComparer.Ordinal))
            data.Add(key);
        return data;
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Key_names_a_real_method(string key)
    {
        if (key == TensorRules.DropoutProduct) return; // the product with dropout's mask, written as Tensor.mul

        var (owner, name, parameters) = Parse(key);
        var type = owner.StartsWith("Leibniz.", StringComparison.Ordinal)
            ? typeof(DifferentiableAttribute).Assembly.GetType(owner, throwOnError: true)!
            : Owners.TryGetValue(owner, out var found) ? found : throw new Xunit.Sdk.XunitException($"{key}: unknown owner {owner}");
        var candidates = type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance).Where(m => m.Name == name).ToList();
        Assert.True(candidates.Count > 0, $"{key}: {type.Name} has no method {name}");
        if (parameters is null) return;

        var signatures = candidates.Select(m => Signature(m, instance: owner == "Tensor" && !m.IsStatic)).ToList();
        Assert.True(signatures.Contains(Normalize(parameters)), $"{key}: no overload ({parameters}); {type.Name}.{name} has ({string.Join("), (", signatures)})");
    }

    static (string Owner, string Name, string? Parameters) Parse(string key)
    {
        var open = key.IndexOf('(');
        var head = open < 0 ? key : key.Substring(0, open);
        var parameters = open < 0 ? null : key.Substring(open + 1, key.IndexOf(')') - open - 1);
        if (open < 0 && key.EndsWith(".values", StringComparison.Ordinal)) head = key.Substring(0, key.Length - ".values".Length);
        var dot = head.LastIndexOf('.');
        return (head.Substring(0, dot), head.Substring(dot + 1), parameters);
    }

    static string Signature(MethodInfo method, bool instance)
        => Normalize(string.Join(", ", method.GetParameters().Select(p => CSharpName(p.ParameterType))));

    static string Normalize(string parameters) => parameters.Replace("?", "").Replace(" ", "");

    static string CSharpName(Type type)
    {
        if (type.IsArray) return CSharpName(type.GetElementType()!) + "[]";
        if (Nullable.GetUnderlyingType(type) is { } underlying) return CSharpName(underlying);
        if (type.IsGenericType)
            return type.Name.Substring(0, type.Name.IndexOf('`')) + "<" + string.Join(",", type.GetGenericArguments().Select(CSharpName)) + ">";
        return type.FullName switch
        {
            "System.Int64" => "long",
            "System.Int32" => "int",
            "System.Boolean" => "bool",
            "System.Double" => "double",
            "System.Single" => "float",
            "System.String" => "string",
            _ => type.Name,
        };
    }
}
