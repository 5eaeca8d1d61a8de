using System;
using System.Collections.Generic;
using Leibniz.Generated;
using TorchSharp;
using static TorchSharp.torch;
using TorchParameter = TorchSharp.Modules.Parameter;

namespace Leibniz;

/// <summary>
/// The base class the generator gives a <see cref="ModelAttribute">[Model]</see> class whose
/// <c>Forward</c> takes one input. It is a plain <c>torch.nn.Module&lt;T, TResult&gt;</c> whose
/// components are registered and moved through generated code instead of reflection.
/// </summary>
/// <typeparam name="T">The type of <c>Forward</c>'s input.</typeparam>
/// <typeparam name="TResult">The type of <c>Forward</c>'s result.</typeparam>
/// <remarks>
/// Registration is kept in step with the fields: every enumeration of parameters, buffers or
/// children first re-reads the fields, so a constructor need not call <c>RegisterComponents()</c>
/// (calling it, as hand-written TorchSharp modules do, is harmless), and a field assigned a new
/// tensor later is what <c>parameters()</c> returns.
/// </remarks>
public abstract class ModelModule<T, TResult> : nn.Module<T, TResult>, IForwardHookSource
{
    /// <inheritdoc/>
    bool IForwardHookSource.HasForwardHooks
        => pre_hooks.Count != 0 || post_hooks.Count != 0 || module_pre_hooks.Count != 0 || module_post_hooks.Count != 0;

    /// <summary>Creates the module, named after the concrete class.</summary>
    protected ModelModule()
        : base(string.Empty)
    {
        name = GetType().Name;
    }

    /// <summary>
    /// Hands every component field to <paramref name="visitor"/> by reference. Generated for each
    /// <c>[Model]</c>; the order is the declaration order, which is the order of <c>parameters()</c>.
    /// </summary>
    /// <param name="visitor">The registrar or mover.</param>
    protected abstract void VisitComponents(ModelComponentVisitor visitor);

    /// <summary>
    /// <c>Forward</c> through its generated backward; the generator overrides this for a <c>[Differentiable] Forward</c>.
    /// The base is reached only when the generator refused <c>Forward</c> — the build then failed with the diagnostic
    /// saying why, and this keeps the generated <c>forward</c> from adding a missing-name error to it.
    /// </summary>
    /// <param name="input">The model's input.</param>
    /// <exception cref="InvalidOperationException">Always: there is no generated backward to run.</exception>
    protected virtual TResult ForwardThroughGeneratedBackward(T input)
        => throw new InvalidOperationException($"{GetType().Name}.Forward has no generated backward: the build that produced this assembly reported why (an LZ diagnostic on Forward). Fix that, or remove [Differentiable] from Forward.");

    /// <summary>Registers (or re-registers) the component fields; idempotent and reflection-free.</summary>
    protected sealed override void RegisterComponents() => VisitComponents(new Registrar(this));

    /// <inheritdoc/>
    public override IEnumerable<(string name, TorchParameter parameter)> named_parameters(bool recurse = true)
    {
        RegisterComponents();
        return base.named_parameters(recurse);
    }

    /// <summary>
    /// The module's buffers, then its children's (prefixed with the child's name); non-persistent
    /// buffers only when <paramref name="include_nonpersistent"/> is set.
    /// </summary>
    /// <remarks>
    /// TorchSharp 0.107's own implementation skips this module's non-persistent buffers even when
    /// asked to include them; this one honours the flag, as PyTorch does.
    /// </remarks>
    public override IEnumerable<(string name, Tensor buffer)> named_buffers(bool recurse = true, bool include_nonpersistent = true)
    {
        RegisterComponents();
        return NamedBuffers(recurse, include_nonpersistent);
    }

    IEnumerable<(string name, Tensor buffer)> NamedBuffers(bool recurse, bool includeNonPersistent)
    {
        var seen = new HashSet<IntPtr> { IntPtr.Zero };
        foreach (var (name, (buffer, persistent)) in _internal_buffers)
        {
            if (!persistent && !includeNonPersistent) continue;
            if (seen.Add(buffer.Handle)) yield return (name, buffer);
        }

        if (!recurse) yield break;
        foreach (var (childName, child) in _internal_submodules)
        {
            foreach (var (name, buffer) in child.named_buffers(true, includeNonPersistent))
            {
                if (seen.Add(buffer.Handle)) yield return (childName + "." + name, buffer);
            }
        }
    }

    /// <inheritdoc/>
    public override IEnumerable<(string name, nn.Module module)> named_children()
    {
        RegisterComponents();
        return base.named_children();
    }

    /// <inheritdoc/>
    public override IEnumerable<(string name, nn.Module module)> named_modules()
    {
        RegisterComponents();
        return base.named_modules();
    }

