using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.IR.Functions;
using Leibniz.Generators.Rules.Tensor;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>
/// Layers whose backward needs a value the forward computes but does not return. Each is lowered into two IR
/// statements, so the kept value is an ordinary variable the reverse sweep reads: <c>dropout</c> into its mask draw and
/// the product with the mask, <c>max_pool2d</c> into the indices of the window maxima and the values read there.
/// </summary>
internal sealed class LayerLowering
{
    const string DropoutKey = "nn.functional.dropout";
    const string MaxPool2dKey = "nn.functional.max_pool2d";
    const string DrawMaskMethod = "global::Leibniz.Generated.DropoutMask.Draw";
    const string PoolIndicesMethod = "global::Leibniz.Generated.MaxPool2dSelection.Indices";
    const string PoolGatherMethod = "global::Leibniz.Generated.MaxPool2dSelection.Gather";

    readonly FunctionBuilder _builder;
    readonly TensorArgumentLowering _arguments;

    public LayerLowering(FunctionBuilder builder, TensorArgumentLowering arguments)
    {
        _builder = builder;
        _arguments = arguments;
    }

    /// <summary>Lowers a call of a layer that keeps a value for its backward; false when <paramref name="key"/> names no such layer.</summary>
    public bool TryLower(InvocationExpressionSyntax invocation, IInvocationOperation operation, string key, out Expression? lowered)
    {
        lowered = null;
        if (_builder.WithoutDerivative) return false;
        switch (key)
        {
            case DropoutKey:
                lowered = LowerDropout(invocation, operation);
                return true;
            case MaxPool2dKey:
                lowered = LowerMaxPool2d(invocation, operation);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// <c>y = dropout(x, p, training)</c> becomes <c>m = DropoutMask.Draw(x, p, training); y = x·m</c>: the mask is a
    /// variable of the forward sweep, and the product's rule multiplies the adjoint by it. A constant
    /// <c>training: false</c> or <c>p = 0</c> is the identity, lowered to a copy.
    /// </summary>
    Expression? LowerDropout(InvocationExpressionSyntax invocation, IInvocationOperation operation)
    {
        var inplace = ArgumentFor(operation, "inplace");
        if (inplace is not null && inplace.ArgumentKind != ArgumentKind.DefaultValue && !IsConstant(inplace, false))
        {
            _builder.Diagnostics.Report(DiagnosticDescriptors.InPlaceMutation, invocation.GetLocation(), "dropout(…, inplace: true)", "dropout(…, inplace: false)");
            return null;
        }

        if (_builder.InLoop)
        {
            // The reverse sweep recomputes a loop's iterations, which would draw a second, different mask.
            _builder.Diagnostics.Unsupported(invocation, "dropout inside a loop: the reverse sweep recomputes each iteration and would draw a new mask; apply dropout before or after the loop");
            return null;
        }

        var input = LayerArgument(ArgumentFor(operation, "input"));
        var p = ArgumentFor(operation, "p");
        var training = ArgumentFor(operation, "training");
        if (IsConstant(training, false) || IsConstant(p, 0.0)) return new CopyExpression(input);

        var mask = _builder.Locals.Temporary(ValueType.Tensor);
        var draw = new TensorCall(TensorRules.DropoutMaskDraw, TensorRules.DropoutMaskDraw, CallForm.Static, DrawMaskMethod,
            new[] { input, LayerArgument(p), LayerArgument(training) }.ToEquatableArray(), new[] { "input", "p", "training" }.ToEquatableArray());
        _builder.Emit(new Assignment(mask, draw, invocation.ToString()));
        return new TensorCall("Tensor.mul", TensorRules.DropoutProduct, CallForm.Instance, "mul", new[] { input, new Variable(mask) }.ToEquatableArray(), new[] { "this", "target" }.ToEquatableArray());
    }

    /// <summary>
    /// <c>y = max_pool2d(x, …)</c> becomes <c>i = MaxPool2dSelection.Indices(x, …); y = MaxPool2dSelection.Gather(x, i)</c>:
    /// one pooling pass finds the maxima, the indices stay for the reverse sweep, and the values are read at them.
    /// </summary>
    Expression? LowerMaxPool2d(InvocationExpressionSyntax invocation, IInvocationOperation operation)
    {
        var arguments = new List<Operand>();
        var names = new List<string>();
        foreach (var argument in operation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
        {
            arguments.Add(LayerArgument(argument));
            names.Add(argument.Parameter?.Name ?? "");
        }

        var indices = _builder.Locals.Temporary(ValueType.Tensor);
        var select = new TensorCall(TensorRules.MaxPool2dIndices, TensorRules.MaxPool2dIndices, CallForm.Static, PoolIndicesMethod,
            arguments.ToEquatableArray(), names.ToEquatableArray());
        _builder.Emit(new Assignment(indices, select, invocation.ToString()));
        return new TensorCall(TensorRules.MaxPool2dGather, TensorRules.MaxPool2dGather, CallForm.Static, PoolGatherMethod,
            new[] { arguments[0], new Variable(indices) }.ToEquatableArray(), new[] { "input", "indices" }.ToEquatableArray());
    }

    static IArgumentOperation? ArgumentFor(IInvocationOperation operation, string parameter)
        => operation.Arguments.FirstOrDefault(a => a.Parameter?.Name == parameter);

    Operand LayerArgument(IArgumentOperation? argument)
        => argument is null ? new CodeLiteral("null")
            : argument.ArgumentKind == ArgumentKind.DefaultValue ? new OmittedArgument(ConstantOperands.DefaultOf(argument.Parameter))
            : _arguments.Lower(argument.Value);

    static bool IsConstant(IArgumentOperation? argument, object value)
        => argument is not null && argument.Value.ConstantValue is { HasValue: true, Value: { } constant } && (constant.Equals(value) || (value is double d && ConstantOperands.ToNumber(constant) == d));
}
