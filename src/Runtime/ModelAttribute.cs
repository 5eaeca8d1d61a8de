using System;

namespace Leibniz;

/// <summary>
/// Makes a <c>partial</c> class a TorchSharp module: the generator supplies the
/// <c>torch.nn.Module&lt;T, TResult&gt;</c> base (through <see cref="ModelModule{T, TResult}"/>),
/// the <c>forward</c> override that calls the class's <c>Forward</c> method, and a static,
/// reflection-free registration of its <see cref="ParameterAttribute">[Parameter]</see> and
/// <see cref="BufferAttribute">[Buffer]</see> fields and of its fields that hold modules.
/// </summary>
/// <example>
/// <code>
/// [Model]
/// public partial class Mlp
/// {
///     [Parameter] Tensor w1, b1;
///     public Mlp(int inputs, int outputs) { w1 = randn(outputs, inputs) * 0.1; b1 = zeros(outputs); }
///     public Tensor Forward(Tensor x) => nn.functional.linear(x, w1, b1);
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class ModelAttribute : Attribute
{
}
