using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR;
using Leibniz.Generators.IR.Functions;
using Leibniz.Generators.Rules;
using Microsoft.CodeAnalysis.CSharp;
using ValueType = Leibniz.Generators.IR.Functions.ValueType;

namespace Leibniz.Generators.Emit;

/// <summary>
/// Writes <c>FWithGradient</c> and <c>FPullback</c> for each differentiable function of a type:
/// one statement per IR statement, named after the source, each adjoint block under a comment
/// naming the statement it differentiates.
/// </summary>
internal static class FunctionEmitter
{
    const string TapeType = "global::Leibniz.Generated.Tape";
    const string ValidationType = "global::Leibniz.Generated.Validation";
    const string AdjointsType = "global::Leibniz.Generated.Adjoints";
    const string GradientAccumulationType = "global::Leibniz.Generated.GradientAccumulation";
    const string HigherOrderBackwardType = "global::Leibniz.Generated.HigherOrderBackward";
    const string SweepLifetimeType = "global::Leibniz.Generated.SweepLifetime";
    const string BroadcastingType = "global::Leibniz.Generated.Broadcasting";
    const string WithGradientSuffix = "WithGradient";
    const string PullbackSuffix = DerivativeMethodNames.PullbackSuffix;
    const string SeedParameter = "seed";

    public static string Emit(TypeHierarchy hierarchy, IEnumerable<ReverseFunctionSpec> functions)
    {
        var writer = new SourceWriter();
        GeneratedFile.OpenHierarchy(writer, hierarchy, baseList: null);
        var first = true;
        foreach (var function in functions)
        {
            if (!first) writer.Line();
            first = false;
            if (function.Primal.IsModelMethod)
            {
                WriteModelMethod(writer, function, hierarchy.Type.NameWithTypeParameters);
                continue;
            }

            WriteWithGradient(writer, function);
            writer.Line();
            WritePullback(writer, function);
        }

        GeneratedFile.CloseHierarchy(writer, hierarchy);
        return writer.ToString();
    }

