using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR;
using Leibniz.Generators.IR.Functions;

namespace Leibniz.Generators.Emit;

/// <summary>
/// Writes an implicit layer's members from its <see cref="ImplicitLayerSpec"/>: <c>Apply</c> (the solution, on autograd's
/// tape through the implicit function theorem), <c>ApplyPullback</c> and <c>ApplyPullbackAt</c> (reverse mode, which
/// other generated sweeps call), and, when the condition has forward mode, <c>ApplyJacobianVectorProduct</c> and
/// <c>ApplyTangent</c>. Every derivative is written in terms of the condition's generated pullback, Jacobian–vector
/// product or Hessian–vector product; the linear algebra is the runtime's.
/// </summary>
internal static class ImplicitLayerEmitter
{
    const string Tensor = "global::TorchSharp.torch.Tensor";
    const string Layers = "global::Leibniz.Generated.ImplicitLayers";
    const string SolverKinds = "global::Leibniz.LinearSystems.LinearSolverKind";
    const string Torch = "global::TorchSharp.torch";

    /// <param name="spec">The layer.</param>
    /// <param name="hasForward">Whether the condition's forward mode was generated (its JVP; for an objective, its H·v).</param>
    public static string Emit(ImplicitLayerSpec spec, bool hasForward)
    {
        var writer = new SourceWriter();
        GeneratedFile.OpenHierarchy(writer, spec.Hierarchy, null);
        var layer = new Layer(spec, hasForward);
        layer.WriteApply(writer);
        writer.Line();
        layer.WritePullback(writer);
        writer.Line();
        layer.WritePullbackAt(writer);
        if (layer.HasTangents)
        {
            writer.Line();
            layer.WriteJacobianVectorProduct(writer);
            writer.Line();
            layer.WriteTangent(writer);
        }

        GeneratedFile.CloseHierarchy(writer, spec.Hierarchy);
        return writer.ToString();
    }

    /// <summary>One layer's names: its parameters', and fresh ones for the locals the generated members declare.</summary>
    sealed class Layer
    {
        readonly ImplicitLayerSpec _spec;
        readonly bool _hasForward;
        readonly HashSet<string> _taken;
        readonly List<LayerParameter> _differentiated;
        readonly string _name;

        public Layer(ImplicitLayerSpec spec, bool hasForward)
        {
            _spec = spec;
            _hasForward = hasForward;
            // The generated locals and local functions must not hide a parameter, nor the solver or condition they call.
            _taken = new HashSet<string>(spec.Parameters.Select(p => p.Name).Concat(new[] { spec.Solver, spec.Condition }));
            _differentiated = spec.Parameters.Where(p => p.HasAdjoint).ToList();
            _name = spec.Hierarchy.Type.NameWithTypeParameters;
            Solution = Fresh("solution");
            Seed = Fresh("seed");
            Direction = Fresh("v");
            Adjoint = Fresh("u");
            Point = Fresh("x");
            Tangent = Fresh("tangent");
            Adjoints = _differentiated.ToDictionary(p => p.Name, p => Fresh("d" + p.Name));
            // A tangent parameter is named as the adjoint of the same input is in the pullbacks: dX for X.
            Tangents = Adjoints;
            Zeros = _differentiated.ToDictionary(p => p.Name, p => Fresh("zero" + Capitalized(p.Name)));
            Discarded = _differentiated.ToDictionary(p => p.Name, p => Fresh("unused" + Capitalized(p.Name)));
            SolutionAdjoint = Fresh("dSolution");
            OperatorAdjoint = Fresh("dx");
            Product = Fresh("hvSolution");
            Products = _differentiated.ToDictionary(p => p.Name, p => Fresh("hv" + Capitalized(p.Name)));
            RightHandSide = Fresh("rightHandSide");
            TransposedJacobianName = Fresh("TransposedJacobian");
            JacobianName = Fresh("Jacobian");
            GradientName = Fresh("Gradient");
        }

        string GradientName { get; }

        string RightHandSide { get; }

        string TransposedJacobianName { get; }

        string JacobianName { get; }

        string OperatorAdjoint { get; }

        string Product { get; }

        Dictionary<string, string> Products { get; }

        string Solution { get; }

