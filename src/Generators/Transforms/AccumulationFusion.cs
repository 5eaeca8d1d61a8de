using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;
using Leibniz.Generators.Rules.Tensor;

namespace Leibniz.Generators.Transforms;

/// <summary>
/// Gives every tensor accumulation that adds to an adjoint already holding a value, and whose contribution has an
/// accumulating form (<see cref="AccumulatingForms"/>), that form: <c>ū = AddProduct(ū, ȳ, W)</c> is one <c>addmm</c>
/// where <c>ū = Add(ū, ȳ.matmul(W))</c> was a product and an addition. The contribution stays in the statement, so every
/// walker still sees what it reads.
/// </summary>
internal static class AccumulationFusion
{
    public static Block Apply(Block block) => new(block.Statements.Select(Apply).ToEquatableArray());

    static Statement Apply(Statement statement) => statement switch
    {
        AccumulateTensorStatement { Assigns: false, AdjointType: ValueType.Tensor } a when AccumulatingForms.Of(a.Contribution) is { } form
            => a with { AccumulatingForm = form },
        IfStatement i => i with { Then = Apply(i.Then), Else = Apply(i.Else) },
        ReverseLoopStatement l => l with { Body = Apply(l.Body) },
        WhenAdjointStatement w => w with { Body = Apply(w.Body) },
        InputGradientGuardStatement g => g with { Body = Apply(g.Body) },
        _ => statement,
    };
}
