using Leibniz.Generators.IR.Functions;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Rules.Tensor;

/// <summary>
/// What a tensor tangent rule sees and may write. The forward-mode transform implements it: rules read the
/// primal call, its output and its operands' tangents, and emit the tangent as IR statements — calls of rows of
/// the tensor rule table — so that reverse mode can differentiate the tangent again (Hessian–vector products).
/// </summary>
internal interface ITangentBuilder
{
    /// <summary>The primal call.</summary>
    TensorCall Call { get; }

    /// <summary>The call's output, already computed.</summary>
    Operand Output { get; }

    /// <summary>The call's argument <paramref name="index"/> (receiver first for methods).</summary>
    Operand Argument(int index);

    /// <summary>The tangent of argument <paramref name="index"/>, or null where it does not vary (its tangent is zero).</summary>
    Operand? Tangent(int index);

    /// <summary>Whether an operand is a tensor (not a <c>double</c>/<c>float</c> number).</summary>
    bool IsTensor(Operand operand);

    /// <summary>Emits <c>t = call</c> into a fresh tensor and returns it; <paramref name="call"/> must name a row of <see cref="TensorRules"/>.</summary>
    Variable Emit(TensorCall call);

    /// <summary>Emits <c>t = expression</c> into a fresh number of type <paramref name="type"/> (arithmetic on a scalar operand).</summary>
    Variable EmitNumber(Expression expression, ValueType type);

    /// <summary>
    /// Says that <paramref name="term"/> has the output's shape. Forward mode needs nothing from it; reverse mode, which
    /// transposes the rule, reads it to know where a cotangent need not be summed back to a smaller shape.
    /// </summary>
    void HasOutputShape(Operand term);

    /// <summary>Emits a call whose result carries no derivative (<c>zeros_like</c>, <c>ones_like</c>) into a fresh tensor.</summary>
    Variable EmitConstant(string csharp, params Operand[] arguments);
}