        string Seed { get; }

        string Direction { get; }

        string Adjoint { get; }

        string Point { get; }

        string Tangent { get; }

        string SolutionAdjoint { get; }

        Dictionary<string, string> Adjoints { get; }

        Dictionary<string, string> Tangents { get; }

        Dictionary<string, string> Zeros { get; }

        Dictionary<string, string> Discarded { get; }

        public bool HasTangents => _hasForward && _differentiated.Count > 0 && !_spec.IsUnrolled;

        bool IsObjective => _spec.Kind == ImplicitConditionKind.Objective;

        bool IsFixedPoint => _spec.Kind == ImplicitConditionKind.FixedPoint;

        string Arguments => string.Join(", ", _spec.Parameters.Select(p => Id(p.Name)));

        string Parameters => string.Join(", ", _spec.Parameters.Select(p => $"{p.Type} {Id(p.Name)}"));

        string RefAdjointParameters => string.Concat(_differentiated.Select(p => $", ref {Tensor}? {Id(Adjoints[p.Name])}"));

        string RefAdjointArguments => string.Concat(_differentiated.Select(p => $", ref {Id(Adjoints[p.Name])}"));

        string Condition => _spec.Condition;

        string Quoted => "\"" + _name + "\"";

        public void WriteApply(SourceWriter writer)
        {
            writer.Line("/// <summary>");
            writer.Line($"/// The solution of <see cref=\"{_spec.Solver}\"/>, checked against <see cref=\"{Condition}\"/> and differentiable: when autograd records");
            writer.Line("/// and an argument requires a gradient, the solution is one node on the tape whose backward is");
            writer.Line($"/// <see cref=\"{DerivativeMethodNames.ApplyPullbackAt}\"/> — the implicit function theorem, not a differentiation of the solver.");
            writer.Line("/// </summary>");
            writer.Line($"/// <exception cref=\"global::Leibniz.Implicit.ImplicitLayerException\">The solver returned no usable tensor, or a point where the condition's residual is above the layer's ResidualTolerance.</exception>");
            writer.Line(GeneratedFile.GeneratedCodeAttribute);
            writer.Line($"{_spec.Accessibility} static {Tensor} {DerivativeMethodNames.Apply}({Parameters})");
            writer.OpenBrace();
            if (_spec.IsUnrolled)
            {
                writer.Line("// Unrolled: the solver runs on the tape as the caller has it, and autograd differentiates its iterations.");
                WriteSolve(writer, onTape: true);
                writer.Line($"return {Id(Solution)};");
                writer.CloseBrace();
                return;
            }

            WriteSolve(writer);
            if (_differentiated.Count == 0)
            {
                writer.Line("// Every argument is data: there is nothing to differentiate.");
                writer.Line($"return {Id(Solution)};");
                writer.CloseBrace();
                return;
            }

            var inputs = string.Join(", ", _differentiated.Select(p => Id(p.Name)));
            writer.Line($"if (!{Layers}.NeedsGradient({inputs})) return {Id(Solution)};");
            writer.Line($"return {Layers}.Attach({Id(Solution)}, {Quoted}, {Id(Seed)} =>");
            writer.OpenBrace();
            writer.Line($"{Tensor}? {string.Join(" = null, ", _differentiated.Select(p => Id(Adjoints[p.Name])))} = null;");
            writer.Line($"{DerivativeMethodNames.ApplyPullbackAt}({Arguments}, {Id(Solution)}, {Id(Seed)}{RefAdjointArguments});");
            writer.Line($"return new {Tensor}?[] {{ {string.Join(", ", _differentiated.Select(p => Id(Adjoints[p.Name])))} }};");
            writer.CloseBrace($", {inputs});");
            writer.CloseBrace();
        }

