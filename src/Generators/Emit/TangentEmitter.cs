using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR;
using Leibniz.Generators.IR.Functions;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Emit;

/// <summary>
/// Writes the forward-mode methods of each function that asks for them, in a file of their own beside the
/// reverse-mode one: <c>FTangent</c> (value and tangent), <c>FJacobianVectorProduct</c> (the tangent alone, what
/// other tangents call), and with Hessian–vector products <c>FHessianVectorProduct</c> and the JVP's pullback.
/// </summary>
internal static class TangentEmitter
{
    public const string TangentSuffix = "Tangent";
    const string HessianVectorProductSuffix = "HessianVectorProduct";
    const string PullbackSuffix = DerivativeMethodNames.PullbackSuffix;
    const string JacobianVectorProductSuffix = DerivativeMethodNames.JacobianVectorProductSuffix;
    const string ValidationType = "global::Leibniz.Generated.Validation";
    const string JacobiansType = "global::Leibniz.Jacobians";
    const string LossHessianProductType = "global::Leibniz.Curvature.LossHessianProduct";
    const string LossCurvatureType = "global::Leibniz.Curvature.LossCurvature";
    const string ParameterDirectionsType = "global::Leibniz.Generated.ParameterDirections";
    const string ComposedCurvatureType = "global::Leibniz.Generated.ComposedCurvature";
    const string ModelGradientsType = "global::Leibniz.ModelGradients";
    const string TensorListType = "global::System.Collections.Generic.IReadOnlyList<global::TorchSharp.torch.Tensor>";
    const string ParameterDirectionsParameter = "parameterDirections";

    public static string Emit(TypeHierarchy hierarchy, IEnumerable<TangentFunctionSpec> functions)
    {
        var writer = new SourceWriter();
        GeneratedFile.OpenHierarchy(writer, hierarchy, baseList: null);
        var first = true;
        foreach (var function in functions)
        {
            if (!first) writer.Line();
            first = false;
            if (function.CalledModels.Count > 0)
            {
                WriteComposed(writer, function);
                continue;
            }

            WriteTangent(writer, function);
            writer.Line();
            WriteJacobianVectorProduct(writer, function);
            // Over the parameter fields one by one; a model without any has only the list form below.
            if (function.Primal.IsModelMethod && function.Primal.ReturnType == ValueType.Tensor && function.Tangents.Any(t => IsField(function.Primal, t.Parameter)))
            {
                writer.Line();
                WriteGaussNewtonProduct(writer, function);
            }

            if (function.Primal.IsModelMethod)
            {
                writer.Line();
                WriteOverParameters(writer, function);
            }

            if (HasJacobian(function))
            {
                writer.Line();
                WriteJacobian(writer, function);
            }

            if (function.Reverse is { } reverse)
            {
                writer.Line();
                WriteHessianVectorProduct(writer, function, reverse);
                if (HasHessian(function))
                {
                    writer.Line();
                    WriteHessian(writer, function);
                }

                writer.Line();
                FunctionEmitter.WritePullback(writer, reverse);
                if (function.OverWrt?.Reverse is { } overWrt)
                {
                    writer.Line();
                    FunctionEmitter.WritePullback(writer, overWrt,
                        $"The reverse of {function.Primal.Name}'s tangent with only its Wrt inputs varying, which {function.Primal.Name}{HessianVectorProductSuffix} runs: the other inputs' directions are zero, so no tangent or adjoint is formed for them.");
                }
            }
        }

        GeneratedFile.CloseHierarchy(writer, hierarchy);
        return writer.ToString();
    }

    static string Id(string name) => FunctionEmitter.Id(name);

    /// <summary>The parameters a caller passes: a <c>[Model]</c> method's parameter fields are read from the instance.</summary>
    static IEnumerable<string> PrimalParameters(FunctionSpec primal) => primal.Parameters.Where(p => !p.IsField).Select(p => $"{p.Type.CSharpName()} {Id(p.Name)}");

    static string CallerArguments(FunctionSpec primal) => string.Join(", ", primal.Parameters.Where(p => !p.IsField).Select(p => Id(p.Name)));

    /// <summary>A parameter in a doc comment; a model's parameter field is not a parameter of the generated method.</summary>
    static string Reference(FunctionSpec primal, string name)
        => primal.Parameters.Any(p => p.Name == name && p.IsField) ? $"the parameter field <c>{name}</c>" : $"<paramref name=\"{name}\"/>";

    static string Static(FunctionSpec primal) => primal.IsModelMethod ? "" : "static ";

