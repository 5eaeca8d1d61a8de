using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>
/// The locals of the lowered function and their names. A user's variable keeps its own name where it is free; the result,
/// the temporaries and a second variable of one name in another scope get fresh names chosen around every name the
/// method declares, so no name in generated code means two things.
/// </summary>
internal sealed class LocalNames
{
    const string ResultName = "result";

    readonly IMethodSymbol _method;
    readonly Dictionary<ISymbol, string> _symbols = new(SymbolEqualityComparer.Default);
    readonly Dictionary<string, ValueType> _types = new();
    readonly HashSet<string> _taken = new();
    readonly HashSet<string> _temporaries = new();
    readonly List<string> _tupleElements = new();
    int _nextTemporary;

    public LocalNames(LoweringContext context, MethodDeclarationSyntax declaration)
    {
        _method = context.Method;
        foreach (var parameter in _method.Parameters) _taken.Add(parameter.Name);
        if (context.IsModelMethod)
        {
            // A model method's locals become fields of its sweep class, beside the model's own fields.
            foreach (var field in _method.ContainingType.GetMembers().OfType<IFieldSymbol>()) _taken.Add(field.Name);
        }

        // A tuple input's elements become inputs of their own, which the sweeps' public API names: each keeps its element's
        // name unless a field or the parameter has it; a local of that name is renamed instead (see NameOf).
        if (context.IsModelMethod && _method.Parameters.Length == 1 && IRTypes.TensorTupleElements(_method.Parameters[0].Type) is { } elements)
        {
            // An unnamed element is ItemN, as C# reads it; it stays in the Nth place of every tuple the sweeps return.
            foreach (var element in elements) _tupleElements.Add(Fresh(element.Name));
        }

        foreach (var local in declaration.DescendantNodes().OfType<VariableDeclaratorSyntax>())
        {
            if (context.Model.GetDeclaredSymbol(local, context.CancellationToken) is { } symbol) _taken.Add(symbol.Name);
        }

        foreach (var designation in declaration.DescendantNodes().OfType<SingleVariableDesignationSyntax>())
            _taken.Add(designation.Identifier.ValueText);

        // Named after every local is known, so a user's own `result` keeps its name.
        Result = Fresh(ResultName);
    }

    /// <summary>The lowered input names of a model method's tuple input, one per element in order; empty without one.</summary>
    public IReadOnlyList<string> TupleElements => _tupleElements;

    /// <summary>The local the single exit returns.</summary>
    public string Result { get; }

    /// <summary>A new single-assignment temporary, <c>t0</c>, <c>t1</c>…, skipping names the user took.</summary>
    public string Temporary(ValueType type)
    {
        string name;
        do name = "t" + (_nextTemporary++).ToString(CultureInfo.InvariantCulture);
        while (_taken.Contains(name));
        _taken.Add(name);
        _temporaries.Add(name);
        _types[name] = type;
        return name;
    }

    public bool IsTemporary(string name) => _temporaries.Contains(name);

    /// <summary><paramref name="preferred"/>, or <c>preferred1</c>, <c>preferred2</c>… where it is taken.</summary>
    public string Fresh(string preferred)
    {
        var name = preferred;
        for (var i = 1; _taken.Contains(name); i++) name = preferred + i.ToString(CultureInfo.InvariantCulture);
        _taken.Add(name);
        return name;
    }

    /// <summary>The lowered name of a local: its own, unless an earlier scope already used it for another variable.</summary>
    public string NameOf(ILocalSymbol local, ValueType type)
    {
        if (_symbols.TryGetValue(local, out var name)) return name;
        name = _symbols.Values.Contains(local.Name) || local.Name == Result || _tupleElements.Contains(local.Name) ? FreshLocal(local.Name) : local.Name;
        _symbols[local] = name;
        _types[name] = type;
        return name;
    }

    string FreshLocal(string preferred)
    {
        for (var i = 1; ; i++)
        {
            var name = preferred + "_" + i.ToString(CultureInfo.InvariantCulture);
            if (_taken.Add(name)) return name;
        }
    }

    /// <summary>The type of a local or parameter by its lowered name.</summary>
    public ValueType TypeOf(string name)
        => _types.TryGetValue(name, out var type) ? type : ParameterType(name);

    ValueType ParameterType(string name)
        => _tupleElements.Contains(name) ? ValueType.Tensor
        : _method.Parameters.FirstOrDefault(p => p.Name == name) is { } parameter && IRTypes.Of(parameter.Type) is { } type ? type : ValueType.Double;

    /// <summary>Every local, in the order it was first named, with the result typed as the method returns.</summary>
    public EquatableArray<LocalSpec> Locals(ValueType resultType)
    {
        _types[Result] = resultType;
        return _types.Select(pair => new LocalSpec(pair.Key, pair.Value)).ToEquatableArray();
    }
}