    /// <inheritdoc/>
    public override Dictionary<string, Tensor> state_dict(Dictionary<string, Tensor>? destination = null, string? prefix = null)
    {
        RegisterComponents();
        return base.state_dict(destination, prefix);
    }

    /// <summary>Moves children, parameters and buffers after a <c>.to(...)</c>, writing the moved tensors back to the fields.</summary>
    protected sealed override void _toEpilog(ScalarType? dtype, Device? device, bool non_blocking)
    {
        if (dtype is null && device is null)
            throw new ArgumentNullException(nameof(dtype), "Moving a module needs a target dtype, a target device, or both.");

        RegisterComponents();
        foreach (var (_, child) in base.named_children())
        {
            if (device is null) child.to(dtype!.Value, non_blocking);
            else if (dtype is null) child.to(device, non_blocking);
            else child.to(device, dtype.Value, non_blocking);
        }

        VisitComponents(new Mover(this, dtype, device));

        if (device is not null)
        {
            _deviceType = device.type;
            _deviceIndex = device.index;
        }
    }

    sealed class Registrar : ModelComponentVisitor
    {
        readonly ModelModule<T, TResult> _owner;

        public Registrar(ModelModule<T, TResult> owner) => _owner = owner;

        public override void Parameter(string name, ref Tensor field)
        {
            if (field is null || field.IsInvalid)
            {
                _owner.ConditionallyRegisterParameter(name, (TorchParameter?)null);
                return;
            }

            if (field is not TorchParameter parameter)
            {
                // A plain tensor becomes a leaf that requires grad; its handle moves into the Parameter,
                // so the field must point at the Parameter from now on.
                parameter = new TorchParameter(field, requires_grad: true);
                field = parameter;
            }

            Register(name, parameter);
        }

        public override void Parameter(string name, ref TorchParameter field)
        {
            if (field is null || field.IsInvalid)
            {
                _owner.ConditionallyRegisterParameter(name, (TorchParameter?)null);
                return;
            }

            Register(name, field);
        }

        void Register(string name, TorchParameter parameter)
        {
            if (_owner._internal_params.TryGetValue(name, out var registered) && ReferenceEquals(registered, parameter))
                return;

            parameter.DetachFromDisposeScope();
            _owner.ConditionallyRegisterParameter(name, parameter);
        }

        public override void Buffer(string name, ref Tensor field, bool persistent)
        {
            if (field is null || field.IsInvalid)
            {
                _owner.ConditionallyRegisterBuffer(name, null);
                return;
            }

            if (_owner._internal_buffers.TryGetValue(name, out var registered)
                && ReferenceEquals(registered.Item1, field)
                && registered.Item2 == persistent)
                return;

            field.DetachFromDisposeScope();
            _owner.ConditionallyRegisterBuffer(name, field, persistent);
        }

        public override void Module(string name, nn.Module? field)
        {
            var submodules = _owner._internal_submodules;
            if (field is null)
            {
                if (submodules.ContainsKey(name)) submodules.Remove(name);
                return;
            }

            if (submodules.TryGetValue(name, out var registered))
            {
                if (ReferenceEquals(registered, field)) return;
                submodules.Remove(name);
            }

            _owner.register_module(name, field);
        }
    }

    sealed class Mover : ModelComponentVisitor
    {
        readonly ModelModule<T, TResult> _owner;
        readonly ScalarType? _dtype;
        readonly Device? _device;

        public Mover(ModelModule<T, TResult> owner, ScalarType? dtype, Device? device)
        {
            _owner = owner;
            _dtype = dtype;
            _device = device;
        }

        public override void Parameter(string name, ref Tensor field)
        {
            if (field is TorchParameter parameter && Move(name, parameter, out var moved))
                field = moved;
        }

        public override void Parameter(string name, ref TorchParameter field)
        {
            if (field is not null && Move(name, field, out var moved))
                field = moved;
        }

        bool Move(string name, TorchParameter parameter, out TorchParameter moved)
        {
            if (!ReplaceParameter(_dtype, _device, parameter, out var replacement) || replacement is null)
            {
                moved = parameter;
                return false;
            }

            parameter.Dispose();
            _owner.ConditionallyRegisterParameter(name, replacement);
            moved = replacement;
            return true;
        }

        public override void Buffer(string name, ref Tensor field, bool persistent)
        {
            if (field is null || !ReplaceBuffer(_dtype, _device, field, out var moved) || moved is null)
                return;

            field = moved;
            _owner.ConditionallyRegisterBuffer(name, moved, persistent);
        }

        // Children were moved through named_children(), which also covers modules registered by hand.
        public override void Module(string name, nn.Module? module)
        {
        }
    }
}