        public void WritePullback(SourceWriter writer)
        {
            writer.Line($"/// <summary>Solves, then adds <paramref name=\"{Seed}\"/> times the solution's derivative to each argument's adjoint; returns the solution. Other generated derivatives call it when they call <see cref=\"{DerivativeMethodNames.Apply}\"/>.</summary>");
            writer.Line(GeneratedFile.GeneratedCodeAttribute);
            writer.Line($"{_spec.Accessibility} static {Tensor} {DerivativeMethodNames.Apply}{DerivativeMethodNames.PullbackSuffix}({Parameters}, {Tensor}? {Id(Seed)}{RefAdjointParameters})");
            writer.OpenBrace();
            WriteSolve(writer);
            writer.Line($"{DerivativeMethodNames.ApplyPullbackAt}({Arguments}, {Id(Solution)}, {Id(Seed)}{RefAdjointArguments});");
            writer.Line($"return {Id(Solution)};");
            writer.CloseBrace();
        }

        public void WritePullbackAt(SourceWriter writer)
        {
            writer.Line("/// <summary>");
            if (_spec.IsUnrolled)
            {
                writer.Line($"/// Adds <paramref name=\"{Seed}\"/> times the derivative of the solution to each argument's adjoint, through the solver's iterations:");
                writer.Line($"/// the layer is unrolled, so <see cref=\"{_spec.Solver}\"/> runs again on TorchSharp's tape and <paramref name=\"{Solution}\"/> is only checked.");
            }
            else
            {
                writer.Line($"/// Adds <paramref name=\"{Seed}\"/> times the derivative of the solution <paramref name=\"{Solution}\"/> to each argument's adjoint, by the");
                writer.Line($"/// implicit function theorem: u solves (∂F/∂x)ᵀu = {Seed} matrix-free ({_spec.LinearSolver}{(_spec.IsTruncated ? ", stopped after at most " + _spec.MaxIterations.ToString(CultureInfo.InvariantCulture) + " iterations whether or not it converged" : "")}), and −(∂F/∂θ)ᵀu is each");
                writer.Line($"/// argument's share, for {ConditionText()}.");
            }

            writer.Line("/// </summary>");
            writer.Line("/// <exception cref=\"global::Leibniz.Implicit.ImplicitLayerException\">The linear system did not converge: the gradient is refused rather than biased.</exception>");
            writer.Line(GeneratedFile.GeneratedCodeAttribute);
            writer.Line($"{_spec.Accessibility} static void {DerivativeMethodNames.ApplyPullbackAt}({Parameters}, {Tensor} {Id(Solution)}, {Tensor}? {Id(Seed)}{RefAdjointParameters})");
            writer.OpenBrace();
            writer.Line($"global::Leibniz.Generated.Validation.Tensor({Id(Solution)}, nameof({Id(Solution)}), {Quoted});");
            if (_differentiated.Count == 0)
            {
                writer.Line($"global::Leibniz.Generated.Validation.Seed({Id(Seed)}, {Id(Solution)}, nameof({Id(Seed)}), {Quoted});");
                writer.CloseBrace();
                return;
            }

            if (_spec.IsUnrolled)
            {
                WriteUnrolledPullback(writer);
                writer.CloseBrace();
                return;
            }

            WriteZeros(writer);
            var (transposed, jacobian) = WriteOperators(writer);
            writer.Line($"var {Id(Adjoint)} = {Layers}.SolveAdjoint({Id(Solution)}, {Id(Seed)}, {Quoted}, {transposed}, {jacobian ?? "null"}, {Options});");
            if (IsObjective)
            {
                writer.Line($"// −(∂∇ₓf/∂θ)ᵀu is −∇²_θₓf·u: the parameters' part of one Hessian–vector product along (u, 0).");
                writer.Line($"{Condition}{DerivativeMethodNames.HessianVectorProductSuffix}({Id(Solution)}, {Arguments}, {Id(Adjoint)}{ZeroArguments}{Outputs(solution: null, products: Products)});");
                foreach (var p in _differentiated)
                    writer.Line($"{Id(Adjoints[p.Name])} = {Layers}.Subtract({Id(Adjoints[p.Name])}, {Id(Products[p.Name])});");
            }
            else
            {
                writer.Line(IsFixedPoint
                    ? "// (∂T/∂θ)ᵀu: the map's pullback with the seed u, for F = x − T."
                    : "// −(∂F/∂θ)ᵀu: the condition's pullback with the seed −u.");
                writer.Line($"{Tensor}? {Id(SolutionAdjoint)} = null;");
                writer.Line($"{Condition}{DerivativeMethodNames.PullbackSuffix}({Id(Solution)}, {Arguments}, {Id(Adjoint)}{(IsFixedPoint ? "" : ".neg()")}, ref {Id(SolutionAdjoint)}{RefAdjointArguments});");
            }

            writer.CloseBrace();
        }

