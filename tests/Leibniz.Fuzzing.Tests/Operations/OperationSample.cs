using Leibniz.Fuzzing.Tests.TensorPrograms;

namespace Leibniz.Fuzzing.Tests.Operations;

/// <summary>
/// One sample input for a row of the tensor rule table (PyTorch's OpInfo shape): the spellings it exercises, the tensors it
/// takes (float64, drawn from a normal distribution), and an expression over them. The expression is wrapped as
/// <c>(expression).sin().sum()</c>, so the output's adjoint differs from element to element and a pullback that ignores it fails.
/// </summary>
internal sealed record OperationSample(string Name, string[] Covers, TensorParameter[] Tensors, string Expression)
{
    public TensorProgram Program => new(Name, Tensors, null, $"        return ({Expression}).sin().sum();\n", 1, string.Join(", ", Covers));

    public static TensorParameter T(string name, params long[] shape) => new(name, shape);
}