    static void WriteWithGradient(SourceWriter writer, ReverseFunctionSpec function)
    {
        var primal = function.Primal;
        var returnType = primal.ReturnType.CSharpName();
        var wrt = function.Adjoints.Where(a => a.IsWrt).ToList();
        var outputs = wrt.Select(a => a.Type.IsArray() ? $"{a.Type.CSharpName()} {Id(a.OutputName)}" : $"out {Nullable(a.Type)} {Id(a.OutputName)}");
        var signature = string.Join(", ", primal.Parameters.Select(p => $"{p.Type.CSharpName()} {Id(p.Name)}").Concat(outputs));

        writer.Line($"/// <summary>{primal.Name} and its gradient by reverse mode: returns the value and writes ∂{primal.Name}/∂{string.Join(", ∂", wrt.Select(a => a.Parameter))}.</summary>");
        foreach (var array in wrt.Where(a => a.Type.IsArray()))
            writer.Line($"/// <param name=\"{array.OutputName}\">Receives ∂{primal.Name}/∂{array.Parameter}; must have the length of <paramref name=\"{array.Parameter}\"/>.</param>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Line($"{primal.Accessibility} static {returnType} {primal.Name}{WithGradientSuffix}({signature})");
        writer.OpenBrace();

        var scope = new Scope(primal.Parameters.Select(p => p.Name).Concat(wrt.Select(a => a.OutputName)));
        foreach (var parameter in primal.Parameters.Where(p => p.Type.IsArray()))
            writer.Line($"{ValidationType}.Array({Id(parameter.Name)}, nameof({Id(parameter.Name)}), \"{primal.Name}\");");
        foreach (var array in wrt.Where(a => a.Type.IsArray()))
            writer.Line($"{ValidationType}.Buffer({Id(array.OutputName)}, {Id(array.Parameter)}, nameof({Id(array.OutputName)}), \"{array.Parameter}\");");

        var arguments = new List<string>();
        foreach (var parameter in primal.Parameters) arguments.Add(Id(parameter.Name));
        arguments.Add(primal.ReturnType == ValueType.Tensor ? "null" : Literal(1, primal.ReturnType));
        foreach (var adjoint in function.Adjoints)
        {
            if (adjoint.IsWrt && adjoint.Type.IsArray())
            {
                writer.Line($"global::System.Array.Clear({Id(adjoint.OutputName)}, 0, {Id(adjoint.OutputName)}.Length);");
                arguments.Add(Id(adjoint.OutputName));
            }
            else if (adjoint.IsWrt)
            {
                writer.Line($"{Id(adjoint.OutputName)} = {(adjoint.Type == ValueType.Tensor ? "null" : "0")};");
                arguments.Add("ref " + Id(adjoint.OutputName));
            }
            else if (adjoint.Type.IsArray())
            {
                arguments.Add($"new {adjoint.Type.ElementType().CSharpName()}[{Id(adjoint.Parameter)}.Length]");
            }
            else
            {
                var unused = scope.Fresh("_unused_" + adjoint.Parameter);
                writer.Line($"{Nullable(adjoint.Type)} {unused} = {(adjoint.Type == ValueType.Tensor ? "null" : "0")};");
                arguments.Add("ref " + unused);
            }
        }

        writer.Line($"return {primal.Name}{PullbackSuffix}({string.Join(", ", arguments)});");
        writer.CloseBrace();
    }

    const string AggressiveInliningAttribute =
        "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]";

    static bool IsScalarOnly(FunctionSpec primal) =>
        primal.ReturnType != ValueType.Tensor
        && primal.Parameters.All(p => p.Type != ValueType.Tensor)
        && primal.Locals.All(l => l.Type != ValueType.Tensor);

    internal static void WritePullback(SourceWriter writer, ReverseFunctionSpec function, string? summary = null)
    {
        var primal = function.Primal;
        var returnType = primal.ReturnType.CSharpName();
        var adjoints = function.Adjoints.Select(a => a.Type.IsArray() ? $"{a.Type.CSharpName()} {Id(a.OutputName)}" : $"ref {Nullable(a.Type)} {Id(a.OutputName)}");
        var seedType = primal.ReturnType == ValueType.Tensor ? returnType + "?" : returnType;
        var scope = new Scope(primal.Parameters.Select(p => p.Name)
            .Concat(function.Adjoints.Select(a => a.OutputName))
            .Concat(primal.Locals.Select(l => l.Name))
            .Concat(function.SweepLocals.Select(l => l.Name)));
        var seed = scope.Fresh(SeedParameter);
        var signature = string.Join(", ", primal.Parameters.Select(p => $"{p.Type.CSharpName()} {Id(p.Name)}").Append($"{seedType} {seed}").Concat(adjoints));

        writer.Line(summary is null
            ? $"/// <summary>Runs {primal.Name}, then adds <paramref name=\"{seed}\"/> times its derivative to each input's adjoint; returns {primal.Name}'s value. Other generated derivatives call it when they call {primal.Name}.</summary>"
            : $"/// <summary>{summary}</summary>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        // Scalar code only: inlined into WithGradient, whose seed is the constant 1, the JIT folds every
        // multiplication by the seed out of the sweep (a fifth of Rosenbrock's gradient). A tensor sweep's
        // time is in its kernels, and inlining it would only grow its callers.
        if (IsScalarOnly(primal))
            writer.Line(AggressiveInliningAttribute);
        writer.Line($"{primal.Accessibility} static {returnType} {primal.Name}{PullbackSuffix}({signature})");
        writer.OpenBrace();

        // Bad arguments are reported here, in managed code: a libtorch error inside an autograd callback ends the process.
        var firstTensor = primal.Parameters.FirstOrDefault(p => p.Type == ValueType.Tensor);
        foreach (var parameter in primal.Parameters)
        {
            if (parameter.Type.IsArray())
                writer.Line($"{ValidationType}.Array({Id(parameter.Name)}, nameof({Id(parameter.Name)}), \"{primal.Name}\");");
            else if (parameter.Type == ValueType.Tensor)
                writer.Line(parameter == firstTensor
                    ? $"{ValidationType}.Tensor({Id(parameter.Name)}, nameof({Id(parameter.Name)}), \"{primal.Name}\");"
                    : $"{ValidationType}.Tensor({Id(parameter.Name)}, nameof({Id(parameter.Name)}), \"{primal.Name}\", {Id(firstTensor!.Name)}, \"{firstTensor.Name}\");");
        }
        foreach (var adjoint in function.Adjoints)
        {
            if (adjoint.Type.IsArray())
                writer.Line($"{ValidationType}.Buffer({Id(adjoint.OutputName)}, {Id(adjoint.Parameter)}, nameof({Id(adjoint.OutputName)}), \"{adjoint.Parameter}\");");
            else if (adjoint.Type == ValueType.Tensor)
                writer.Line($"{ValidationType}.Adjoint({Id(adjoint.OutputName)}, {Id(adjoint.Parameter)}, nameof({Id(adjoint.OutputName)}), \"{adjoint.Parameter}\");");
        }

        foreach (var local in primal.Locals)
            writer.Line($"{local.Type.CSharpName()} {Id(local.Name)} = {Default(local.Type)};");
        foreach (var local in function.SweepLocals)
            writer.Line(local.Type == ValueType.Tensor ? $"{local.Type.CSharpName()}? {Id(local.Name)} = null;" : $"{local.Type.CSharpName()} {Id(local.Name)} = {Default(local.Type)};");
        foreach (var tape in TapesUsed(function))
            writer.Line($"var {scope.Tape(tape)} = {TapeType}<{tape.CSharpName()}>.Current;");

        writer.Line();
        if (function.SeedsBeforeForward)
        {
            writer.Line($"{function.ResultAdjoint} = {seed};");
            writer.Line("// Forward sweep, each loop iteration's reverse run inside it: nothing after the loop changes the adjoint it receives.");
        }
        else
        {
            writer.Line("// Forward sweep: the function, keeping what the reverse sweep reads.");
        }

        WriteBlock(writer, function.Forward, scope);
        writer.Line();
        var hasReverse = !function.SeedsBeforeForward || function.Reverse.Statements.Count > 0;
        if (hasReverse)
            writer.Line("// Reverse sweep: adjoints from the result back to the inputs.");
        var resultName = Id(((Variable)primal.Body.Statements.OfType<ReturnStatement>().Single().Value).Name);
        if (primal.ReturnType == ValueType.Tensor)
            writer.Line($"{ValidationType}.Seed({seed}, {resultName}, nameof({seed}), \"{primal.Name}\");");
        if (!function.SeedsBeforeForward)
        {
            writer.Line(primal.ReturnType == ValueType.Tensor
                ? $"{function.ResultAdjoint} = {seed} ?? global::TorchSharp.torch.ones_like({resultName});"
                : $"{function.ResultAdjoint} = {seed};");
        }

        WriteBlock(writer, function.Reverse, scope);
        if (hasReverse) writer.Line();
        foreach (var adjoint in function.Adjoints.Where(a => a.LocalAdjoint is not null))
        {
            writer.Line(adjoint.Type == ValueType.Tensor
                ? $"if ({adjoint.LocalAdjoint} is not null) {Id(adjoint.OutputName)} = {AdjointsType}.Add({Id(adjoint.OutputName)}, {adjoint.LocalAdjoint});"
                : $"{Id(adjoint.OutputName)} += {adjoint.LocalAdjoint};");
        }

        writer.Line($"return {resultName};");
        writer.CloseBrace();
    }

    /// <summary>
    /// A <c>[Model]</c> method: a sweep class that runs the forward pass keeping what the backward needs
    /// (<c>ForwardWithPullback</c>, tape-free), and a <c>torch.autograd.Function</c> whose backward is the
    /// generated reverse sweep, so <c>loss.backward()</c> and any optimizer work through it.
    /// </summary>
    static void WriteModelMethod(SourceWriter writer, ReverseFunctionSpec function, string modelType)
    {
        var primal = function.Primal;
        var name = primal.Name;
        var sweep = name + "Sweep";
        var autogradFunction = name + "Function";
        var inputs = new ModelInputs(primal);
        var fields = primal.Parameters.Where(p => p.IsField).ToList();
        var tensor = ValueType.Tensor.CSharpName();
        var resultName = Id(((Variable)primal.Body.Statements.OfType<ReturnStatement>().Single().Value).Name);
        var gradients = primal.Parameters.Select(p => (Parameter: p, Adjoint: function.Adjoints.FirstOrDefault(a => a.Parameter == p.Name))).ToList();
        var models = primal.ModelFields;
        // C# has no tuple of one element: a model that reads no field (nor another model) returns its input's gradient alone.
        var single = gradients.Count + models.Count == 1;
        var tupleType = single ? tensor + "?" : "(" + string.Join(", ", gradients.Select(g => $"{tensor}? {Id(g.Parameter.Name)}").Concat(models.Select(m => $"{ModelGradientsType} {Id(m.Name)}"))) + ")";
        string Pulled(string local, string name) => single ? local : $"{local}.{Id(name)}";
        var flagParameter = WithPullbackFlag(inputs.Name);
        var applied = new Scope(new[] { inputs.Name }).Fresh("arguments");
        var reassigned = new HashSet<string>(function.ReassignedInputs);

        // The sweep class holds the input, the fields and the locals under the user's names; what it adds is named around them.
        var scope = new Scope(primal.Parameters.Select(p => p.Name)
            .Concat(primal.Locals.Select(l => l.Name))
            .Concat(function.SweepLocals.Select(l => l.Name))
            .Concat(ModelCalls(function.Forward).Select(c => c.Sweep))
            .Concat(models.Select(m => m.Gradients))
            .Concat(GeneratedNames.SweepApi)
            .Concat(new[] { sweep, autogradFunction }));
        scope.Owner = scope.Fresh(OwnerField);
        scope.InputGradient = scope.Fresh(InputGradientFlag);
        scope.LearningRate = scope.Fresh(LearningRateParameter);
        // An input the body reassigns is a working variable of the sweeps; the call's input is kept apart, for reruns.
        var originals = inputs.Parameters
            .Select(p => reassigned.Contains(p.Name) ? scope.Fresh(inputs.IsTuple ? "_" + p.Name : OriginalInputField) : Id(p.Name))
            .ToList();
        var restoreInputs = scope.Fresh("RestoreInputs");
        var released = scope.Fresh("released");
        var saved = scope.Fresh("saved");
        var pulledBack = scope.Fresh("pulledBack");
        var reverseSweepRan = scope.Fresh("ReverseSweepRan");
        var again = scope.Fresh("Again");
        var onTheTape = scope.Fresh("GradientsOnTheTape");
        var ownerProperty = scope.Fresh("Owner");
        var beginReverseSweep = scope.Fresh("BeginReverseSweep");
        var seed = scope.Fresh(SeedParameter);
        var modelParameter = scope.Fresh("model");
        var noGrad = scope.Fresh("noGrad");
        var noGradAfter = scope.Fresh("noGradAfter");
        var gradientsLocal = scope.Fresh("gradients");
        var pulled = scope.Fresh("pulled");
        var outputGradient = scope.Fresh("outputGradient");
        var flag = scope.InputGradient;
        var owner = scope.Owner;
        var learningRate = scope.LearningRate;

        writer.Line($"/// <summary>Runs {name} and keeps what its generated backward reads; <c>Pullback</c> on the result gives the gradients without TorchSharp's tape.</summary>");
        var (inputDoc, tensorsOf) = inputs.IsTuple ? ("The inputs, one tensor per element.", "an element of ") : ("The input.", "");
        writer.Line($"/// <param name=\"{inputs.Name}\">{inputDoc}</param>");
        writer.Line($"/// <param name=\"{flagParameter}\">Whether the pullback computes the input's gradient too (the parameters' always); without it the last layer's input product is skipped.</param>");
        writer.Line($"/// <exception cref=\"global::System.ArgumentException\">{tensorsOf}<paramref name=\"{inputs.Name}\"/> is null (<see cref=\"global::System.ArgumentNullException\"/>) or on another device than the parameters.</exception>");
        writer.Line($"/// <exception cref=\"global::System.ObjectDisposedException\">{tensorsOf}<paramref name=\"{inputs.Name}\"/> was disposed.</exception>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Line($"public {sweep} {name}WithPullback({inputs.Declaration}, bool {flagParameter} = true)");
        writer.OpenBrace();
        var inputChecks = InputChecks(inputs, name, fields);
        foreach (var check in inputChecks) writer.Line(check);
        var elements = Enumerable.Range(0, inputs.Parameters.Count).Select(inputs.ElementOf).ToList();
        writer.Line($"return new {sweep}(this, {string.Join(", ", elements)}, {flagParameter});");
        writer.CloseBrace();
        writer.Line();

        writer.Line($"/// <summary>{name} through the generated backward when autograd records, so <c>backward()</c> runs generated code; plain {name} otherwise.</summary>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        // Forward's overrides ModelModule's, which stands in when Forward is refused (so no missing-name error joins the diagnostic).
        writer.Line($"{(name == "Forward" ? "protected override " : "")}{tensor} {name}ThroughGeneratedBackward({inputs.Declaration})");
        writer.OpenBrace();
        var requiresGrad = string.Join(" || ", elements.Concat(fields.Where(f => f.HasAdjoint).Select(f => "this." + Id(f.Name))).Select(t => t + ".requires_grad"));
        writer.Line("RegisterComponents();");
        foreach (var check in inputChecks) writer.Line(check);
        var applyArguments = string.Join(", ", new[] { "this" }.Concat(elements).Concat(fields.Select(f => "this." + Id(f.Name))));
        if (models.Count == 0)
        {
            writer.Line($"if (!global::TorchSharp.torch.is_grad_enabled() || !({requiresGrad})) return {name}({Id(inputs.Name)});");
            writer.Line($"return {autogradFunction}.apply({applyArguments});");
        }
        else
        {
            var called = string.Join(", ", models.Select(m => "this." + Id(m.Name)));
            writer.Line($"if (!global::TorchSharp.torch.is_grad_enabled()) return {name}({Id(inputs.Name)});");
            writer.Line("// Autograd routes gradients only to apply's arguments: the called models' parameters go after this model's. Forward hooks");
            writer.Line("// run only in call(x), which a sweep skips: with any inside, autograd records the plain Forward, which runs them.");
            writer.Line($"var {applied} = {ComposedArgumentsType}.ForApply(new object[] {{ {applyArguments} }}, {requiresGrad}, {called});");
            writer.Line($"return {applied} is null ? {name}({Id(inputs.Name)}) : {autogradFunction}.apply({applied});");
        }
        writer.CloseBrace();
        writer.Line();

        var parameterCount = gradients.Count(g => g.Parameter.IsField && g.Adjoint is not null) + models.Count;
        if (name == ForwardMethod && parameterCount > 0 && function.Descent is not null) WriteTrainStep(writer, inputs);

        writer.Line($"/// <summary>The recorded forward pass of {name}: its output, and a pullback that runs once.</summary>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Line($"public sealed class {sweep}");
        writer.OpenBrace();
        foreach (var parameter in primal.Parameters)
            // An input is rebound to autograd's own handle when the caller's is disposed before backward().
            writer.Line(!parameter.IsField
                ? $"{parameter.Type.CSharpName()} {Id(parameter.Name)};"
                : $"readonly {parameter.Type.CSharpName()} {Id(parameter.Name)};");
        foreach (var original in originals.Where((_, i) => reassigned.Contains(inputs.Parameters[i].Name)))
            writer.Line($"{tensor} {original};");
        foreach (var local in primal.Locals)
            writer.Line($"{local.Type.CSharpName()} {Id(local.Name)} = {Default(local.Type)};");
        // An input's adjoint no derivative reaches (token indices read by index_select) is returned as the null it starts as.
        var returnedAdjoints = new HashSet<string>(function.Adjoints.Select(a => a.LocalAdjoint).OfType<string>());
        foreach (var local in function.SweepLocals)
            writer.Line(local.Type == ValueType.Tensor
                ? returnedAdjoints.Contains(local.Name) ? $"{tensor}? {Id(local.Name)} = null;" : $"{tensor}? {Id(local.Name)};"
                : $"{local.Type.CSharpName()} {Id(local.Name)};");
        foreach (var tape in TapesUsed(function))
            writer.Line($"readonly {TapeType}<{tape.CSharpName()}> {scope.Tape(tape)} = new();");
        foreach (var call in ModelCalls(function.Forward))
            writer.Line($"{(call.IsTorchModule ? ModuleSweepType : call.ModelType + "." + ForwardMethod + "Sweep")} {call.Sweep} = null!;");
        foreach (var model in models)
            writer.Line($"readonly {ModelGradientsType} {model.Gradients} = new();");
        writer.Line($"readonly {modelType} {owner};");
        writer.Line($"readonly bool {flag};");
        writer.Line($"bool {pulledBack};");
        writer.Line();

        // The constructor's parameter would shadow a reassigned input's field in the forward sweep below.
        writer.Line($"internal {sweep}({modelType} {modelParameter}, {string.Join(", ", originals.Select(o => $"{tensor} {o}"))}, bool {flag})");
        writer.OpenBrace();
        for (var i = 0; i < originals.Count; i++)
        {
            if (reassigned.Contains(inputs.Parameters[i].Name)) writer.Line($"this.{originals[i]} = {originals[i]};");
            writer.Line($"this.{Id(inputs.Parameters[i].Name)} = {originals[i]};");
        }
        writer.Line($"{owner} = {modelParameter};");
        writer.Line($"this.{flag} = {flag};");
        foreach (var field in fields)
            writer.Line($"{Id(field.Name)} = {modelParameter}.{Id(field.Name)};");
        writer.Line();
        writer.Line("// Forward sweep: the function, keeping what the reverse sweep reads — off TorchSharp's tape, which it replaces.");
        writer.Line($"using var {noGrad} = global::TorchSharp.torch.no_grad();");
        WriteBlock(writer, function.Forward, scope);
        writer.CloseBrace();
        writer.Line();

        writer.Line($"/// <summary>{name}'s output.</summary>");
        writer.Line($"public {tensor} Output => {resultName};");
        writer.Line();
        writer.Line($"/// <summary>The gradients of ⟨<paramref name=\"{seed}\"/>, {name}⟩ (of the sum of the output when <paramref name=\"{seed}\"/> is null) with respect to the input and each parameter; null where none flows.</summary>");
        writer.Line($"/// <exception cref=\"global::System.InvalidOperationException\">The pullback already ran: it consumes what the forward pass kept.</exception>");
        writer.Line($"public {tupleType} Pullback({tensor}? {seed} = null)");
        writer.OpenBrace();
        writer.Line($"{beginReverseSweep}({seed});");
        writer.Line($"using var {noGrad} = global::TorchSharp.torch.no_grad();");
        writer.Line();
        writer.Line("// Reverse sweep: adjoints from the result back to the inputs.");
        writer.Line($"{function.ResultAdjoint} = {seed} ?? global::TorchSharp.torch.ones_like({resultName});");
        // A reassigned input's adjoint is formed unguarded (see InputGradientGuardStatement); only returning it depends on the flag.
        var returnedInputAdjoints = inputs.Parameters.ToDictionary(p => p.Name, p =>
            function.Adjoints.FirstOrDefault(a => a.Parameter == p.Name)?.LocalAdjoint is { } adjoint && reassigned.Contains(p.Name) ? $"({flag} ? {adjoint} : null)"
            : function.Adjoints.FirstOrDefault(a => a.Parameter == p.Name)?.LocalAdjoint);
        WriteBlock(writer, function.Reverse, scope);
        writer.Line("return (" + string.Join(", ", gradients.Select(g => (g.Parameter.IsField ? g.Adjoint?.LocalAdjoint : returnedInputAdjoints[g.Parameter.Name]) ?? "null").Concat(models.Select(m => m.Gradients))) + ");");
        writer.CloseBrace();

        string InputGradients(string pulledGradients) => inputs.Pack(inputs.Parameters.Select(p => Pulled(pulledGradients, p.Name)));

        WritePullbackInto(writer, name, inputs, InputGradients, gradients.Where(g => g.Parameter.IsField && g.Adjoint is not null).Select(g => g.Parameter.Name), models, seed, gradientsLocal, pulled);

        var parameterGradients = gradients.Where(g => g.Parameter.IsField && g.Adjoint is not null).ToList();
        if (parameterGradients.Count > 0 || models.Count > 0)
        {
            writer.Line();
            writer.Line($"/// <summary>");
            writer.Line($"/// The reverse sweep as <c>loss.backward()</c> would run it: each parameter's gradient of ⟨<paramref name=\"{seed}\"/>, {name}⟩");
            writer.Line($"/// is accumulated into its <c>.grad</c>, where any TorchSharp optimizer reads it — without TorchSharp's tape or");
            writer.Line($"/// <c>autograd.Function</c> bridge. The seed is the loss's gradient with respect to <see cref=\"Output\"/>.");
            writer.Line($"/// </summary>");
            writer.Line($"/// <returns>{inputs.GradientPhrase} when this sweep computes it, else null.</returns>");
            writer.Line($"/// <exception cref=\"global::System.InvalidOperationException\">The reverse sweep already ran: it consumes what the forward pass kept.</exception>");
            writer.Line($"public {inputs.GradientType} Backward({tensor}? {seed} = null)");
            writer.OpenBrace();
            writer.Line($"var {gradientsLocal} = Pullback({seed});");
            foreach (var g in parameterGradients)
                writer.Line($"{GradientAccumulationType}.Accumulate({Id(g.Parameter.Name)}, {gradientsLocal}.{Id(g.Parameter.Name)});");
            foreach (var model in models)
                writer.Line($"{gradientsLocal}.{Id(model.Name)}.Accumulate();");
            writer.Line($"return {InputGradients(gradientsLocal)};");
            writer.CloseBrace();
        }

        if (function.Descent is { } descent)
        {
            writer.Line();
            writer.Line($"/// <summary>");
            writer.Line($"/// The reverse sweep as one step of plain gradient descent, in place: every parameter p ← p − <paramref name=\"{learningRate}\"/>·∂p,");
            writer.Line($"/// for the gradient of ⟨<paramref name=\"{seed}\"/>, {name}⟩. Where a rule has an in-place form (a linear layer's weight: one");
            writer.Line($"/// <c>addmm_</c>) the update is folded into the backward and that gradient is never materialised.");
            writer.Line($"/// </summary>");
            writer.Line($"/// <returns>{inputs.GradientPhrase} when this sweep computes it, else null.</returns>");
            writer.Line($"/// <exception cref=\"global::System.InvalidOperationException\">The reverse sweep already ran: it consumes what the forward pass kept.</exception>");
            writer.Line($"public {inputs.GradientType} Descend({tensor}? {seed}, double {learningRate})");
            writer.OpenBrace();
            if (ModelPullbacks(descent.Reverse).Any(p => p.Descends) && models.Count > 1)
            {
                // Two fields holding one model: its updates inside the sweep would change weights the other call's pullback still reads.
                writer.Line($"if ({ComposedArgumentsType}.ShareAModel({string.Join(", ", models.Select(m => $"{owner}.{Id(m.Name)}"))}))");
                writer.OpenBrace();
                writer.Line($"var {gradientsLocal} = Pullback({seed});");
                writer.Line($"using var {noGradAfter} = global::TorchSharp.torch.no_grad();");
                foreach (var g in parameterGradients)
                    writer.Line($"if ({gradientsLocal}.{Id(g.Parameter.Name)} is not null) {Id(g.Parameter.Name)}.add_({gradientsLocal}.{Id(g.Parameter.Name)}, alpha: -{learningRate});");
                foreach (var model in models)
                    writer.Line($"{gradientsLocal}.{Id(model.Name)}.Descend({learningRate});");
                writer.Line($"return {InputGradients(gradientsLocal)};");
                writer.CloseBrace();
                writer.Line();
            }

            writer.Line($"{beginReverseSweep}({seed});");
            writer.Line("// Parameters are leaves that require grad: updating them in place must not be recorded.");
            writer.Line($"using var {noGrad} = global::TorchSharp.torch.no_grad();");
            writer.Line();
            writer.Line("// Reverse sweep, each parameter updated where its gradient is formed.");
            writer.Line($"{function.ResultAdjoint} = {seed} ?? global::TorchSharp.torch.ones_like({resultName});");
            WriteBlock(writer, descent.Reverse, scope);
            foreach (var adjoint in descent.UpdatedAfter)
                writer.Line($"if ({adjoint.LocalAdjoint} is not null) {Id(adjoint.Parameter)}.add_({adjoint.LocalAdjoint}, alpha: -{learningRate});");
            foreach (var gathered in ModelPullbacks(descent.Reverse).Where(p => !p.Descends).Select(p => p.Gradients).Distinct())
                writer.Line($"{gathered}.Descend({learningRate});");
            writer.Line($"return {inputs.Pack(inputs.Parameters.Select(p => returnedInputAdjoints[p.Name] ?? "null"))};");
            writer.CloseBrace();
        }

        writer.Line();
        writer.Line($"internal bool {reverseSweepRan} => {pulledBack};");
        writer.Line();
        writer.Line($"internal {sweep} {again}() => new {sweep}({owner}, {string.Join(", ", originals)}, {flag});");
        writer.Line();
        writer.Line($"internal global::System.Collections.Generic.List<{tensor}> {onTheTape}({tensor} {outputGradient})");
        var tapeInputs = string.Join(", ", originals.Concat(fields.Select(f => Id(f.Name))));
        var rerun = $"{owner}.{name}({inputs.Pack(originals)})";
        writer.Line(models.Count == 0
            ? $"    => {HigherOrderBackwardType}.Gradients(() => {rerun}, {outputGradient}, {tapeInputs});"
            : $"    => {HigherOrderBackwardType}.Gradients(() => {rerun}, {outputGradient}, {ComposedArgumentsType}.Tensors(new[] {{ {tapeInputs} }}, {string.Join(", ", models.Select(m => owner + "." + Id(m.Name)))}));");
        if (models.Count > 0)
        {
            writer.Line();
            writer.Line($"internal {modelType} {ownerProperty} => {owner};");
        }
        var intermediates = new[] { resultName }.Concat(primal.Locals.Where(l => l.Type == ValueType.Tensor).Select(l => Id(l.Name))).Distinct().ToList();
        intermediates.AddRange(inputs.Parameters.Where(p => reassigned.Contains(p.Name)).Select(p => Id(p.Name)));
        var shared = originals.Concat(fields.Select(f => Id(f.Name))).ToList();
        var nestedSweeps = ModelCalls(function.Forward).Select(c => c.Sweep).Distinct().ToList();
        writer.Line();
        writer.Line("/// <summary>Takes what the reverse sweep reads out of the dispose scope that ran the forward pass: autograd may run the backward after it ended.</summary>");
        writer.Line("internal void KeepAlive()");
        writer.OpenBrace();
        writer.Line($"{SweepLifetimeType}.Detach(new[] {{ {string.Join(", ", intermediates)} }}, {string.Join(", ", shared)});");
        if (TapesUsed(function).Contains(ValueType.Tensor))
            writer.Line($"{SweepLifetimeType}.Detach({scope.Tape(ValueType.Tensor)});");
        foreach (var nested in nestedSweeps)
            writer.Line($"{nested}?.KeepAlive();");
        writer.CloseBrace();
        writer.Line();
        writer.Line("/// <summary>Where the caller's handle on an input was disposed (its dispose scope ended before backward()), reads autograd's saved one instead.</summary>");
        writer.Line("internal bool InputReleased => " + string.Join(" || ", originals.Select(o => $"{o}.IsInvalid").Concat(nestedSweeps.Select(n => $"{n}?.InputReleased == true"))) + ";");
        writer.Line();
        writer.Line($"/// <summary>Points every disposed handle on an input at the same tensor as autograd saved it, <paramref name=\"{saved}\"/> holding the inputs in order.</summary>");
        writer.Line($"internal void {restoreInputs}(global::System.Collections.Generic.IList<{tensor}> {saved})");
        writer.OpenBrace();
        for (var i = 0; i < originals.Count; i++)
            writer.Line($"if ({originals[i]}.IsInvalid) RestoreInput({originals[i]}, {saved}[{i}]);");
        writer.CloseBrace();
        writer.Line();
        writer.Line($"/// <summary>Points every handle of this sweep and the sweeps it ran that is <paramref name=\"{released}\"/>, a disposed input, at <paramref name=\"{saved}\"/>.</summary>");
        writer.Line($"internal void RestoreInput({tensor} {released}, {tensor} {saved})");
        writer.OpenBrace();
        for (var i = 0; i < originals.Count; i++)
        {
            writer.Line($"if (global::System.Object.ReferenceEquals({originals[i]}, {released})) {originals[i]} = {saved};");
            if (reassigned.Contains(inputs.Parameters[i].Name))
                writer.Line($"if (global::System.Object.ReferenceEquals({Id(inputs.Parameters[i].Name)}, {released})) {Id(inputs.Parameters[i].Name)} = {saved};");
        }
        // A local may name the input too (var h = x); the saved handle replaces it there as well.
        foreach (var copy in function.CopiedLocals)
            writer.Line($"if (global::System.Object.ReferenceEquals({Id(copy)}, {released})) {Id(copy)} = {saved};");
        foreach (var nested in nestedSweeps)
            writer.Line($"{nested}?.RestoreInput({released}, {saved});");
        writer.CloseBrace();
        writer.Line();
        // Autograd hands the caller its own handle on the output, so the sweep's may go too.
        writer.Line("/// <summary>Disposes what the forward pass kept, once autograd's backward has run the reverse sweep; the input and the parameters stay.</summary>");
        writer.Line("internal void ReleaseIntermediates()");
        writer.OpenBrace();
        writer.Line($"{SweepLifetimeType}.Release(new[] {{ {string.Join(", ", intermediates)} }}, {string.Join(", ", shared)});");
        foreach (var nested in nestedSweeps)
            writer.Line($"{nested}?.ReleaseIntermediates();");
        writer.CloseBrace();
        writer.Line();
        writer.Line($"void {beginReverseSweep}({tensor}? {seed})");
        writer.OpenBrace();
        writer.Line($"if ({pulledBack})");
        writer.Line($"    throw new global::System.InvalidOperationException(\"The reverse sweep of {name} already ran; it consumes what the forward pass kept. Call {name}WithPullback again for another one.\");");
        writer.Line($"{ValidationType}.Kept(\"{name}\", {string.Join(", ", shared.Concat(intermediates).Distinct().Select(t => $"(\"{t.TrimStart('@')}\", {t})"))});");
        writer.Line($"{ValidationType}.Seed({seed}, {resultName}, nameof({seed}), \"{name}\");");
        writer.Line($"{pulledBack} = true;");
        writer.CloseBrace();
        writer.CloseBrace();
        writer.Line();

        writer.Line($"/// <summary>Connects {name}'s generated backward to TorchSharp's autograd.</summary>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Line($"sealed class {autogradFunction} : global::TorchSharp.torch.autograd.SingleTensorFunction<{autogradFunction}>");
        writer.OpenBrace();
        writer.Line("const string SweepKey = \"sweep\";");
        writer.Line("const string ArgumentCountKey = \"arguments\";");
        writer.Line();
        writer.Line($"public override string Name => \"{modelType}.{name}\";");
        writer.Line();
        writer.Line($"public override {tensor} forward(global::TorchSharp.torch.autograd.AutogradContext ctx, params object[] vars)");
        writer.OpenBrace();
        var inputLocals = inputs.IsTuple ? inputs.Parameters.Select((_, i) => "input" + (i + 1).ToString(CultureInfo.InvariantCulture)).ToList() : new List<string> { "input" };
        for (var i = 0; i < inputLocals.Count; i++)
            writer.Line($"var {inputLocals[i]} = ({tensor})vars[{i + 1}];");
        writer.Line(inputs.IsTuple ? "// Autograd asks for the inputs' gradients only when an input requires one." : "// Autograd asks for the input's gradient only when the input requires one.");
        writer.Line($"var sweep = (({modelType})vars[0]).{name}WithPullback({inputs.Pack(inputLocals)}, {string.Join(" || ", inputLocals.Select(i => i + ".requires_grad"))});");
        writer.Line("// The forward may run in a dispose scope that ends before backward(): the sweep keeps what it reads, as autograd's graph would.");
        writer.Line("sweep.KeepAlive();");
        writer.Line($"ctx.save_for_backward(new global::System.Collections.Generic.List<global::TorchSharp.torch.Tensor> {{ {string.Join(", ", inputLocals)} }});");
        writer.Line("ctx.save_data(SweepKey, sweep);");
        writer.Line("ctx.save_data(ArgumentCountKey, vars.Length);");
        writer.Line("return sweep.Output;");
        writer.CloseBrace();
        writer.Line();
        writer.Line($"public override global::System.Collections.Generic.List<{tensor}> backward(global::TorchSharp.torch.autograd.AutogradContext ctx, {tensor} grad_output)");
        writer.OpenBrace();
        writer.Line("try");
        writer.OpenBrace();
        writer.Line("return Backward(ctx, grad_output);");
        writer.CloseBrace();
        writer.Line("catch (global::System.Exception failure)");
        writer.OpenBrace();
        writer.Line("// libtorch called this: an exception cannot unwind through it and would end the process. Autograd is");
        writer.Line("// stopped with an error of its own instead, which reaches the caller of backward() as an exception.");
        writer.Line($"return global::Leibniz.Generated.BackwardFailure.Signal(failure, \"{modelType}.{name}\", (int)ctx.get_data(ArgumentCountKey));");
        writer.CloseBrace();
        writer.CloseBrace();
        writer.Line();
        writer.Line($"static global::System.Collections.Generic.List<{tensor}> Backward(global::TorchSharp.torch.autograd.AutogradContext ctx, {tensor} grad_output)");
        writer.OpenBrace();
        writer.Line($"var sweep = ({sweep})ctx.get_data(SweepKey);");
        writer.Line($"if (sweep.InputReleased) sweep.{restoreInputs}(ctx.get_saved_variables());");
        writer.Line("// create_graph: the backward must itself be differentiable, which the tape-free reverse sweep is not.");
        writer.Line($"if (global::TorchSharp.torch.is_grad_enabled()) return sweep.{onTheTape}(grad_output);");
        writer.Line("// retain_graph: autograd may run this backward again; the sweep then runs the forward again first.");
        writer.Line($"if (sweep.{reverseSweepRan}) sweep = sweep.{again}();");
        writer.Line("// What the reverse sweep makes besides the gradients goes when it is done, not when the finalizer runs: autograd");
        writer.Line("// may run this outside the dispose scope of the step, and large buffers left to the collector are costly to remake.");
        writer.Line("using var scope = global::TorchSharp.torch.NewDisposeScope();");
        writer.Line("var gradients = sweep.Pullback(grad_output);");
        writer.Line("sweep.ReleaseIntermediates();");
        writer.Line(inputs.IsTuple ? "// One entry per argument of apply: none for the model, then the inputs and the parameters." : "// One entry per argument of apply: none for the model, then the input and the parameters.");
        var listed = $"new global::System.Collections.Generic.List<{tensor}> {{ null!, {string.Join(", ", gradients.Select(g => Pulled("gradients", g.Parameter.Name) + "!"))} }}";
        if (models.Count == 0)
        {
            writer.Line($"return {SweepLifetimeType}.Keep({listed});");
        }
        else
        {
            writer.Line($"var result = {listed};");
            writer.Line("// Then the called models' parameters, as apply received them.");
            foreach (var model in models)
                writer.Line($"result.AddRange(gradients.{Id(model.Name)}.InOrderOf(sweep.{ownerProperty}.{Id(model.Name)}));");
            writer.Line($"return {SweepLifetimeType}.Keep(result);");
        }
        writer.CloseBrace();
        writer.CloseBrace();
    }

    /// <summary>
    /// <c>TrainStep</c>: one training step with the model off TorchSharp's tape — Forward's sweep, the loss on the tape over
    /// the output alone, the generated backward into each parameter's <c>.grad</c>, the optimizer's step.
    /// </summary>
    static void WriteTrainStep(SourceWriter writer, ModelInputs inputs)
    {
        var tensor = ValueType.Tensor.CSharpName();
        var taken = new Scope(new[] { inputs.Name });
        var (target, loss, optimizer, sweep, seed, value) = (taken.Fresh("target"), taken.Fresh("loss"), taken.Fresh("optimizer"), taken.Fresh("sweep"), taken.Fresh("seed"), taken.Fresh("value"));
        var learningRate = taken.Fresh(LearningRateParameter);

        // The two overloads differ in their summary, their last parameter and how the parameters move.
        void Write(string[] summary, string lastType, string last, string lastDoc, string[] before, string[] after)
        {
            writer.Line("/// <summary>");
            foreach (var line in summary) writer.Line("/// " + line);
            writer.Line("/// </summary>");
            writer.Line($"/// <param name=\"{inputs.Name}\">{(inputs.IsTuple ? "The inputs, one tensor per element." : "The input.")}</param>");
            writer.Line($"/// <param name=\"{target}\">What <paramref name=\"{loss}\"/> compares the output with.</param>");
            writer.Line($"/// <param name=\"{loss}\">A scalar loss of the output and the target, such as <c>(output, target) =&gt; nn.functional.cross_entropy(output, target)</c>.</param>");
            writer.Line($"/// <param name=\"{last}\">{lastDoc}</param>");
            writer.Line("/// <returns>The loss before the step.</returns>");
            writer.Line($"/// <exception cref=\"global::System.ArgumentException\">An argument is null (<see cref=\"global::System.ArgumentNullException\"/>), the loss is not a scalar, or it does not read the output.</exception>");
            writer.Line(GeneratedFile.GeneratedCodeAttribute);
            writer.Line($"public double TrainStep({inputs.Declaration}, {tensor} {target}, global::System.Func<{tensor}, {tensor}, {tensor}> {loss}, {lastType} {last})");
            writer.OpenBrace();
            foreach (var line in before) writer.Line(line);
            writer.Line($"var {sweep} = {ForwardMethod}WithPullback({Id(inputs.Name)}, {WithPullbackFlag(inputs.Name)}: false);");
            writer.Line($"var {seed} = global::Leibniz.Generated.TrainingSteps.LossGradient({sweep}.Output, {target}, {loss}, out var {value}, \"TrainStep\");");
            foreach (var line in after) writer.Line(line);
            writer.Line($"return {value};");
            writer.CloseBrace();
            writer.Line();
        }

        Write(
            new[]
            {
                "One training step with the model off TorchSharp's tape: Forward's sweep, the loss over its output (on the tape, the",
                $"loss alone), the generated backward into each parameter's <c>.grad</c>, then <paramref name=\"{optimizer}\"/>'s step. The fast",
                "path for a training loop; <c>loss.backward()</c> through <c>call</c> is the one for a model inside a larger graph.",
            },
            "global::TorchSharp.torch.optim.Optimizer",
            optimizer,
            "Any TorchSharp optimizer over this model's parameters; its gradients are zeroed first.",
            new[] { $"{ValidationType}.NotNull({optimizer}, nameof({optimizer}), \"TrainStep\");", $"{optimizer}.zero_grad();" },
            new[] { $"{sweep}.Backward({seed});", $"{optimizer}.step();" });
        Write(
            new[]
            {
                "One step of plain gradient descent with the model off TorchSharp's tape: Forward's sweep, the loss over its output (on the",
                $"tape, the loss alone), then every parameter p ← p − <paramref name=\"{learningRate}\"/>·∂p, the update folded into the generated",
                "backward where a rule allows (<c>Descend</c>). The fastest step there is; use the optimizer overload for anything but plain SGD.",
            },
            "double",
            learningRate,
            "The step size.",
            System.Array.Empty<string>(),
            new[] { $"{sweep}.Descend({seed}, {learningRate});" });
    }

    const string LearningRateParameter = "learningRate";

    /// <summary>
    /// The flag parameter of <c>FWithPullback</c>: <c>inputGradient</c>, which callers pass by name, unless the input itself
    /// is called that. The Gauss–Newton product, emitted elsewhere, passes it by the same rule.
    /// </summary>
    internal static string WithPullbackFlag(string input) => new Scope(new[] { input }).Fresh(InputGradientFlag);

    /// <summary>
    /// The names a generated method or class gives what it adds (a seed, tapes, the owner, its own locals and members), each
    /// chosen against the names the user's code uses there: the name itself when free, else the first free <c>name_k</c>.
    /// </summary>
    internal sealed class Scope
    {
        readonly HashSet<string> _taken;
        readonly Dictionary<ValueType, string> _tapes = new();

        public Scope(IEnumerable<string> taken) => _taken = new HashSet<string>(taken);

        public string Owner { get; set; } = OwnerField;

        public string InputGradient { get; set; } = InputGradientFlag;

        public string LearningRate { get; set; } = LearningRateParameter;

        public string Fresh(string preferred)
        {
            var name = preferred;
            for (var i = 1; !_taken.Add(name); i++) name = preferred + "_" + i.ToString(CultureInfo.InvariantCulture);
            return name;
        }

        /// <summary>The tape of <paramref name="type"/>'s values: <c>tapeDouble</c>, named on first use.</summary>
        public string Tape(ValueType type)
        {
            if (!_tapes.TryGetValue(type, out var name)) _tapes[type] = name = Fresh("tape" + type);
            return name;
        }
    }

    /// <summary>A model method's inputs: each not null, not disposed, and on the device of the model's first parameter (else its first tensor field).</summary>
    static List<string> InputChecks(ModelInputs inputs, string method, List<ParameterSpec> fields)
    {
        var reference = fields.FirstOrDefault(f => f.Type == ValueType.Tensor && f.HasAdjoint) ?? fields.FirstOrDefault(f => f.Type == ValueType.Tensor);
        var against = reference is null ? "" : $", this.{Id(reference.Name)}, \"{reference.Name}\"";
        return Enumerable.Range(0, inputs.Parameters.Count)
            .Select(i => $"{ValidationType}.Tensor({inputs.ElementOf(i)}, {(inputs.IsTuple ? $"\"{inputs.DisplayName(i)}\"" : $"nameof({inputs.ElementOf(i)})")}, \"{method}\"{against});")
            .ToList();
    }

    const string InputGradientFlag = "inputGradient";
    const string OwnerField = "_owner";
    const string OriginalInputField = "_input";
    const string ForwardMethod = "Forward";
    const string ModelGradientsType = "global::Leibniz.ModelGradients";
    const string ComposedArgumentsType = "global::Leibniz.Generated.ComposedModelArguments";
    const string ModuleSweepType = "global::Leibniz.Generated.ModuleSweep";

    /// <summary>
    /// <c>PullbackInto</c>: the pullback as a model calling this one runs it, adding the parameters' gradients under their
    /// <c>named_parameters()</c> names, so a caller need not know this model's parameters to report them.
    /// </summary>
    static void WritePullbackInto(SourceWriter writer, string name, ModelInputs inputs, System.Func<string, string> inputGradients, IEnumerable<string> parameters, EquatableArray<ModelFieldSpec> models, string seed, string gradients, string pulled)
    {
        var tensor = ValueType.Tensor.CSharpName();
        writer.Line();
        writer.Line($"/// <summary>");
        writer.Line($"/// The pullback as a model calling {name} runs it: each parameter's gradient of ⟨<paramref name=\"{seed}\"/>, {name}⟩ is added to");
        writer.Line($"/// <paramref name=\"{gradients}\"/> under its <c>named_parameters()</c> name.");
        writer.Line($"/// </summary>");
        writer.Line($"/// <returns>{inputs.GradientPhrase} when this sweep computes it, else null.</returns>");
        writer.Line($"/// <exception cref=\"global::System.InvalidOperationException\">The reverse sweep already ran: it consumes what the forward pass kept.</exception>");
        writer.Line($"public {inputs.GradientType} PullbackInto({tensor}? {seed}, {ModelGradientsType} {gradients})");
        writer.OpenBrace();
        writer.Line($"{ValidationType}.NotNull({gradients}, nameof({gradients}), \"PullbackInto\");");
        writer.Line($"var {pulled} = Pullback({seed});");
        foreach (var parameter in parameters)
            writer.Line($"{gradients}.Add(\"{parameter}\", {Id(parameter)}, {pulled}.{Id(parameter)});");
        foreach (var model in models)
            writer.Line($"{gradients}.Add(\"{model.Name}\", {pulled}.{Id(model.Name)});");
        writer.Line($"return {inputGradients(pulled)};");
        writer.CloseBrace();
    }

    static IEnumerable<ModelCall> ModelCalls(Block block)
    {
        foreach (var statement in block.Statements)
        {
            var nested = statement switch
            {
                Assignment { Value: ModelCall call } => new[] { call },
                IfStatement i => ModelCalls(i.Then).Concat(ModelCalls(i.Else)),
                // A module called in a loop: each iteration's call is recomputed by the reverse loop, which runs its pullback.
                CountedLoopStatement l => ModelCalls(l.Header).Concat(ModelCalls(l.Body)).Concat(ModelCalls(l.Step)),
                ReverseLoopStatement l => ModelCalls(l.Body),
                _ => Enumerable.Empty<ModelCall>(),
            };
            foreach (var call in nested) yield return call;
        }
    }

    static IEnumerable<ModelPullbackStatement> ModelPullbacks(Block block)
    {
        foreach (var statement in block.Statements)
        {
            var nested = statement switch
            {
                ModelPullbackStatement p => new[] { p },
                IfStatement i => ModelPullbacks(i.Then).Concat(ModelPullbacks(i.Else)),
                WhenAdjointStatement w => ModelPullbacks(w.Body),
                ReverseLoopStatement l => ModelPullbacks(l.Body),
                _ => Enumerable.Empty<ModelPullbackStatement>(),
            };
            foreach (var p in nested) yield return p;
        }
    }

    static void WriteModelCall(SourceWriter writer, string target, ModelCall call, Scope scope)
    {
        var inputGradient = call.InputGradient switch
        {
            CalleeInputGradient.Never => "false",
            CalleeInputGradient.WhenRequested => scope.InputGradient,
            _ => "true",
        };
        if (call.IsTorchModule)
        {
            // A TorchSharp module: this one call is recorded on the tape (its hooks run, as call(x) runs them).
            writer.Line($"{call.Sweep} = {ModuleSweepType}.{(call.InLoop ? "RunInLoop" : "Run")}({scope.Owner}.{Id(call.Field)}, {Operand(call.Input)}, {inputGradient}, throughCall: {(call.ThroughCall ? "true" : "false")});");
            writer.Line($"{Id(target)} = {call.Sweep}.Output;");
            return;
        }

        if (call.ThroughCall)
            writer.Line($"{ComposedArgumentsType}.ThrowIfForwardHooks({scope.Owner}.{Id(call.Field)}, \"{call.Field}\");");
        // A field declared nullable reaches here as declared: a null one is named, not dereferenced.
        writer.Line($"{call.Sweep} = {Assigned(scope.Owner, call.Field)}.{ForwardMethod}WithPullback({Operand(call.Input)}, {inputGradient});");
        writer.Line($"{Id(target)} = {call.Sweep}.Output;");
    }

    static string ModelPullback(ModelPullbackStatement pullback, Scope scope)
    {
        var call = pullback.Descends
            ? $"{pullback.Sweep}.Descend({pullback.Seed}, {scope.LearningRate})"
            : $"{pullback.Sweep}.PullbackInto({pullback.Seed}, {pullback.Gradients})";
        if (pullback.InputAdjoint is not { } input) return call + ";";
        return pullback.Assigns ? $"{input} = {call};" : $"{input} = {AdjointsType}.Sum({input}, {call});";
    }

    static IEnumerable<ValueType> TapesUsed(ReverseFunctionSpec function)
    {
        var types = new SortedSet<ValueType>();
        Visit(function.Forward);
        Visit(function.Reverse);
        return types;

        void Visit(Block block)
        {
            foreach (var statement in block.Statements)
            {
                switch (statement)
                {
                    case SaveStatement { Slot: null } save:
                        types.Add(save.Type);
                        break;
                    case IfStatement branch:
                        Visit(branch.Then);
                        Visit(branch.Else);
                        break;
                    case CountedLoopStatement loop:
                        Visit(loop.Header);
                        Visit(loop.Body);
                        Visit(loop.Step);
                        break;
                    case LoopStatement loop:
                        Visit(loop.Header);
                        Visit(loop.Body);
                        Visit(loop.Step);
                        break;
                    case ReverseLoopStatement loop:
                        Visit(loop.Body);
                        break;
                    case WhenAdjointStatement guard:
                        Visit(guard.Body);
                        break;
                }
            }
        }
    }

    static void WriteBlock(SourceWriter writer, Block block, Scope scope)
    {
        foreach (var statement in block.Statements) WriteStatement(writer, statement, scope);
    }

    /// <summary>Writes one statement; <paramref name="scope"/> names what the generated method adds (tapes, the owner), fixed names without it.</summary>
    internal static void WriteStatement(SourceWriter writer, Statement statement, Scope? scope = null)
    {
        scope ??= new Scope(Enumerable.Empty<string>());
        switch (statement)
        {
            case Assignment { Value: ModelCall call } assignment:
                WriteModelCall(writer, assignment.Target, call, scope);
                break;
            case Assignment assignment:
                writer.Line($"{Id(assignment.Target)} = {Expression(assignment.Value, scope)};");
                break;
            case InputGradientGuardStatement guard:
                WriteGuarded(writer, scope.InputGradient, guard.Body, scope);
                break;
            case IfStatement branch:
                writer.Line($"if ({Operand(branch.Condition)})");
                writer.OpenBrace();
                WriteBlock(writer, branch.Then, scope);
                writer.CloseBrace();
                if (branch.Else.Statements.Count > 0)
                {
                    writer.Line("else");
                    writer.OpenBrace();
                    WriteBlock(writer, branch.Else, scope);
                    writer.CloseBrace();
                }

                break;
            case CountedLoopStatement loop:
                writer.Line("// " + loop.Source);
                writer.Line($"{loop.Counter} = 0;");
                writer.Line("while (true)");
                writer.OpenBrace();
                WriteBlock(writer, loop.Header, scope);
                writer.Line($"if (!{Operand(loop.Condition)}) break;");
                WriteBlock(writer, loop.Body, scope);
                WriteBlock(writer, loop.Step, scope);
                writer.Line($"{loop.Counter}++;");
                writer.CloseBrace();
                break;
            case LoopStatement loop:
                writer.Line("// " + loop.Source);
                writer.Line("while (true)");
                writer.OpenBrace();
                WriteBlock(writer, loop.Header, scope);
                writer.Line($"if (!{Operand(loop.Condition)}) break;");
                WriteBlock(writer, loop.Body, scope);
                WriteBlock(writer, loop.Step, scope);
                writer.CloseBrace();
                break;
            case ReverseLoopStatement loop:
                writer.Line("// ∂ of: " + loop.Source + " — per iteration, last first: restore what it carried in, recompute it, reverse it");
                writer.Line($"for (; {loop.Counter} > 0; {loop.Counter}--)");
                writer.OpenBrace();
                WriteBlock(writer, loop.Body, scope);
                writer.CloseBrace();
                break;
            case SaveStatement save:
                writer.Line(save.Slot is null ? $"{scope.Tape(save.Type)}.Push({Id(save.Variable)});" : $"{save.Slot} = {Id(save.Variable)};");
                break;
            case RestoreStatement restore:
                // A tensor slot is declared nullable (nothing is kept before the forward sweep runs); here it holds the saved value.
                writer.Line(restore.Slot is null ? $"{Id(restore.Variable)} = {scope.Tape(restore.Type)}.Pop();" : $"{Id(restore.Variable)} = {restore.Slot}{(restore.Type == ValueType.Tensor ? "!" : "")};");
                break;
            case InductionStatement induction:
                writer.Line($"{Id(induction.Variable)} = unchecked({induction.Entry} {InductionOffset(induction)});");
                break;
            case CommentStatement comment:
                writer.Line("// " + comment.Text.Replace('\n', ' ').Replace('\r', ' '));
                break;
            case TakeAdjointStatement take:
                writer.Line($"{take.Seed} = {take.Adjoint};");
                if (take.Clears) writer.Line($"{take.Adjoint} = {(take.Type == ValueType.Tensor ? "null" : "0")};");
                break;
            case AccumulateTensorStatement accumulate:
                writer.Line(TensorAccumulation(accumulate, scope));
                break;
            case DescentUpdateStatement update:
                writer.Line(DescentUpdate(update, scope));
                break;
            case WhenAdjointStatement guard:
                WriteGuarded(writer, $"{guard.Seed} is not null", guard.Body, scope);
                break;
            case AccumulateStatement accumulate:
                writer.Line(Accumulation(accumulate));
                break;
            case PullbackCallStatement call:
                foreach (var discarded in call.Adjoints.Where(a => a.Discarded))
                    writer.Line($"{Id(discarded.Name)} = null;");
                writer.Line(PullbackCall(call));
                break;
            case ModelPullbackStatement pullback:
                writer.Line(ModelPullback(pullback, scope));
                break;
            default:
                throw new System.InvalidOperationException($"the emitter has no form for {statement.GetType().Name}");
        }
    }

    /// <summary><c>if (condition) { body }</c>.</summary>
    static void WriteGuarded(SourceWriter writer, string condition, Block body, Scope scope)
    {
        writer.Line($"if ({condition})");
        writer.OpenBrace();
        WriteBlock(writer, body, scope);
        writer.CloseBrace();
    }

    static string Accumulation(AccumulateStatement accumulate)
    {
        var target = accumulate.Index is null ? accumulate.Adjoint : $"{accumulate.Adjoint}[{Operand(accumulate.Index)}]";
        var value = accumulate.Partial is null
            ? accumulate.Seed
            : $"{accumulate.Seed} * {Derivative(accumulate.Partial, accumulate.Arguments, accumulate.MathClass, accumulate.Type, parenthesize: true)}";
        if (accumulate.Type != accumulate.SeedType) value = $"({accumulate.Type.CSharpName()})({value})";
        if (accumulate.Assigns) return $"{target} = {(accumulate.Negate ? "-" + Parenthesized(value) : value)};";
        return $"{target} {(accumulate.Negate ? "-=" : "+=")} {value};";
    }

    static string DescentUpdate(DescentUpdateStatement update, Scope scope)
    {
        // The fused update scales by the Descend method's own learning-rate parameter, named around the user's names.
        var alpha = "-" + scope.LearningRate;
        if (update.InPlace is { } inPlace)
            return $"{inPlace.CSharp}({string.Join(", ", new[] { Id(update.Parameter) }.Concat(inPlace.Arguments.Select(Operand)).Append(alpha))});";
        return $"{Id(update.Parameter)}.add_({Expression(update.Contribution.Contribution, scope)}, alpha: {alpha});";
    }

    static string TensorAccumulation(AccumulateTensorStatement accumulate, Scope scope)
    {
        var contribution = Expression(accumulate.Contribution, scope);
        // A number's adjoint takes the contribution summed whole; an operator's result needs parentheses before .sum().
        var whole = accumulate.Contribution is TensorCall { Form: CallForm.Operator } ? "(" + contribution + ")" : contribution;
        if (accumulate.Assigns)
        {
            return accumulate.AdjointType switch
            {
                ValueType.Tensor => $"{accumulate.Adjoint} = {contribution};",
                ValueType.Float => $"{accumulate.Adjoint} = {whole}.sum().item<float>();",
                _ => $"{accumulate.Adjoint} = {whole}.sum().item<double>();",
            };
        }

        if (accumulate.AccumulatingForm is { } form)
            return $"{accumulate.Adjoint} = {form}({string.Join(", ", new[] { accumulate.Adjoint }.Concat(ExpressionOperands.Of(accumulate.Contribution).Select(Operand)))});";

        return accumulate.AdjointType switch
        {
            ValueType.Tensor => $"{accumulate.Adjoint} = {AdjointsType}.Add({accumulate.Adjoint}, {contribution});",
            ValueType.Float => $"{accumulate.Adjoint} += {whole}.sum().item<float>();",
            _ => $"{accumulate.Adjoint} += {whole}.sum().item<double>();",
        };
    }

    /// <summary>Iteration k = counter − 1 of a loop stepping by c starts at entry + k·c.</summary>
    static string InductionOffset(InductionStatement induction) => induction.Step switch
    {
        1 => $"+ {induction.Counter} - 1",
        -1 => $"- ({induction.Counter} - 1)",
        >= 0 => $"+ ({induction.Counter} - 1) * {induction.Step.ToString(CultureInfo.InvariantCulture)}",
        _ => $"- ({induction.Counter} - 1) * {(-induction.Step).ToString(CultureInfo.InvariantCulture)}",
    };

    /// <summary>A negated product needs no parentheses (<c>-r * b</c>); anything with a lower-precedence operator does.</summary>
    static string Parenthesized(string value) => value.Contains(" + ") || value.Contains(" - ") || value.Contains(" ? ") ? "(" + value + ")" : value;

    static string TensorCallText(TensorCall call)
    {
        var arguments = call.Arguments;
        var member = call.Member is null ? "" : "." + call.Member;
        switch (call.Form)
        {
            case CallForm.Operator:
                return arguments.Count == 1 ? call.Target + Operand(arguments[0]) : $"{Operand(arguments[0])} {call.Target} {Operand(arguments[1])}";
            case CallForm.Instance:
                return $"{Operand(arguments[0])}.{call.Target}({CallArguments(call, 1)}){member}";
            default:
                return $"{call.Target}({CallArguments(call, 0)}){member}";
        }
    }

    /// <summary>Arguments from <paramref name="first"/> on: positional until the first default kept, named after it.</summary>
    static string CallArguments(TensorCall call, int first)
    {
        var parts = new List<string>();
        var named = false;
        var aligned = call.Arguments.Count == call.ParameterNames.Count;
        for (var i = first; i < call.Arguments.Count; i++)
        {
            if (call.Arguments[i] is OmittedArgument)
            {
                named = aligned;
                continue;
            }

            if (call.Packs.FirstOrDefault(p => p.First == i) is { } pack)
            {
                // A params list stays a list unless an earlier default forces names, which take the array.
                var text = pack.Render(j => Operand(call.Arguments[j]), asArray: !pack.Params || named);
                parts.Add(named ? $"{call.ParameterNames[i]}: {text}" : text);
                i += pack.Count - 1;
                continue;
            }

            parts.Add(named ? $"{call.ParameterNames[i]}: {Operand(call.Arguments[i])}" : Operand(call.Arguments[i]));
        }

        return string.Join(", ", parts);
    }

    /// <summary>A model field the generated code calls, checked: a field declared nullable reaches here as declared.</summary>
    internal static string Assigned(string owner, string field) => $"{ValidationType}.Assigned({owner}.{Id(field)}, \"{field}\")";

    internal static string Nullable(ValueType type) => type == ValueType.Tensor ? type.CSharpName() + "?" : type.CSharpName();

    static string PullbackCall(PullbackCallStatement call)
    {
        var arguments = call.Arguments.Select(Operand).ToList();
        arguments.Add(call.Seed);
        for (var i = 0; i < call.Adjoints.Count; i++)
        {
            var adjoint = call.Adjoints[i];
            if (adjoint.Name.Length == 0) continue;
            if (adjoint.Scratch is { } element) arguments.Add($"new {element.CSharpName()}[{Id(adjoint.Name)}.Length]");
            else arguments.Add(adjoint.IsArray ? Id(adjoint.Name) : "ref " + Id(adjoint.Name));
        }

        return $"{call.Pullback}({string.Join(", ", arguments)});";
    }

    static string Expression(Expression expression, Scope scope) => expression switch
    {
        CopyExpression e => Operand(e.Value),
        UnaryExpression { Operator: UnaryOperator.Negate } e => "-" + Operand(e.Operand),
        UnaryExpression e => "!" + Operand(e.Operand),
        BinaryExpression e => $"{Operand(e.Left)} {Symbol(e.Operator)} {Operand(e.Right)}",
        PrimitiveCall e => $"global::System.{e.Function}({string.Join(", ", e.Arguments.Select(Operand))})",
        DifferentiableCall e => $"{e.ContainingType}.{e.Method}({string.Join(", ", e.Arguments.Select(Operand))})",
        OpaqueCall e => $"{e.CSharp}({string.Join(", ", e.Arguments.Select(Operand))})",
        ElementExpression e => $"{Id(e.Array)}[{Operand(e.Index)}]",
        LengthExpression e => $"{Id(e.Array)}.Length",
        ConditionalExpression e => $"{Operand(e.Condition)} ? {Operand(e.WhenTrue)} : {Operand(e.WhenFalse)}",
        ConvertExpression e => $"({e.Target.CSharpName()}){Operand(e.Value)}",
        TensorCall e => TensorCallText(e),
        FrozenModelCall e => $"{Assigned(scope.Owner, e.Field)}.{e.Method}({Operand(e.Input)})",
        ModelJacobianVectorProduct e => $"{Assigned(scope.Owner, e.Field)}.{ForwardMethod}{DerivativeMethodNames.JacobianVectorProductSuffix}({Operand(e.Input)}, {Operand(e.InputTangent)}, {Operand(e.Directions)})",
        _ => throw new System.InvalidOperationException($"the emitter has no form for {expression.GetType().Name}"),
    };

    static string Symbol(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        BinaryOperator.Remainder => "%",
        BinaryOperator.Less => "<",
        BinaryOperator.LessOrEqual => "<=",
        BinaryOperator.Greater => ">",
        BinaryOperator.GreaterOrEqual => ">=",
        BinaryOperator.Equal => "==",
        BinaryOperator.NotEqual => "!=",
        BinaryOperator.And => "&&",
        _ => "||",
    };

    static string Derivative(DerivativeExpression expression, EquatableArray<Operand> arguments, string mathClass, ValueType type, bool parenthesize)
    {
        string Inner(DerivativeExpression inner) => Derivative(inner, arguments, mathClass, type, parenthesize: true);

        var text = expression switch
        {
            Argument a => Operand(arguments[a.Index]),
            Number n => Literal(n.Value, type.ElementType()),
            MathCall c => $"global::System.{mathClass}.{c.Function}({string.Join(", ", c.Arguments.Select(x => Derivative(x, arguments, mathClass, type, parenthesize: false)))})",
            Operation o => $"{Inner(o.Left)} {o.Operator} {Inner(o.Right)}",
            Negation n => "-" + Inner(n.Operand),
            Piecewise p => $"{Inner(p.Left)} {p.Operator} {Inner(p.Right)} ? {Inner(p.WhenTrue)} : {Inner(p.WhenFalse)}",
            _ => throw new System.InvalidOperationException($"the emitter has no form for {expression.GetType().Name}"),
        };
        return parenthesize && expression is Operation or Negation or Piecewise ? "(" + text + ")" : text;
    }

    internal static string Operand(Operand operand) => operand switch
    {
        Variable v => Id(v.Name),
        Literal l => Literal(l.Value, l.Type),
        CodeLiteral c => c.CSharp,
        OmittedArgument { Default: { } value } => Operand(value),
        _ => throw new System.InvalidOperationException($"the emitter has no form for {operand.GetType().Name}"),
    };

    internal static string Literal(double value, ValueType type)
    {
        // A constant C# folded to a non-finite value (0.25 / (double)(2 - 2)) has no literal spelling.
        if (type is ValueType.Double or ValueType.Float && (double.IsNaN(value) || double.IsInfinity(value)))
        {
            var owner = type == ValueType.Float ? "float" : "double";
            return double.IsNaN(value) ? owner + ".NaN" : value > 0 ? owner + ".PositiveInfinity" : owner + ".NegativeInfinity";
        }

        var text = type switch
        {
            ValueType.Bool => value != 0 ? "true" : "false",
            ValueType.Int => ((int)value).ToString(CultureInfo.InvariantCulture),
            ValueType.Long => ((long)value).ToString(CultureInfo.InvariantCulture) + "L",
            ValueType.Float => ((float)value).ToString("R", CultureInfo.InvariantCulture) + "f",
            _ => DoubleText(value),
        };
        // The sign bit, not value < 0: −0.0 prints as "-0.0", and a negation in front of it would read as "--".
        return System.BitConverter.DoubleToInt64Bits(value) < 0 ? "(" + text + ")" : text;
    }

    static string DoubleText(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains(".") || text.Contains("E") || text.Contains("N") || text.Contains("I") ? text : text + ".0";
    }

    internal static string Default(ValueType type) => type switch
    {
        ValueType.Bool => "false",
        ValueType.DoubleArray or ValueType.FloatArray or ValueType.Tensor or ValueType.Device => "null!",
        ValueType.ScalarType => "default",
        _ => "0",
    };

    internal static string Id(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