        public void WriteJacobianVectorProduct(SourceWriter writer)
        {
            writer.Line("/// <summary>");
            writer.Line($"/// The derivative of the solution along the arguments' tangents, by the implicit function theorem: ẋ solves");
            writer.Line($"/// (∂F/∂x)ẋ = −(∂F/∂θ)θ̇ matrix-free ({_spec.LinearSolver}), for {ConditionText()}.");
            writer.Line("/// </summary>");
            writer.Line("/// <exception cref=\"global::Leibniz.Implicit.ImplicitLayerException\">The solver's answer does not satisfy the condition, or the linear system did not converge.</exception>");
            writer.Line(GeneratedFile.GeneratedCodeAttribute);
            writer.Line($"{_spec.Accessibility} static {Tensor} {DerivativeMethodNames.Apply}{DerivativeMethodNames.JacobianVectorProductSuffix}({Parameters}{TangentParameters})");
            writer.OpenBrace();
            WriteSolve(writer);
            writer.Line($"return {DerivativeMethodNames.Apply}{DerivativeMethodNames.TangentSuffix}At({Arguments}, {Id(Solution)}{TangentArguments});");
            writer.CloseBrace();
            writer.Line();
            writer.Line($"/// <summary>The derivative of the solution <paramref name=\"{Solution}\"/> along the arguments' tangents; see <see cref=\"{DerivativeMethodNames.Apply}{DerivativeMethodNames.JacobianVectorProductSuffix}\"/>.</summary>");
            writer.Line(GeneratedFile.GeneratedCodeAttribute);
            writer.Line($"static {Tensor} {DerivativeMethodNames.Apply}{DerivativeMethodNames.TangentSuffix}At({Parameters}, {Tensor} {Id(Solution)}{TangentParameters})");
            writer.OpenBrace();
            foreach (var p in _differentiated)
                writer.Line($"global::Leibniz.Generated.Validation.Direction({Id(Tangents[p.Name])}, {Id(p.Name)}, nameof({Id(Tangents[p.Name])}), \"{p.Name}\");");
            WriteZeros(writer);
            var tangentArguments = string.Concat(_differentiated.Select(p => ", " + Id(Tangents[p.Name])));
            if (IsObjective)
            {
                writer.Line($"// ∂∇ₓf/∂θ·θ̇ is ∇²ₓθf·θ̇: the solution's part of one Hessian–vector product along (0, θ̇).");
                writer.Line($"{Condition}{DerivativeMethodNames.HessianVectorProductSuffix}({Id(Solution)}, {Arguments}, {Torch}.zeros_like({Id(Solution)}){tangentArguments}{Outputs(solution: "var " + Id(Product), products: null)});");
                writer.Line($"var {Id(RightHandSide)} = {Layers}.OrZeros({Id(Product)}, {Id(Solution)}).neg();");
            }
            else
            {
                writer.Line($"var {Id(RightHandSide)} = {Condition}{DerivativeMethodNames.JacobianVectorProductSuffix}({Id(Solution)}, {Arguments}, {Torch}.zeros_like({Id(Solution)}){tangentArguments}){(IsFixedPoint ? "" : ".neg()")};");
            }

            writer.Line();
            var (transposed, jacobian) = WriteOperators(writer);
            writer.Line($"return {Layers}.SolveTangent({Id(RightHandSide)}, {Quoted}, {jacobian}, {transposed}, {Options});");
            writer.CloseBrace();
        }

        public void WriteTangent(SourceWriter writer)
        {
            writer.Line($"/// <summary>The solution, and in <paramref name=\"{Tangent}\"/> its derivative along the arguments' tangents (see <see cref=\"{DerivativeMethodNames.Apply}{DerivativeMethodNames.JacobianVectorProductSuffix}\"/>).</summary>");
            writer.Line(GeneratedFile.GeneratedCodeAttribute);
            writer.Line($"{_spec.Accessibility} static {Tensor} {DerivativeMethodNames.Apply}{DerivativeMethodNames.TangentSuffix}({Parameters}{TangentParameters}, out {Tensor} {Id(Tangent)})");
            writer.OpenBrace();
            WriteSolve(writer);
            writer.Line($"{Id(Tangent)} = {DerivativeMethodNames.Apply}{DerivativeMethodNames.TangentSuffix}At({Arguments}, {Id(Solution)}{TangentArguments});");
            writer.Line($"return {Id(Solution)};");
            writer.CloseBrace();
        }

