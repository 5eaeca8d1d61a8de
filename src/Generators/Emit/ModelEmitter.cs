using Leibniz.Generators.Common;
using Leibniz.Generators.IR;

namespace Leibniz.Generators.Emit;

/// <summary>Writes the partial half of a <c>[Model]</c> class: base class, <c>forward</c>, component registration.</summary>
internal static class ModelEmitter
{
    const string ModelModuleType = "global::Leibniz.ModelModule";
    const string VisitorType = "global::Leibniz.Generated.ModelComponentVisitor";
    const string VisitorParameter = "visitor";

    public static string Emit(ModelSpec spec)
    {
        var writer = new SourceWriter();
        GeneratedFile.OpenHierarchy(writer, spec.Hierarchy, $"{ModelModuleType}<{spec.InputType}, {spec.ResultType}>");

        if (spec.EmitsForward)
        {
            var input = Identifier(spec.ForwardParameterName);
            writer.Line(spec.ForwardIsDifferentiable
                ? "/// <summary>TorchSharp's entry point (<c>call</c> runs hooks, then this); runs <c>Forward</c> with its generated backward.</summary>"
                : "/// <summary>TorchSharp's entry point (<c>call</c> runs hooks, then this); runs <c>Forward</c>.</summary>");
            writer.Line(GeneratedFile.GeneratedCodeAttribute);
            if (spec.ForwardIsDifferentiable)
            {
                writer.Line($"public override {spec.ResultType} forward({spec.InputType} {input}) => ForwardThroughGeneratedBackward({input});");
            }
            else
            {
                // Registration turns the fields into parameters that require grad: done here too, so that the first call
                // records gradients even when nothing has asked for parameters() yet.
                writer.Line($"public override {spec.ResultType} forward({spec.InputType} {input})");
                writer.OpenBrace();
                writer.Line("RegisterComponents();");
                writer.Line($"return Forward({input});");
                writer.CloseBrace();
            }
            writer.Line();
        }

        writer.Line("/// <summary>Registers and moves this model's fields without reflection, in declaration order.</summary>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Line($"protected override void VisitComponents({VisitorType} {VisitorParameter})");
        writer.OpenBrace();
        if (spec.Components.Count > 0)
        {
            // Fields may be declared Tensor or Tensor?; passing them by reference is exact only without nullable checks.
            writer.Line("#nullable disable warnings");
            foreach (var component in spec.Components)
                writer.Line(VisitCall(component));
            writer.Line("#nullable restore warnings");
        }

        writer.CloseBrace();

        GeneratedFile.CloseHierarchy(writer, spec.Hierarchy);
        return writer.ToString();
    }

    static string VisitCall(ComponentSpec component)
    {
        var name = "\"" + component.Name + "\"";
        var field = "this." + Identifier(component.Name);
        return component.Kind switch
        {
            ComponentKind.Buffer => $"{VisitorParameter}.Buffer({name}, ref {field}, persistent: {(component.Persistent ? "true" : "false")});",
            ComponentKind.Module => $"{VisitorParameter}.Module({name}, {field});",
            _ => $"{VisitorParameter}.Parameter({name}, ref {field});",
        };
    }

    static string Identifier(string name)
        => Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" + name : name;
}
