using System;
using System.Collections.Generic;
using System.ComponentModel;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>
/// The autograd node of an implicit layer's solution: its forward hands back the solution the solver computed (the
/// solver is not on the tape), its backward runs the layer's generated implicit pullback. For generated code, through
/// <see cref="ImplicitLayers.Attach"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ImplicitAutogradFunction : autograd.SingleTensorFunction<ImplicitAutogradFunction>
{
    const string NodeKey = "node";

    /// <summary>What one application keeps for its backward.</summary>
    public sealed class Node
    {
        internal Node(Tensor solution, string layer, Func<Tensor, Tensor?[]> backward, int inputs)
        {
            Solution = solution;
            Layer = layer;
            Backward = backward;
            Inputs = inputs;
        }

        internal Tensor Solution { get; }

        internal string Layer { get; }

        internal Func<Tensor, Tensor?[]> Backward { get; }

        internal int Inputs { get; }
    }

    /// <inheritdoc/>
    public override string Name => "ImplicitLayer";

    /// <inheritdoc/>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var node = (Node)vars[0];
        // The step may run in a dispose scope that ends before backward(): the backward reads the solution, as a
        // saved tensor of autograd's graph would be kept.
        node.Solution.DetachFromDisposeScope();
        ctx.save_data(NodeKey, node);
        return node.Solution.alias();
    }

    /// <inheritdoc/>
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var node = (Node)ctx.get_data(NodeKey);
        try
        {
            using var scope = NewDisposeScope();
            var gradients = node.Backward(grad_output);
            var result = new List<Tensor>(gradients.Length + 1) { null! };
            foreach (var gradient in gradients)
            {
                gradient?.MoveToOuterDisposeScope();
                result.Add(gradient!);
            }

            return result;
        }
        catch (Exception failure)
        {
            // libtorch called this: an exception cannot unwind through it and would end the process.
            return BackwardFailure.Signal(failure, node.Layer, node.Inputs + 1);
        }
    }
}