        string TangentParameters => string.Concat(_differentiated.Select(p => $", {Tensor} {Id(Tangents[p.Name])}"));

        string TangentArguments => string.Concat(_differentiated.Select(p => ", " + Id(Tangents[p.Name])));

        string ZeroArguments => string.Concat(_differentiated.Select(p => ", " + Id(Zeros[p.Name])));

        bool JacobianAvailable => _hasForward || IsObjective;

        string Options => string.Join(", ",
            $"{SolverKinds}.{_spec.LinearSolver}",
            Number(_spec.Tolerance),
            _spec.MaxIterations.ToString(CultureInfo.InvariantCulture),
            Number(_spec.Ridge)) + (_spec.IsTruncated ? ", truncated: true" : "");

        void WriteUnrolledPullback(SourceWriter writer)
        {
            var leaves = Fresh("leaves");
            var gradients = Fresh("gradients");
            var index = 0;
            var arguments = string.Join(", ", _spec.Parameters.Select(p => p.HasAdjoint ? $"{leaves}[{(index++).ToString(CultureInfo.InvariantCulture)}]" : Id(p.Name)));
            writer.Line("// Unrolled: the solver runs again on the tape from fresh leaves, and autograd differentiates its iterations.");
            writer.Line($"var {gradients} = {Layers}.Unroll({leaves} => {_spec.Solver}({arguments}), {Id(Seed)}, {Quoted}, {string.Join(", ", _differentiated.Select(p => Id(p.Name)))});");
            for (var i = 0; i < _differentiated.Count; i++)
                writer.Line($"{Id(Adjoints[_differentiated[i].Name])} = {Layers}.Add({Id(Adjoints[_differentiated[i].Name])}, {gradients}[{i.ToString(CultureInfo.InvariantCulture)}]);");
        }

        void WriteSolve(SourceWriter writer, bool onTape = false)
        {
            foreach (var p in _spec.Parameters.Where(p => p.IsTensor))
                writer.Line($"global::Leibniz.Generated.Validation.Tensor({Id(p.Name)}, nameof({Id(p.Name)}), {Quoted});");
            string residual;
            switch (_spec.Kind)
            {
                case ImplicitConditionKind.OptimalityCondition:
                    residual = $"{Id(Point)} => {Condition}({Id(Point)}, {Arguments})";
                    break;
                case ImplicitConditionKind.FixedPoint:
                    residual = $"{Id(Point)} => {Condition}({Id(Point)}, {Arguments}) - {Id(Point)}";
                    break;
                default:
                    // An objective's condition is its gradient in the solution: the pullback's adjoint of x with seed 1.
                    residual = GradientName;
                    writer.Line($"{Tensor} {residual}({Tensor} {Id(Point)})");
                    writer.OpenBrace();
                    writer.Line($"{Layers}.CheckObjective({Condition}({Id(Point)}, {Arguments}), {Quoted});");
                    writer.Line($"{Tensor}? {Id(OperatorAdjoint)} = null{DiscardedDeclarations};");
                    writer.Line($"{Condition}{DerivativeMethodNames.PullbackSuffix}({Id(Point)}, {Arguments}, null, ref {Id(OperatorAdjoint)}{DiscardedRefs});");
                    writer.Line($"return {Layers}.OrZeros({Id(OperatorAdjoint)}, {Id(Point)});");
                    writer.CloseBrace();
                    writer.Line();
                    break;
            }

            writer.Line($"var {Id(Solution)} = {Layers}.{(onTape ? "SolveOnTape" : "Solve")}(() => {_spec.Solver}({Arguments}), {residual}, {Number(_spec.ResidualTolerance)}, {Quoted});");
        }