    static void WriteTangent(SourceWriter writer, TangentFunctionSpec function)
    {
        var primal = function.Primal;
        var jvp = function.Jvp;
        var taken = new HashSet<string>(jvp.Parameters.Select(p => p.Name).Concat(jvp.Locals.Select(l => l.Name)));
        var output = Fresh("tangent", taken);
        var returnType = primal.ReturnType.CSharpName();
        var parameters = PrimalParameters(primal)
            .Concat(function.Tangents.Select(t => $"{t.Type.CSharpName()} {Id(t.Tangent)}"))
            .Append($"out {returnType} {Id(output)}");

        var sum = string.Join(" + ", function.Tangents.Select(t => $"∂{primal.Name}/∂{t.Parameter}·{t.Tangent}"));
        writer.Line($"/// <summary>{primal.Name} and its derivative along a direction, by forward mode: returns the value and writes {(sum.Length == 0 ? "0" : sum)} to <paramref name=\"{output}\"/>{(primal.ReturnType == ValueType.Tensor ? " (for a tensor result, the Jacobian–vector product, shaped like the result)" : "")}.</summary>");
        foreach (var tangent in function.Tangents)
            writer.Line($"/// <param name=\"{tangent.Tangent}\">The tangent of {Reference(primal, tangent.Parameter)}: {TangentShape(tangent)}.</param>");
        writer.Line($"/// <param name=\"{output}\">Receives the derivative of {primal.Name} along the tangents.</param>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Line($"{primal.Accessibility} {Static(primal)}{returnType} {primal.Name}{TangentSuffix}({string.Join(", ", parameters)})");
        writer.OpenBrace();
        WritePrimalChecks(writer, primal);
        WriteTangentChecks(writer, function.Tangents.Select(t => (t, t.Tangent)));

        foreach (var local in jvp.Locals)
            writer.Line($"{local.Type.CSharpName()} {Id(local.Name)} = {FunctionEmitter.Default(local.Type)};");
        writer.Line();
        WriteBlock(writer, function.TangentBody ?? jvp.Body);
        writer.Line();

        var result = ((Variable)jvp.Body.Statements.OfType<ReturnStatement>().Single().Value).Name;
        writer.Line($"{Id(output)} = {Id(result)};");
        writer.Line($"return {Id(function.Value)};");
        writer.CloseBrace();
    }

    /// <summary>
    /// <c>ForwardGaussNewtonProduct</c> of a model: Jᵀ·H_ℓ·J·v over its parameters — the generated tangent for J·v, the
    /// loss's Hessian product at the output, the generated pullback for Jᵀ — so curvature tools get the Gauss–Newton
    /// matrix without a tape.
    /// </summary>
    static void WriteGaussNewtonProduct(SourceWriter writer, TangentFunctionSpec function)
    {
        var primal = function.Primal;
        var inputs = new ModelInputs(primal);
        var parameters = function.Tangents.Where(t => primal.Parameters.Any(p => p.Name == t.Parameter && p.IsField)).ToList();
        var taken = new HashSet<string>(function.Jvp.Parameters.Select(p => p.Name).Append(inputs.Name));
        var (lossCurvature, sweep, gradients, jv) = (Fresh("lossCurvature", taken), Fresh("sweep", taken), Fresh("gradients", taken), Fresh("jv", taken));
        var directions = parameters.ToDictionary(t => t.Parameter, t => Fresh("v" + t.Parameter, taken));
        var noGrad = Fresh("noGrad", taken);
        var tensor = ValueType.Tensor.CSharpName();
        // One parameter field is one tensor: C# has no tuple of one element.
        var tuple = parameters.Count == 1 ? tensor + "?" : "(" + string.Join(", ", parameters.Select(t => $"{tensor}? {Id(t.Parameter)}")) + ")";
        var signature = new[] { inputs.Declaration }
            .Concat(parameters.Select(t => $"{tensor} {Id(directions[t.Parameter])}"))
            .Append($"{LossHessianProductType} {lossCurvature}");

        writer.Line($"/// <summary>");
        writer.Line($"/// The Gauss–Newton product G·v = Jᵀ·H_ℓ·J·v of {primal.Name} and a loss ℓ of its output, over the parameters: J is the Jacobian of");
        writer.Line($"/// {primal.Name}(<paramref name=\"{inputs.Name}\"/>) in the parameters (J·v by the generated tangent, Jᵀ by the generated pullback) and H_ℓ the");
        writer.Line($"/// loss's Hessian in the output. Positive semidefinite when ℓ is convex in the output (cross-entropy, squared error), unlike the");
        writer.Line($"/// Hessian; for cross-entropy it is also the Fisher information.");
        writer.Line($"/// </summary>");
        foreach (var t in parameters)
            writer.Line($"/// <param name=\"{directions[t.Parameter]}\">The direction's component for the parameter field <c>{t.Parameter}</c>, of its shape.</param>");
        writer.Line($"/// <param name=\"{lossCurvature}\">H_ℓ·u at the output: <see cref=\"{LossCurvatureType}\"/>, or the generated <c>FHessianVectorProduct</c> of your own loss.</param>");
        writer.Line($"/// <returns>G·v, one tensor per parameter field; null where the output does not depend on the field.</returns>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Line($"public {tuple} {primal.Name}GaussNewtonProduct({string.Join(", ", signature)})");
        writer.OpenBrace();
        writer.Line($"if ({lossCurvature} is null) throw new global::System.ArgumentNullException(nameof({lossCurvature}));");
        writer.Line($"using var {noGrad} = global::TorchSharp.torch.no_grad();");
        var elements = inputs.Parameters.Select((p, i) => (p.Name, Value: inputs.ElementOf(i))).ToDictionary(e => e.Name, e => e.Value);
        var tangentArguments = elements.Values
            .Concat(function.Tangents.Select(t => elements.TryGetValue(t.Parameter, out var element) ? $"global::TorchSharp.torch.zeros_like({element})"
                : directions.TryGetValue(t.Parameter, out var d) ? Id(d) : $"global::TorchSharp.torch.zeros_like({Id(t.Parameter)})"));
        writer.Line($"{primal.Name}{TangentSuffix}({string.Join(", ", tangentArguments)}, out var {jv});");
        writer.Line($"var {sweep} = {primal.Name}WithPullback({Id(inputs.Name)}, {FunctionEmitter.WithPullbackFlag(inputs.Name)}: false);");
        writer.Line($"var {gradients} = {sweep}.Pullback({lossCurvature}({sweep}.Output, {jv}));");
        writer.Line("return (" + string.Join(", ", parameters.Select(t => gradients + "." + Id(t.Parameter))) + ");");
        writer.CloseBrace();
    }

    // ---- one direction over every parameter of a model: what a model calling this one passes, and the curvature tools' shape ----

    static bool IsField(FunctionSpec primal, string name) => primal.Parameters.Any(p => p.Name == name && p.IsField);

    /// <summary>
    /// <c>ForwardTangent</c>, <c>ForwardJacobianVectorProduct</c>, and for a tensor-to-tensor model <c>ForwardGaussNewtonProduct</c>
    /// and (with Hessian–vector products over every input) <c>ForwardHessianVectorProduct</c>, over one list of
    /// directions, one per parameter in <c>named_parameters()</c> order: a model calling this one passes it the part of
    /// its own direction under the field, and the curvature tools pass a flat vector unflattened by <c>ParameterLayout</c>.
    /// Each unpacks the list and runs the per-field method above.
    /// </summary>
    static void WriteOverParameters(SourceWriter writer, TangentFunctionSpec function)
    {
        var primal = function.Primal;
        var taken = new HashSet<string>(function.Jvp.Parameters.Select(p => p.Name).Concat(function.Tangents.Select(t => t.Tangent)));
        var (list, directions, output) = (Fresh(ParameterDirectionsParameter, taken), Fresh("directions", taken), Fresh("tangent", taken));
        var inputs = function.Tangents.Where(t => !IsField(primal, t.Parameter)).ToList();
        var parameters = PrimalParameters(primal)
            .Concat(inputs.Select(t => $"{t.Type.CSharpName()} {Id(t.Tangent)}"))
            .Append($"{TensorListType} {list}");
        var arguments = primal.Parameters.Where(p => !p.IsField).Select(p => Id(p.Name))
            .Concat(function.Tangents.Select(t => IsField(primal, t.Parameter) ? $"{directions}.Own(\"{t.Parameter}\")" : Id(t.Tangent)));
        var returnType = primal.ReturnType.CSharpName();

        writer.Line($"/// <summary>{primal.Name}{TangentSuffix} with the parameters' tangents as one list, one per entry of <c>named_parameters()</c> in order (what a model calling this one passes).</summary>");
        writer.Line($"/// <param name=\"{list}\">The parameters' tangents, each of its parameter's shape, dtype and device.</param>");
        writer.Line($"/// <param name=\"{output}\">Receives the derivative of {primal.Name} along the tangents.</param>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Line($"{primal.Accessibility} {returnType} {primal.Name}{TangentSuffix}({string.Join(", ", parameters.Append($"out {returnType} {Id(output)}"))})");
        writer.OpenBrace();
        writer.Line($"var {directions} = {ParameterDirectionsType}.Of(this, {list}, nameof({list}));");
        writer.Line($"return {primal.Name}{TangentSuffix}({string.Join(", ", arguments.Append($"out {Id(output)}"))});");
        writer.CloseBrace();

        writer.Line();
        WriteListJacobianVectorProduct(writer, function, parameters, list);

        if (primal.ReturnType != ValueType.Tensor) return;
        var names = function.Jvp.Parameters.Select(p => p.Name).ToList();
        writer.Line();
        WriteListGaussNewtonProduct(writer, function, new HashSet<string>(names), composed: false);
        // H·v over the input and the parameters takes one input's direction; a tuple input has the Gauss–Newton product only.
        if (primal.TupleInput is null && function.Reverse is not null && function.OverWrt is null && function.Tangents.All(t => t.IsWrt))
        {
            writer.Line();
            WriteListHessianVectorProduct(writer, function, new HashSet<string>(names), composed: false);
            writer.Line();
            WriteLossHessianVectorProduct(writer, function, new HashSet<string>(names));
        }
    }

    static void WriteListJacobianVectorProduct(SourceWriter writer, TangentFunctionSpec function, IEnumerable<string> parameters, string list)
    {
        var primal = function.Primal;
        var output = Fresh("tangent", new HashSet<string>(function.Jvp.Parameters.Select(p => p.Name).Append(list)));
        var arguments = primal.Parameters.Where(p => !p.IsField).Select(p => Id(p.Name))
            .Concat(function.Tangents.Where(t => !IsField(primal, t.Parameter)).Select(t => Id(t.Tangent)))
            .Append(list)
            .Append($"out var {Id(output)}");
        writer.Line($"/// <summary>The derivative of {primal.Name} along the tangents, the parameters' as one list in <c>named_parameters()</c> order; what the tangents of models calling this one call.</summary>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Line($"{primal.Accessibility} {primal.ReturnType.CSharpName()} {primal.Name}{JacobianVectorProductSuffix}({string.Join(", ", parameters)})");
        writer.OpenBrace();
        writer.Line($"{primal.Name}{TangentSuffix}({string.Join(", ", arguments)});");
        writer.Line($"return {Id(output)};");
        writer.CloseBrace();
    }

    /// <summary>G·v over every parameter of the model, as one tensor per <c>named_parameters()</c> entry: J·v by the generated tangent, Jᵀ by the generated pullback.</summary>
    static void WriteListGaussNewtonProduct(SourceWriter writer, TangentFunctionSpec function, HashSet<string> taken, bool composed)
    {
        var primal = function.Primal;
        var inputs = new ModelInputs(primal);
        taken.Add(inputs.Name);
        var (list, lossCurvature, jv, sweep, gradients, noGrad) = (Fresh(ParameterDirectionsParameter, taken), Fresh("lossCurvature", taken), Fresh("jv", taken), Fresh("sweep", taken), Fresh("gradients", taken), Fresh("noGrad", taken));
        var tensor = ValueType.Tensor.CSharpName();
        writer.Line($"/// <summary>");
        writer.Line($"/// The Gauss–Newton product G·v = Jᵀ·H_ℓ·J·v of {primal.Name} and a loss ℓ of its output over every parameter of the model{(composed ? " (those of the" : ",")}");
        writer.Line($"/// {(composed ? "models it calls included), " : "")}the direction and the product one tensor per <c>named_parameters()</c> entry in order: J·v by the");
        writer.Line($"/// generated tangent, Jᵀ by the generated pullback, H_ℓ the loss's Hessian in the output. Feeds <c>SymmetricOperator.OverParameters</c>.");
        writer.Line($"/// </summary>");
        writer.Line($"/// <param name=\"{list}\">The direction, one tensor per parameter, each of its parameter's shape, dtype and device.</param>");
        writer.Line($"/// <param name=\"{lossCurvature}\">H_ℓ·u at the output: <see cref=\"{LossCurvatureType}\"/>, or the generated <c>FHessianVectorProduct</c> of your own loss.</param>");
        writer.Line($"/// <returns>G·v, one tensor per parameter; zeros where the output does not depend on it.</returns>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Line($"public {tensor}[] {primal.Name}GaussNewtonProduct({inputs.Declaration}, {TensorListType} {list}, {LossHessianProductType} {lossCurvature})");
        writer.OpenBrace();
        writer.Line($"if ({lossCurvature} is null) throw new global::System.ArgumentNullException(nameof({lossCurvature}));");
        writer.Line($"using var {noGrad} = global::TorchSharp.torch.no_grad();");
        var elements = Enumerable.Range(0, inputs.Parameters.Count).Select(inputs.ElementOf).ToList();
        writer.Line($"{primal.Name}{TangentSuffix}({string.Join(", ", elements.Concat(elements.Select(e => $"global::TorchSharp.torch.zeros_like({e})")))}, {list}, out var {jv});");
        writer.Line($"var {sweep} = {primal.Name}WithPullback({Id(inputs.Name)}, {FunctionEmitter.WithPullbackFlag(inputs.Name)}: false);");
        writer.Line($"var {gradients} = new {ModelGradientsType}();");
        writer.Line($"{sweep}.PullbackInto({lossCurvature}({sweep}.Output, {jv}), {gradients});");
        writer.Line($"return {ParameterDirectionsType}.InOrder(this, {gradients});");
        writer.CloseBrace();
    }

    const string OutputWeightsParameter = "outputWeights";

    static string OutputWeightsDoc(string weights, string method)
        => $"/// <param name=\"{weights}\">Weights w of the output, of its shape: the product is then that of the Hessian of ⟨w, {method}⟩ (for a loss ℓ of the output, w = ∂ℓ/∂output); null for the sum of {method}.</param>";

    /// <summary>
    /// The Hessian of a loss of the model's output over its parameters, times a direction: Jᵀ·H_ℓ·J·v (the Gauss–Newton
    /// product) plus the output's own curvature weighted by the loss's gradient, Σₖ ∂ℓ/∂fₖ·∇²fₖ·v (the H·v above with
    /// output weights) — so a model's loss curvature needs no rewriting of the network as a static function.
    /// </summary>
    static void WriteLossHessianVectorProduct(SourceWriter writer, TangentFunctionSpec function, HashSet<string> taken)
    {
        var primal = function.Primal;
        var x = Id(primal.Parameters.First(p => !p.IsField).Name);
        var (list, lossGradient, lossCurvature, gaussNewton, weights, second, sum, noGrad, i) = (Fresh(ParameterDirectionsParameter, taken), Fresh("lossGradient", taken),
            Fresh("lossCurvature", taken), Fresh("gaussNewton", taken), Fresh("weights", taken), Fresh("second", taken), Fresh("sum", taken), Fresh("noGrad", taken), Fresh("i", taken));
        var tensor = ValueType.Tensor.CSharpName();
        writer.Line($"/// <summary>");
        writer.Line($"/// The Hessian of a loss ℓ({primal.Name}(x)) over every parameter of the model times a direction v, one tensor per");
        writer.Line($"/// <c>named_parameters()</c> entry in order: Jᵀ·H_ℓ·J·v (the Gauss–Newton product) plus Σₖ ∂ℓ/∂fₖ·∇²fₖ·v, the output's own");
        writer.Line($"/// curvature weighted by the loss's gradient. Feeds <c>SymmetricOperator.OverParameters</c> like the Hessian it is.");
        writer.Line($"/// </summary>");
        writer.Line($"/// <param name=\"{list}\">The direction, one tensor per parameter, each of its parameter's shape, dtype and device.</param>");
        writer.Line($"/// <param name=\"{lossGradient}\">∂ℓ/∂output at an output (the generated <c>LossWithGradient</c> of your loss, for instance).</param>");
        writer.Line($"/// <param name=\"{lossCurvature}\">H_ℓ·u at the output: <see cref=\"{LossCurvatureType}\"/>, or the generated <c>FHessianVectorProduct</c> of your own loss.</param>");
        writer.Line($"/// <returns>∇²ℓ·v over the parameters, one tensor per parameter.</returns>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Line($"public {tensor}[] {primal.Name}Loss{HessianVectorProductSuffix}({tensor} {x}, {TensorListType} {list}, global::System.Func<{tensor}, {tensor}> {lossGradient}, {LossHessianProductType} {lossCurvature})");
        writer.OpenBrace();
        writer.Line($"if ({lossGradient} is null) throw new global::System.ArgumentNullException(nameof({lossGradient}));");
        writer.Line($"if ({lossCurvature} is null) throw new global::System.ArgumentNullException(nameof({lossCurvature}));");
        writer.Line($"var {gaussNewton} = {primal.Name}GaussNewtonProduct({x}, {list}, {lossCurvature});");
        writer.Line($"{tensor} {weights};");
        writer.Line($"using (var {noGrad} = global::TorchSharp.torch.no_grad()) {weights} = {lossGradient}({primal.Name}({x}));");
        writer.Line($"{primal.Name}{HessianVectorProductSuffix}({x}, global::TorchSharp.torch.zeros_like({x}), {list}, out _, out _, out _, out var {second}, {weights});");
        writer.Line($"var {sum} = new {tensor}[{gaussNewton}.Length];");
        writer.Line($"for (var {i} = 0; {i} < {sum}.Length; {i}++) {sum}[{i}] = {gaussNewton}[{i}] + {second}[{i}];");
        writer.Line($"return {sum};");
        writer.CloseBrace();
    }

    /// <summary>
    /// H·v over the input and every parameter of the model, the parameters' parts one tensor per <c>named_parameters()</c>
    /// entry. A model calling models differentiates its generated tangent on TorchSharp's autograd (reverse over forward,
    /// the reverse half on the tape, since the called models' parameters are not inputs of its generated code); a model
    /// of its own runs the generated product above.
    /// </summary>
    static void WriteListHessianVectorProduct(SourceWriter writer, TangentFunctionSpec function, HashSet<string> taken, bool composed)
    {
        var primal = function.Primal;
        var input = primal.Parameters.First(p => !p.IsField).Name;
        var x = Id(input);
        var (list, vx, gx, gradients, hvx, products) = (Fresh(ParameterDirectionsParameter, taken), Fresh("v" + input, taken), Fresh("g" + input, taken), Fresh("gradients", taken), Fresh("hv" + input, taken), Fresh("products", taken));
        var tensor = ValueType.Tensor.CSharpName();
        writer.Line($"/// <summary>");
        writer.Line($"/// The Hessian of the sum of {primal.Name} times a direction v over <paramref name=\"{input}\"/> and every parameter of the model{(composed ? " (those of the models it calls included)" : "")}:");
        writer.Line($"/// writes H·v to <paramref name=\"{hvx}\"/> and <paramref name=\"{products}\"/>, the gradient to <paramref name=\"{gx}\"/> and <paramref name=\"{gradients}\"/>, the parameters'");
        writer.Line($"/// parts one tensor per <c>named_parameters()</c> entry in order, and returns the directional derivative.");
        writer.Line($"/// </summary>");
        if (composed)
        {
            writer.Line($"/// <remarks>");
            writer.Line($"/// Reverse over forward: the forward half is the generated tangent, through the called models' generated tangents; the");
            writer.Line($"/// reverse half runs on TorchSharp's autograd over it, because the called models' parameters are not inputs of this");
            writer.Line($"/// model's generated code. A parameter that does not require grad gets zeros.");
            writer.Line($"/// </remarks>");
        }

        var weights = Fresh(OutputWeightsParameter, taken);
        writer.Line($"/// <param name=\"{vx}\">The direction's component for <paramref name=\"{input}\"/>: a tensor of its shape, dtype and device.</param>");
        writer.Line($"/// <param name=\"{list}\">The direction's components for the parameters, one per parameter, each of its shape, dtype and device.</param>");
        writer.Line(OutputWeightsDoc(weights, primal.Name));
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Line($"public {tensor} {primal.Name}{HessianVectorProductSuffix}({tensor} {x}, {tensor} {Id(vx)}, {TensorListType} {list}, out {tensor} {Id(gx)}, out {tensor}[] {gradients}, out {tensor} {Id(hvx)}, out {tensor}[] {products}, {tensor}? {Id(weights)} = null)");
        writer.OpenBrace();
        if (composed)
        {
            writer.Line($"{ValidationType}.Tensor({x}, nameof({x}), \"{primal.Name}\");");
            writer.Line($"{ValidationType}.Direction({Id(vx)}, {x}, nameof({Id(vx)}), \"{input}\");");
            writer.Line($"{ParameterDirectionsType}.Of(this, {list}, nameof({list}));");
            var (a, b, c, t) = (Fresh("input", taken), Fresh("inputTangent", taken), Fresh("directions", taken), Fresh("tangent", taken));
            writer.Line($"return {ComposedCurvatureType}.HessianVectorProduct(this, {x}, {Id(vx)}, {list},");
            writer.Line($"    ({a}, {b}, {c}) => ({primal.Name}{TangentSuffix}({a}, {b}, {c}, out var {t}), {t}),");
            writer.Line($"    out {Id(gx)}, out {gradients}, out {Id(hvx)}, out {products}, {Id(weights)});");
            writer.CloseBrace();
            return;
        }

        var directions = Fresh("directions", taken);
        var fields = function.Tangents.Where(t => IsField(primal, t.Parameter)).ToList();
        var outputs = fields.ToDictionary(t => t.Parameter, t => (Gradient: Fresh("g" + t.Parameter, taken), Product: Fresh("hv" + t.Parameter, taken)));
        var dot = Fresh("derivative", taken);
        writer.Line($"var {directions} = {ParameterDirectionsType}.Of(this, {list}, nameof({list}));");
        var arguments = new[] { x }
            .Concat(function.Tangents.Select(t => IsField(primal, t.Parameter) ? $"{directions}.Own(\"{t.Parameter}\")" : Id(vx)))
            .Concat(function.Tangents.Select(t => IsField(primal, t.Parameter) ? $"out var {Id(outputs[t.Parameter].Gradient)}" : $"out var {Id(gx)}_"))
            .Concat(function.Tangents.Select(t => IsField(primal, t.Parameter) ? $"out var {Id(outputs[t.Parameter].Product)}" : $"out var {Id(hvx)}_"))
            .Append(Id(weights));
        writer.Line($"var {dot} = {primal.Name}{HessianVectorProductSuffix}({string.Join(", ", arguments)});");
        writer.Line($"{Id(gx)} = {Id(gx)}_ ?? global::TorchSharp.torch.zeros_like({x});");
        writer.Line($"{Id(hvx)} = {Id(hvx)}_ ?? global::TorchSharp.torch.zeros_like({x});");
        // A model that reads no parameter field still lists its parameters (zeros): InOrder's params array is then empty.
        string ByName(System.Func<string, string> value) => fields.Count == 0 ? ""
            : ", new[] { " + string.Join(", ", fields.Select(t => $"(\"{t.Parameter}\", {Id(t.Parameter)}, {Id(value(t.Parameter))})")) + " }";
        writer.Line($"{gradients} = {ParameterDirectionsType}.InOrder(this{ByName(f => outputs[f].Gradient)});");
        writer.Line($"{products} = {ParameterDirectionsType}.InOrder(this{ByName(f => outputs[f].Product)});");
        writer.Line($"return {dot};");
        writer.CloseBrace();
    }

    /// <summary>
    /// The forward-mode methods of a <c>[Model]</c> whose method calls other models, over one direction for every parameter
    /// of the composite (its own fields' and, under each called field, that model's, recursively), in
    /// <c>named_parameters()</c> order: the tangent runs each called model's own generated tangent on its part.
    /// </summary>
    static void WriteComposed(SourceWriter writer, TangentFunctionSpec function)
    {
        var primal = function.Primal;
        var jvp = function.Jvp;
        var taken = new HashSet<string>(jvp.Parameters.Select(p => p.Name).Concat(jvp.Locals.Select(l => l.Name)).Concat(function.CalledModels.Select(c => c.Directions)));
        var (list, directions, output) = (Fresh(ParameterDirectionsParameter, taken), Fresh("directions", taken), Fresh("tangent", taken));
        var inputs = function.Tangents.Where(t => !IsField(primal, t.Parameter)).ToList();
        var returnType = primal.ReturnType.CSharpName();
        var parameters = PrimalParameters(primal)
            .Concat(inputs.Select(t => $"{t.Type.CSharpName()} {Id(t.Tangent)}"))
            .Append($"{TensorListType} {list}")
            .ToList();

        writer.Line($"/// <summary>");
        writer.Line($"/// {primal.Name} and its derivative along a direction, by forward mode through the models it calls ({string.Join(", ", function.CalledModels.Select(c => c.Field))}): returns the value");
        writer.Line($"/// and writes the Jacobian–vector product, shaped like the result, to <paramref name=\"{output}\"/>.");
        writer.Line($"/// </summary>");
        foreach (var tangent in inputs)
            writer.Line($"/// <param name=\"{tangent.Tangent}\">The tangent of <paramref name=\"{tangent.Parameter}\"/>: {TangentShape(tangent)}.</param>");
        writer.Line($"/// <param name=\"{list}\">The tangents of every parameter of the model, those of the models it calls included: one per entry of <c>named_parameters()</c>, in order, each of its parameter's shape, dtype and device.</param>");
        writer.Line($"/// <param name=\"{output}\">Receives the derivative of {primal.Name} along the tangents.</param>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Line($"{primal.Accessibility} {returnType} {primal.Name}{TangentSuffix}({string.Join(", ", parameters.Append($"out {returnType} {Id(output)}"))})");
        writer.OpenBrace();
        WritePrimalChecks(writer, primal);
        WriteTangentChecks(writer, inputs.Select(t => (t, t.Tangent)));
        writer.Line($"var {directions} = {ParameterDirectionsType}.Of(this, {list}, nameof({list}));");
        foreach (var t in function.Tangents.Where(t => IsField(primal, t.Parameter)))
            writer.Line($"{t.Type.CSharpName()} {Id(t.Tangent)} = {directions}.Own(\"{t.Parameter}\");");
        foreach (var called in function.CalledModels)
            writer.Line($"{TensorListType} {Id(called.Directions)} = {directions}.Called(\"{called.Field}\");");
        foreach (var local in jvp.Locals)
            writer.Line($"{local.Type.CSharpName()} {Id(local.Name)} = {FunctionEmitter.Default(local.Type)};");
        writer.Line();
        WriteBlock(writer, function.TangentBody ?? jvp.Body);
        writer.Line();
        var result = ((Variable)jvp.Body.Statements.OfType<ReturnStatement>().Single().Value).Name;
        writer.Line($"{Id(output)} = {Id(result)};");
        writer.Line($"return {Id(function.Value)};");
        writer.CloseBrace();

        writer.Line();
        WriteListJacobianVectorProduct(writer, function, parameters, list);
        var gaussNewton = new HashSet<string>(primal.Parameters.Select(p => p.Name));
        writer.Line();
        WriteListGaussNewtonProduct(writer, function, gaussNewton, composed: true);
        if (function.ComposedHessianVectorProduct)
        {
            writer.Line();
            WriteListHessianVectorProduct(writer, function, new HashSet<string>(primal.Parameters.Select(p => p.Name)), composed: true);
            writer.Line();
            WriteLossHessianVectorProduct(writer, function, new HashSet<string>(primal.Parameters.Select(p => p.Name)));
        }
    }

    static string TangentShape(TangentParameter tangent) => tangent.Type switch
    {
        ValueType.Tensor => $"a tensor of {tangent.Parameter}'s shape, dtype and device",
        ValueType.DoubleArray or ValueType.FloatArray => $"an array of {tangent.Parameter}'s length",
        _ => "how fast it moves",
    };

    /// <summary>A tangent must match its parameter: a tensor of another shape would broadcast into a wrong result without a word.</summary>
    static void WriteTangentChecks(SourceWriter writer, IEnumerable<(TangentParameter Tangent, string Name)> directions)
    {
        foreach (var (tangent, name) in directions)
        {
            if (tangent.Type == ValueType.Tensor || tangent.Type.IsArray())
                writer.Line($"{ValidationType}.Direction({Id(name)}, {Id(tangent.Parameter)}, nameof({Id(name)}), \"{tangent.Parameter}\");");
        }
    }

    /// <summary>The primal arguments a caller passes: tensors not null, not disposed, on the first one's device; arrays not null.</summary>
    static void WritePrimalChecks(SourceWriter writer, FunctionSpec primal)
    {
        var passed = primal.Parameters.Where(p => !p.IsField).ToList();
        var first = passed.FirstOrDefault(p => p.Type == ValueType.Tensor);
        foreach (var parameter in passed)
        {
            if (parameter.Type.IsArray())
                writer.Line($"{ValidationType}.Array({Id(parameter.Name)}, nameof({Id(parameter.Name)}), \"{primal.Name}\");");
            else if (parameter.Type == ValueType.Tensor)
                writer.Line(parameter == first
                    ? $"{ValidationType}.Tensor({Id(parameter.Name)}, nameof({Id(parameter.Name)}), \"{primal.Name}\");"
                    : $"{ValidationType}.Tensor({Id(parameter.Name)}, nameof({Id(parameter.Name)}), \"{primal.Name}\", {Id(first!.Name)}, \"{first.Name}\");");
        }
    }

    static void WriteJacobianVectorProduct(SourceWriter writer, TangentFunctionSpec function)
    {
        var primal = function.Primal;
        var taken = new HashSet<string>(function.Jvp.Parameters.Select(p => p.Name));
        var output = Fresh("tangent", taken);
        var parameters = PrimalParameters(primal).Concat(function.Tangents.Select(t => $"{t.Type.CSharpName()} {Id(t.Tangent)}"));
        var arguments = primal.Parameters.Where(p => !p.IsField).Select(p => Id(p.Name)).Concat(function.Tangents.Select(t => Id(t.Tangent))).Append($"out var {Id(output)}");

        writer.Line($"/// <summary>The derivative of {primal.Name} along the tangents (for a tensor result, the Jacobian–vector product), by forward mode; what the tangents of functions calling {primal.Name} call.</summary>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Line($"{primal.Accessibility} {Static(primal)}{primal.ReturnType.CSharpName()} {function.Jvp.Name}({string.Join(", ", parameters)})");
        writer.OpenBrace();
        writer.Line($"{primal.Name}{TangentSuffix}({string.Join(", ", arguments)});");
        writer.Line($"return {Id(output)};");
        writer.CloseBrace();
    }

    /// <summary>
    /// H·v as the gradient of x ↦ ∇F(x)·v: reverse mode over the generated tangent. The JVP's pullback, seeded with 1,
    /// sends the adjoint of the primal inputs (∂(∇F·v)/∂x = H·v) and of the tangents (∂(∇F·v)/∂v = ∇F) back at once.
    /// </summary>
    static void WriteHessianVectorProduct(SourceWriter writer, TangentFunctionSpec function, ReverseFunctionSpec reverse)
    {
        var primal = function.Primal;
        // Inputs outside Wrt have a zero direction: the sweep over the Wrt inputs alone carries no tangent for them.
        if (function.OverWrt is { Reverse: { } overWrt } restricted)
            (function, reverse) = (restricted, overWrt);
        var taken = new HashSet<string>(primal.Parameters.Select(p => p.Name));
        var wrt = function.Tangents.Where(t => t.IsWrt).ToList();
        var directions = wrt.ToDictionary(t => t.Parameter, t => Fresh("v" + t.Parameter, taken));
        var gradients = wrt.ToDictionary(t => t.Parameter, t => Fresh("g" + t.Parameter, taken));
        var products = wrt.ToDictionary(t => t.Parameter, t => Fresh("hv" + t.Parameter, taken));
        var returnType = primal.ReturnType.CSharpName();

        string Output(TangentParameter t, string name) => t.Type.IsArray() ? $"{t.Type.CSharpName()} {Id(name)}" : $"out {FunctionEmitter.Nullable(t.Type)} {Id(name)}";
        var parameters = PrimalParameters(primal)
            .Concat(wrt.Select(t => $"{t.Type.CSharpName()} {Id(directions[t.Parameter])}"))
            .Concat(wrt.Select(t => Output(t, gradients[t.Parameter])))
            .Concat(wrt.Select(t => Output(t, products[t.Parameter])));

        // A model's product may weight its output (w = ∂ℓ/∂output for a loss ℓ): the Hessian of ⟨w, Forward⟩.
        var weights = primal.IsModelMethod && primal.ReturnType == ValueType.Tensor ? Fresh(OutputWeightsParameter, taken) : null;
        if (weights is not null) parameters = parameters.Append($"{ValueType.Tensor.CSharpName()}? {Id(weights)} = null");
        var of = primal.ReturnType == ValueType.Tensor ? $"the sum of {primal.Name}" : primal.Name;
        writer.Line($"/// <summary>");
        writer.Line($"/// The Hessian of {of} times a direction v, by reverse mode over its generated tangent (∇ₓ⟨∇{primal.Name}(x), v⟩ = H·v): writes H·v to");
        writer.Line($"/// {string.Join(", ", wrt.Select(t => products[t.Parameter]))} and the gradient to {string.Join(", ", wrt.Select(t => gradients[t.Parameter]))} on the way, and returns the directional derivative ∇{primal.Name}·v.");
        writer.Line($"/// </summary>");
        writer.Line($"/// <remarks>");
        writer.Line($"/// Reverse over forward, rather than forward over reverse: the tangent is plain code the reverse-mode generator");
        writer.Line($"/// already differentiates (loops, branches, calls, tensors), so the product needs no second transform, keeps no");
        writer.Line($"/// tape of tangents, and costs one tangent sweep plus its reverse — a small multiple of one gradient.");
        writer.Line($"/// </remarks>");
        foreach (var t in wrt)
            writer.Line($"/// <param name=\"{directions[t.Parameter]}\">The direction's component for {Reference(primal, t.Parameter)}: {TangentShape(t)}.</param>");
        if (weights is not null) writer.Line(OutputWeightsDoc(weights, primal.Name));
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Line($"{primal.Accessibility} {Static(primal)}{returnType} {primal.Name}{HessianVectorProductSuffix}({string.Join(", ", parameters)})");
        writer.OpenBrace();
        WriteTangentChecks(writer, wrt.Select(t => (t, directions[t.Parameter])));

        var arguments = primal.Parameters.Select(p => Id(p.Name)).ToList();
        foreach (var t in function.Tangents)
        {
            arguments.Add(t.IsWrt ? Id(directions[t.Parameter]) : t.Type switch
            {
                ValueType.Tensor => $"global::TorchSharp.torch.zeros_like({Id(t.Parameter)})",
                ValueType.DoubleArray or ValueType.FloatArray => $"new {t.Type.ElementType().CSharpName()}[{Id(t.Parameter)}.Length]",
                _ => FunctionEmitter.Literal(0, t.Type),
            });
        }

        arguments.Add(weights is not null ? Id(weights) : primal.ReturnType == ValueType.Tensor ? "null" : FunctionEmitter.Literal(1, primal.ReturnType));

        // The pullback's adjoints follow the JVP's parameters: the primal ones (whose adjoint is H·v), then the tangents (∇F).
        var tangentOf = function.Tangents.ToDictionary(t => t.Tangent);
        var primalOf = function.Tangents.ToDictionary(t => t.Parameter);
        foreach (var adjoint in reverse.Adjoints)
        {
            TangentParameter t;
            string? output = null;
            if (tangentOf.TryGetValue(adjoint.Parameter, out var asTangent))
            {
                t = asTangent;
                if (t.IsWrt) output = gradients[t.Parameter];
            }
            else
            {
                t = primalOf[adjoint.Parameter];
                if (t.IsWrt) output = products[t.Parameter];
            }

            if (output is not null && adjoint.Type.IsArray())
            {
                writer.Line($"global::System.Array.Clear({Id(output)}, 0, {Id(output)}.Length);");
                arguments.Add(Id(output));
            }
            else if (output is not null)
            {
                writer.Line($"{Id(output)} = {(adjoint.Type == ValueType.Tensor ? "null" : "0")};");
                arguments.Add("ref " + Id(output));
            }
            else if (adjoint.Type.IsArray())
            {
                arguments.Add($"new {adjoint.Type.ElementType().CSharpName()}[{Id(t.Parameter)}.Length]");
            }
            else
            {
                var unused = Fresh("_unused_" + adjoint.Parameter, taken);
                writer.Line($"{FunctionEmitter.Nullable(adjoint.Type)} {unused} = {(adjoint.Type == ValueType.Tensor ? "null" : "0")};");
                arguments.Add("ref " + unused);
            }
        }

        writer.Line($"return {reverse.Primal.Name}{PullbackSuffix}({string.Join(", ", arguments)});");
        writer.CloseBrace();
    }

    // ---- full Jacobians and Hessians, for inputs small enough to form them ----

    /// <summary>A tensor result and only tensors to differentiate with respect to: the Jacobians are tensors too.</summary>
    static bool HasJacobian(TangentFunctionSpec function)
        => !function.Primal.IsModelMethod && function.Primal.ReturnType == ValueType.Tensor && function.Tangents.Any(t => t.IsWrt) && function.Tangents.Where(t => t.IsWrt).All(t => t.Type == ValueType.Tensor);

    /// <summary>One input to differentiate with respect to, a tensor or a double array: its Hessian is one tensor or one matrix.</summary>
    static bool HasHessian(TangentFunctionSpec function)
        => !function.Primal.IsModelMethod && function.Tangents.Count(t => t.IsWrt) is var count && count >= 1
           && (count == 1
               ? function.Tangents.Single(t => t.IsWrt).Type is ValueType.Tensor or ValueType.DoubleArray
               : function.Tangents.Where(t => t.IsWrt).All(t => t.Type == ValueType.Tensor) || function.Tangents.Where(t => t.IsWrt).All(t => t.Type == ValueType.Double));

    /// <summary>The zero a product takes for a parameter it does not move.</summary>
    static string ZeroTangent(TangentParameter t) => t.Type switch
    {
        ValueType.Tensor => $"global::TorchSharp.torch.zeros_like({Id(t.Parameter)})",
        ValueType.DoubleArray or ValueType.FloatArray => $"new {t.Type.ElementType().CSharpName()}[{Id(t.Parameter)}.Length]",
        _ => FunctionEmitter.Literal(0, t.Type),
    };

    static void WriteJacobian(SourceWriter writer, TangentFunctionSpec function)
    {
        var primal = function.Primal;
        var taken = new HashSet<string>(primal.Parameters.Select(p => p.Name));
        var wrt = function.Tangents.Where(t => t.IsWrt).ToList();
        var outputs = wrt.ToDictionary(t => t.Parameter, t => Fresh("j" + t.Parameter, taken));
        var (value, jacobians, input, direction, seed) = (Fresh("value", taken), Fresh("jacobians", taken), Fresh("input", taken), Fresh("direction", taken), Fresh("seed", taken));
        var tensor = ValueType.Tensor.CSharpName();
        var arguments = string.Join(", ", primal.Parameters.Select(p => Id(p.Name)));

        writer.Line($"/// <summary>");
        writer.Line($"/// {primal.Name} and its Jacobians with respect to {string.Join(", ", wrt.Select(t => t.Parameter))}, each shaped as the result followed by the input, for inputs");
        writer.Line($"/// small enough to form them: by columns ({function.Jvp.Name}, one per input element) when the inputs have no more");
        writer.Line($"/// elements than the result, by rows ({primal.Name}{PullbackSuffix}, one per result element) otherwise.");
        writer.Line($"/// </summary>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Line($"{primal.Accessibility} static {tensor} {primal.Name}Jacobian({string.Join(", ", PrimalParameters(primal).Concat(wrt.Select(t => $"out {tensor} {Id(outputs[t.Parameter])}")))})");
        writer.OpenBrace();
        writer.Line($"var {value} = {primal.Name}({arguments});");
        writer.Line($"var {jacobians} = {JacobiansType}.FromProducts({value}, new[] {{ {string.Join(", ", wrt.Select(t => Id(t.Parameter)))} }},");
        writer.Line($"    ({input}, {direction}) => {input} switch");
        writer.Line("    {");
        for (var i = 0; i < wrt.Count; i++)
        {
            var tangents = function.Tangents.Select(t => t.Parameter == wrt[i].Parameter ? direction : ZeroTangent(t));
            writer.Line($"        {(i == wrt.Count - 1 ? "_" : i.ToString(System.Globalization.CultureInfo.InvariantCulture))} => {function.Jvp.Name}({arguments}, {string.Join(", ", tangents)}),");
        }

        writer.Line("    },");
        writer.Line($"    {seed} =>");
        writer.Line("    {");
        var adjoints = new List<string>();
        foreach (var t in function.Tangents)
        {
            if (t.Type.IsArray())
            {
                adjoints.Add(ZeroTangent(t));
                continue;
            }

            var adjoint = Fresh("a" + t.Parameter, taken);
            writer.Line($"        {FunctionEmitter.Nullable(t.Type)} {adjoint} = {(t.Type == ValueType.Tensor ? "null" : "0")};");
            adjoints.Add("ref " + adjoint);
        }

        writer.Line($"        {primal.Name}{PullbackSuffix}({arguments}, {seed}, {string.Join(", ", adjoints)});");
        var rows = wrt.Select(t => $"{adjoints[function.Tangents.ToList().IndexOf(t)].Substring("ref ".Length)} ?? global::TorchSharp.torch.zeros_like({Id(t.Parameter)})");
        writer.Line($"        return new[] {{ {string.Join(", ", rows)} }};");
        writer.Line("    });");
        for (var i = 0; i < wrt.Count; i++)
            writer.Line($"{Id(outputs[wrt[i].Parameter])} = {jacobians}[{i}];");
        writer.Line($"return {value};");
        writer.CloseBrace();
    }

    static void WriteHessian(SourceWriter writer, TangentFunctionSpec function)
    {
        var primal = function.Primal;
        var taken = new HashSet<string>(primal.Parameters.Select(p => p.Name));
        if (function.Tangents.Count(t => t.IsWrt) > 1)
        {
            if (function.Tangents.Where(t => t.IsWrt).All(t => t.Type == ValueType.Double)) WriteScalarsHessian(writer, function, taken);
            else WriteJointHessian(writer, function, taken);
            return;
        }

        var wrt = function.Tangents.Single(t => t.IsWrt);
        var x = Id(wrt.Parameter);
        var arguments = string.Join(", ", primal.Parameters.Select(p => Id(p.Name)));
        var (direction, product, gradient, hessian) = (Fresh("direction", taken), Fresh("product", taken), Fresh("gradient", taken), Fresh("hessian", taken));
        var hvp = primal.Name + HessianVectorProductSuffix;
        var of = primal.ReturnType == ValueType.Tensor ? $"the sum of {primal.Name}" : primal.Name;

        writer.Line($"/// <summary>The Hessian of {of} with respect to {wrt.Parameter}, by columns: one {hvp} per element of {wrt.Parameter}, for inputs small enough to form it.</summary>");
        if (wrt.Type == ValueType.Tensor)
        {
            writer.Line(GeneratedFile.GeneratedCodeAttribute);
            var tensor = ValueType.Tensor.CSharpName();
            writer.Line($"{primal.Accessibility} static {tensor} {primal.Name}Hessian({string.Join(", ", PrimalParameters(primal))})");
            writer.OpenBrace();
            writer.Line($"return {JacobiansType}.Hessian({x}, {direction} =>");
            writer.Line("{");
            writer.Line($"    {hvp}({arguments}, {direction}, out _, out var {product});");
            writer.Line($"    return {product} ?? global::TorchSharp.torch.zeros_like({x});");
            writer.Line("});");
            writer.CloseBrace();
            return;
        }

        writer.Line($"/// <param name=\"{hessian}\">Receives the Hessian; must be {wrt.Parameter}.Length × {wrt.Parameter}.Length.</param>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Line($"{primal.Accessibility} static void {primal.Name}Hessian({string.Join(", ", PrimalParameters(primal).Append($"double[,] {Id(hessian)}"))})");
        writer.OpenBrace();
        writer.Line($"var {gradient} = new double[{x}.Length];");
        writer.Line($"{JacobiansType}.Hessian({x}.Length, ({direction}, {product}) => {hvp}({arguments}, {direction}, {gradient}, {product}), {Id(hessian)});");
        writer.CloseBrace();
    }

    /// <summary>The Hessian over several <c>double</c> inputs: an n × n array, one Hessian–vector product per input.</summary>
    static void WriteScalarsHessian(SourceWriter writer, TangentFunctionSpec function, HashSet<string> taken)
    {
        var primal = function.Primal;
        var wrt = function.Tangents.Where(t => t.IsWrt).ToList();
        var arguments = string.Join(", ", primal.Parameters.Select(p => Id(p.Name)));
        var (direction, product, hessian) = (Fresh("direction", taken), Fresh("product", taken), Fresh("hessian", taken));
        var hvp = primal.Name + HessianVectorProductSuffix;

        writer.Line($"/// <summary>The Hessian of {primal.Name} with respect to {string.Join(", ", wrt.Select(t => t.Parameter))}, in that order, by columns: one {hvp} per input.</summary>");
        writer.Line($"/// <param name=\"{hessian}\">Receives the Hessian; must be {wrt.Count} × {wrt.Count}.</param>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Line($"{primal.Accessibility} static void {primal.Name}Hessian({string.Join(", ", PrimalParameters(primal).Append($"double[,] {Id(hessian)}"))})");
        writer.OpenBrace();
        var directions = string.Join(", ", wrt.Select((_, i) => $"{direction}[{i}]"));
        var outputs = string.Join(", ", wrt.Select(_ => "out _").Concat(wrt.Select((_, i) => $"out {product}[{i}]")));
        writer.Line($"{JacobiansType}.Hessian({wrt.Count}, ({direction}, {product}) => {hvp}({arguments}, {directions}, {outputs}), {Id(hessian)});");
        writer.CloseBrace();
    }

    /// <summary>The Hessian over several tensor inputs together: one N × N matrix over their elements flattened in order.</summary>
    static void WriteJointHessian(SourceWriter writer, TangentFunctionSpec function, HashSet<string> taken)
    {
        var primal = function.Primal;
        var wrt = function.Tangents.Where(t => t.IsWrt).ToList();
        var arguments = string.Join(", ", primal.Parameters.Select(p => Id(p.Name)));
        var directions = Fresh("directions", taken);
        var products = wrt.Select(t => Fresh("h" + t.Parameter, taken)).ToList();
        var names = string.Join(", ", wrt.Select(t => t.Parameter));
        var of = primal.ReturnType == ValueType.Tensor ? $"the sum of {primal.Name}" : primal.Name;
        var hvp = primal.Name + HessianVectorProductSuffix;
        var tensor = ValueType.Tensor.CSharpName();

        writer.Line($"/// <summary>");
        writer.Line($"/// The Hessian of {of} with respect to {names} together, for inputs small enough to form it: N × N over their elements");
        writer.Line($"/// flattened and concatenated in that order (N their total count), block (i, j) holding ∂²/∂xᵢ∂xⱼ. By columns: one {hvp} per element.");
        writer.Line($"/// </summary>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Line($"{primal.Accessibility} static {tensor} {primal.Name}Hessian({string.Join(", ", PrimalParameters(primal))})");
        writer.OpenBrace();
        writer.Line($"return {JacobiansType}.Hessian(new[] {{ {string.Join(", ", wrt.Select(t => Id(t.Parameter)))} }}, {directions} =>");
        writer.Line("{");
        var outputs = wrt.Select(_ => "out _").Concat(products.Select(h => $"out var {Id(h)}"));
        writer.Line($"    {hvp}({arguments}, {string.Join(", ", wrt.Select((_, i) => $"{directions}[{i}]"))}, {string.Join(", ", outputs)});");
        writer.Line($"    return new[] {{ {string.Join(", ", wrt.Select((t, i) => $"{Id(products[i])} ?? global::TorchSharp.torch.zeros_like({Id(t.Parameter)})"))} }};");
        writer.Line("});");
        writer.CloseBrace();
    }

    static string Fresh(string preferred, HashSet<string> taken)
    {
        var name = preferred;
        for (var i = 1; !taken.Add(name); i++) name = preferred + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return name;
    }

    // ---- the tangent's body ----

    static void WriteBlock(SourceWriter writer, Block block)
    {
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case IfStatement branch:
                    writer.Line($"if ({FunctionEmitter.Operand(branch.Condition)})");
                    writer.OpenBrace();
                    WriteBlock(writer, branch.Then);
                    writer.CloseBrace();
                    if (branch.Else.Statements.Count > 0)
                    {
                        writer.Line("else");
                        writer.OpenBrace();
                        WriteBlock(writer, branch.Else);
                        writer.CloseBrace();
                    }

                    break;
                case LoopStatement loop:
                    writer.Line("// " + loop.Source);
                    writer.Line("while (true)");
                    writer.OpenBrace();
                    WriteBlock(writer, loop.Header);
                    writer.Line($"if (!{FunctionEmitter.Operand(loop.Condition)}) break;");
                    WriteBlock(writer, loop.Body);
                    WriteBlock(writer, loop.Step);
                    writer.CloseBrace();
                    break;
                case ReturnStatement:
                    break;
                case TangentCallStatement call:
                    var receiver = call.Field is null ? call.ContainingType : FunctionEmitter.Assigned("this", call.Field);
                    var arguments = call.Arguments.Select(FunctionEmitter.Operand).Append("out " + Id(call.Tangent));
                    writer.Line($"{Id(call.Value)} = {receiver}.{call.Method}{TangentSuffix}({string.Join(", ", arguments)});");
                    break;
                case Assignment { Value: ModelCall call }:
                    throw new System.InvalidOperationException($"the call of the model field '{call.Field}' lost its tangent");
                default:
                    // The tangent of a model method is a method of the model itself: a frozen call reads this.field.
                    FunctionEmitter.WriteStatement(writer, statement, new FunctionEmitter.Scope(System.Array.Empty<string>()) { Owner = "this" });
                    break;
            }
        }
    }
}
