using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.IR.Functions;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Emit;

/// <summary>
/// A model method's inputs as its caller passes them — one tensor, or one tuple of tensors — and as the sweeps hold
/// them: one lowered input per element.
/// </summary>
internal sealed class ModelInputs
{
    readonly TupleInputSpec? _tuple;

    public ModelInputs(FunctionSpec primal)
    {
        _tuple = primal.TupleInput;
        Parameters = primal.Parameters.Where(p => !p.IsField).ToList();
        Name = _tuple?.Name ?? Parameters[0].Name;
    }

    /// <summary>The lowered inputs, in the order of the tuple's elements.</summary>
    public IReadOnlyList<ParameterSpec> Parameters { get; }

    public bool IsTuple => _tuple is not null;

    /// <summary>The caller's parameter: the tensor's or the tuple's name.</summary>
    public string Name { get; }

    /// <summary>The type of what the caller passes.</summary>
    public string Type => _tuple?.Type ?? ValueType.Tensor.CSharpName();

    /// <summary>The caller's parameter as declared in a generated signature.</summary>
    public string Declaration => $"{Type} {Id(Name)}";

    /// <summary>How code holding the caller's value reads the <paramref name="index"/>th lowered input.</summary>
    public string ElementOf(int index) => _tuple is null ? Id(Name) : $"{Id(Name)}.{Id(_tuple.Elements[index].Element)}";

    /// <summary>How validation messages name the <paramref name="index"/>th lowered input.</summary>
    public string DisplayName(int index) => _tuple is null ? Name : $"{Name}.{_tuple.Elements[index].Element}";

    /// <summary>The caller's value made of one value per lowered input (<c>(a, b)</c> for a tuple).</summary>
    public string Pack(IEnumerable<string> values)
    {
        var list = values.ToList();
        return _tuple is null ? list[0] : "(" + string.Join(", ", list) + ")";
    }

    /// <summary>The type of the inputs' gradients as a sweep returns them: a tensor, or a tuple with the input's element names.</summary>
    public string GradientType
    {
        get
        {
            var tensor = ValueType.Tensor.CSharpName();
            return _tuple is null ? tensor + "?" : "(" + string.Join(", ", _tuple.Elements.Select(e => $"{tensor}? {Id(e.Element)}")) + ")";
        }
    }

    /// <summary>"the input's gradient" or "the inputs' gradients", for documentation.</summary>
    public string GradientPhrase => _tuple is null ? "The input's gradient" : "The inputs' gradients, one per element of the tuple";

    static string Id(string name) => FunctionEmitter.Id(name);
}