        void WriteZeros(SourceWriter writer)
        {
            // The parameters do not move in the linear solve: their tangents in the condition's products are zero.
            if (!JacobianAvailable) return;
            foreach (var p in _differentiated)
                writer.Line($"var {Id(Zeros[p.Name])} = {Torch}.zeros_like({Id(p.Name)});");
        }

        /// <summary>Local functions applying (∂F/∂x)ᵀ and, when it is generated, ∂F/∂x; returns their names (null for a missing one).</summary>
        (string Transposed, string? Jacobian) WriteOperators(SourceWriter writer)
        {
            var v = Id(Direction);
            var transposed = TransposedJacobianName;
            var jacobian = JacobianAvailable ? JacobianName : null;
            if (IsObjective)
            {
                // The Hessian is symmetric: one product serves both.
                writer.Line($"{Tensor} {transposed}({Tensor} {v})");
                writer.OpenBrace();
                writer.Line($"{Condition}{DerivativeMethodNames.HessianVectorProductSuffix}({Id(Solution)}, {Arguments}, {v}{ZeroArguments}{Outputs(solution: "var " + Id(OperatorAdjoint), products: null)});");
                writer.Line($"return {Layers}.OrZeros({Id(OperatorAdjoint)}, {Id(Solution)});");
                writer.CloseBrace();
                writer.Line();
                return (transposed, transposed);
            }

            // A fixed point's system is written I − ∂T/∂x, the negative of ∂F/∂x for F = T − x: for a gradient step T that is
            // positive definite, so conjugate gradient applies, and the backward's sign turns with it.
            var before = IsFixedPoint ? $"{v} - " : "";
            writer.Line($"{Tensor} {transposed}({Tensor} {v})");
            writer.OpenBrace();
            writer.Line($"{Tensor}? {Id(OperatorAdjoint)} = null{DiscardedDeclarations};");
            writer.Line($"{Condition}{DerivativeMethodNames.PullbackSuffix}({Id(Solution)}, {Arguments}, {v}, ref {Id(OperatorAdjoint)}{DiscardedRefs});");
            writer.Line($"return {before}{Layers}.OrZeros({Id(OperatorAdjoint)}, {Id(Solution)});");
            writer.CloseBrace();
            writer.Line();
            if (jacobian is not null)
            {
                writer.Line($"{Tensor} {jacobian}({Tensor} {v}) => {before}{Condition}{DerivativeMethodNames.JacobianVectorProductSuffix}({Id(Solution)}, {Arguments}, {v}{ZeroArguments});");
                writer.Line();
            }

            return (transposed, jacobian);
        }

        string DiscardedDeclarations => string.Concat(_differentiated.Select(p => $", {Id(Discarded[p.Name])} = null"));

        string DiscardedRefs => string.Concat(_differentiated.Select(p => $", ref {Id(Discarded[p.Name])}"));

        /// <summary>The out arguments of the condition's Hessian–vector product: gradients discarded, the rest as named.</summary>
        string Outputs(string? solution, Dictionary<string, string>? products)
        {
            var text = ", out _" + string.Concat(_differentiated.Select(_ => ", out _"));
            text += ", " + (solution is null ? "out _" : "out " + solution);
            text += string.Concat(_differentiated.Select(p => ", " + (products is null ? "out _" : "out var " + Id(products[p.Name]))));
            return text;
        }

        string ConditionText() => _spec.Kind switch
        {
            ImplicitConditionKind.OptimalityCondition => $"the condition F = <see cref=\"{Condition}\"/>",
            ImplicitConditionKind.FixedPoint => $"F(x, θ) = x − <see cref=\"{Condition}\"/>(x, θ)",
            _ => $"F = ∇ₓ<see cref=\"{Condition}\"/>, whose Jacobian is its Hessian",
        };

        string Fresh(string preferred)
        {
            var name = preferred;
            for (var i = 1; !_taken.Add(name); i++) name = preferred + i.ToString(CultureInfo.InvariantCulture);
            return name;
        }
    }

    static string Capitalized(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name.Substring(1);

    static string Number(double value)
    {
        if (double.IsPositiveInfinity(value)) return "double.PositiveInfinity";
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains(".") || text.Contains("E") ? text : text + ".0";
    }

    static string Id(string name) => FunctionEmitter.Id(name);
}
