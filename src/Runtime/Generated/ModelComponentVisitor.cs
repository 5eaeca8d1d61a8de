using System.ComponentModel;
using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>
/// Receives the fields of a generated model one by one, by reference, so that the runtime can
/// register and move them without reflection. Generated code calls it; users do not implement it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class ModelComponentVisitor
{
    internal ModelComponentVisitor()
    {
    }

    /// <summary>A <c>[Parameter]</c> field declared as <c>Tensor</c>.</summary>
    /// <param name="name">The field's name, which is the parameter's name in <c>state_dict()</c>.</param>
    /// <param name="field">The field; may be replaced (a plain tensor becomes a <c>Parameter</c>).</param>
    public abstract void Parameter(string name, ref Tensor field);

    /// <summary>A <c>[Parameter]</c> field declared as <c>Parameter</c>.</summary>
    /// <param name="name">The field's name, which is the parameter's name in <c>state_dict()</c>.</param>
    /// <param name="field">The field; may be replaced when the module moves.</param>
    public abstract void Parameter(string name, ref TorchSharp.Modules.Parameter field);

    /// <summary>A <c>[Buffer]</c> field.</summary>
    /// <param name="name">The field's name, which is the buffer's name in <c>state_dict()</c>.</param>
    /// <param name="field">The field; may be replaced when the module moves.</param>
    /// <param name="persistent">Whether the buffer is saved in <c>state_dict()</c>.</param>
    public abstract void Buffer(string name, ref Tensor field, bool persistent);

    /// <summary>A field holding a module (a <c>[Model]</c> or any TorchSharp module); it may be <c>readonly</c>.</summary>
    /// <param name="name">The field's name, which prefixes the submodule's entries in <c>state_dict()</c>.</param>
    /// <param name="module">The field's value.</param>
    public abstract void Module(string name, nn.Module? module);
}
