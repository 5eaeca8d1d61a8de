using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>
/// Calls of the runtime's <c>Leibniz.Generated.TensorFacts</c>: what lowering reads about a tensor without reading its
/// values (a size, the rank, the dtype, the device), as opaque calls the derivative treats as data.
/// </summary>
internal static class TensorFactCalls
{
    const string Type = "global::Leibniz.Generated.TensorFacts.";

    /// <summary><c>TensorFacts.<paramref name="fact"/>(operands…)</c>.</summary>
    public static OpaqueCall Of(string fact, params Operand[] operands) => new(Type + fact, operands.ToEquatableArray());
}
