using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;
using Microsoft.CodeAnalysis;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>
/// The fields of a <c>[Model]</c> that its method's body uses: <c>[Parameter]</c> and <c>[Buffer]</c> tensors, which become
/// inputs of the lowered function, and <c>[Model]</c> children it calls, whose gradients the generated sweep collects.
/// Both are listed in the order the class declares them, whatever order the body reads them in.
/// </summary>
internal sealed class ModelFieldUses
{
    readonly LoweringContext _context;
    readonly SortedDictionary<string, ParameterSpec> _inputs = new(System.StringComparer.Ordinal);
    readonly Dictionary<string, ModelFieldSpec> _children = new(System.StringComparer.Ordinal);

    public ModelFieldUses(LoweringContext context) => _context = context;

    /// <summary>A model method's <c>[Parameter]</c> (differentiable) or <c>[Buffer]</c> (data) field, read as an input; null for any other field.</summary>
    public string? Input(IFieldSymbol field)
    {
        if (!_context.IsModelMethod || field.IsStatic || !SymbolEqualityComparer.Default.Equals(field.ContainingType, _context.Method.ContainingType)
            || IRTypes.Of(field.Type) != ValueType.Tensor)
            return null;

        var isParameter = KnownSymbols.Has(field, _context.Known.ParameterAttribute);
        var isBuffer = KnownSymbols.Has(field, _context.Known.BufferAttribute);
        if (!isParameter && !isBuffer) return null;
        if (!_inputs.ContainsKey(field.Name))
            _inputs[field.Name] = new ParameterSpec(field.Name, ValueType.Tensor, IsWrt: isParameter, HasAdjoint: isParameter, IsField: true);
        return field.Name;
    }

    /// <summary>The child model in <paramref name="field"/>, described by <paramref name="describe"/> the first time it is called.</summary>
    public ModelFieldSpec Child(string field, System.Func<ModelFieldSpec> describe)
    {
        if (!_children.TryGetValue(field, out var spec))
        {
            spec = describe();
            _children[field] = spec;
        }

        return spec;
    }

    public IEnumerable<ParameterSpec> InputsInDeclarationOrder()
        => DeclaredFields().Where(f => _inputs.ContainsKey(f.Name)).Select(f => _inputs[f.Name]);

    public EquatableArray<ModelFieldSpec> ChildrenInDeclarationOrder()
        => DeclaredFields().Where(f => _children.ContainsKey(f.Name)).Select(f => _children[f.Name]).ToEquatableArray();

    IEnumerable<IFieldSymbol> DeclaredFields() => _context.Method.ContainingType.GetMembers().OfType<IFieldSymbol>();
}
