using System;
using System.ComponentModel;
using System.Globalization;
using Leibniz.Implicit;
using Leibniz.LinearSystems;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>
/// What generated implicit layers run: the solver without the tape, the check that its answer satisfies the condition,
/// and the two linear systems of the implicit function theorem — (∂ₓF)ᵀu = v for reverse mode and (∂ₓF)ẋ = −(∂_θF)θ̇ for
/// forward mode — each solved matrix-free and refused when it does not converge. For generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ImplicitLayers
{
    /// <summary>
    /// Runs <paramref name="solver"/> with the tape off, then checks that its answer is a floating-point tensor at which
    /// the condition's <paramref name="residual"/> is at most <paramref name="residualTolerance"/>·max(1, ‖x‖).
    /// </summary>
    /// <exception cref="ImplicitLayerException">The solver returned null, a disposed or integer tensor, or a point that does not satisfy the condition.</exception>
    public static Tensor Solve(Func<Tensor> solver, Func<Tensor, Tensor> residual, double residualTolerance, string layer)
    {
        Tensor solution;
        using (no_grad())
        {
            solution = solver();
        }

        return Checked(solution, residual, residualTolerance, layer);
    }

    /// <summary>
    /// <see cref="Solve(Func{Tensor}, Func{Tensor, Tensor}, double, string)"/> for a solver that returns an
    /// <see cref="ImplicitSolution"/>: its preconditioner is kept with the solution for the backward to reuse.
    /// </summary>
    public static Tensor Solve(Func<ImplicitSolution> solver, Func<Tensor, Tensor> residual, double residualTolerance, string layer)
    {
        ImplicitSolution answer;
        using (no_grad())
        {
            answer = solver();
        }

        if (answer is null) throw new ImplicitLayerException($"{layer}'s [Solver] returned null; it must return the solution.");
        var solution = Checked(answer.Solution, residual, residualTolerance, layer);
        if (answer.Preconditioner is { } preconditioner) Preconditioners.AddOrUpdate(solution, preconditioner);
        return solution;
    }

    /// <summary>The preconditioners solvers handed over, by the solution they came with; gone with it.</summary>
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Tensor, Func<Tensor, Tensor>> Preconditioners = new();

    /// <summary>An objective's value must be a scalar: its Hessian is what the backward solves with.</summary>
    public static void CheckObjective(Tensor value, string layer)
    {
        if (value.numel() != 1)
            throw new ImplicitLayerException(
                $"{layer}'s [Objective] returned a tensor of shape {Shape(value.shape)}; an objective is a scalar (sum or average it), its minimiser the solution.");
    }

    static Tensor Checked(Tensor solution, Func<Tensor, Tensor> residual, double residualTolerance, string layer)
    {

        if (solution is null)
            throw new ImplicitLayerException($"{layer}'s [Solver] returned null; it must return the solution as a tensor.");
        if (solution.IsInvalid)
            throw new ImplicitLayerException($"{layer}'s [Solver] returned a disposed tensor; return one that outlives the solver (call MoveToOuterDisposeScope() on it if the solver uses a dispose scope).");
        if (!solution.is_floating_point())
            throw new ImplicitLayerException($"{layer}'s [Solver] returned a tensor of {solution.dtype}; a solution must be floating point to be differentiated.");

        // The solver is never differentiated: whatever tape it built is cut here.
        if (solution.requires_grad) solution = solution.detach();
        if (double.IsPositiveInfinity(residualTolerance)) return solution;
        // Zero stands for the attribute's default, which follows the precision the solver worked in.
        if (residualTolerance == 0) residualTolerance = solution.dtype == ScalarType.Float64 ? 1e-6 : 1e-4;

        using var scope = NewDisposeScope();
        using (no_grad())
        {
            var r = residual(solution);
            if (r is null || r.IsInvalid)
                throw new ImplicitLayerException($"{layer}'s condition returned no tensor at the solution.");
            if (!r.shape.AsSpan().SequenceEqual(solution.shape))
                throw new ImplicitLayerException(
                    $"{layer}'s condition returned a tensor of shape {Shape(r.shape)} at a solution of shape {Shape(solution.shape)}; F(x, θ) (or T(x, θ), or ∇ₓf) must have the solution's shape.");
            var residualNorm = r.to_type(ScalarType.Float64).norm().item<double>();
            var solutionNorm = solution.to_type(ScalarType.Float64).norm().item<double>();
            var bound = residualTolerance * Math.Max(1.0, solutionNorm);
            if (!(residualNorm <= bound))
                throw new ImplicitLayerException(
                    $"{layer}'s [Solver] returned a point where the condition's residual is ‖F‖ = {Format(residualNorm)}, above ResidualTolerance·max(1, ‖x‖) = {Format(bound)}: "
                    + "it is not a solution, and the implicit gradient there would be biased. Solve more accurately (more iterations, a tighter tolerance), "
                    + "or raise ResidualTolerance on [ImplicitLayer] if this accuracy is what you need.");
        }

        return solution;
    }

    /// <summary>Whether autograd would route a gradient to any of <paramref name="inputs"/> (the tape is on and one requires it).</summary>
    public static bool NeedsGradient(params Tensor[] inputs)
    {
        if (!is_grad_enabled()) return false;
        foreach (var input in inputs)
            if (input.requires_grad) return true;
        return false;
    }

    /// <summary>
    /// The solution as the output of one autograd node over <paramref name="inputs"/>, whose backward is
    /// <paramref name="backward"/> (the layer's implicit pullback at this solution: one gradient per input, or null).
    /// </summary>
    public static Tensor Attach(Tensor solution, string layer, Func<Tensor, Tensor?[]> backward, params Tensor[] inputs)
    {
        var arguments = new object[inputs.Length + 1];
        arguments[0] = new ImplicitAutogradFunction.Node(solution, layer, backward, inputs.Length);
        Array.Copy(inputs, 0, arguments, 1, inputs.Length);
        return ImplicitAutogradFunction.apply(arguments);
    }

    /// <summary>
    /// u with (∂ₓF + ridge·I)ᵀu = v, for v the seed (ones when null) of a reverse sweep: the one linear solve the layer's
    /// backward needs. <paramref name="transposedJacobian"/> applies (∂ₓF)ᵀ (a generated pullback of the condition);
    /// <paramref name="jacobian"/> applies ∂ₓF (its generated Jacobian–vector product), which the normal equations need.
    /// </summary>
    /// <exception cref="ImplicitLayerException">The linear solve did not converge; its <see cref="LinearSolveException"/> is the inner exception.</exception>
    public static Tensor SolveAdjoint(
        Tensor solution, Tensor? seed, string layer, Func<Tensor, Tensor> transposedJacobian, Func<Tensor, Tensor>? jacobian,
        LinearSolverKind method, double tolerance, int maxIterations, double ridge, bool truncated = false)
    {
        Validation.Seed(seed, solution, "seed", layer);
        var v = seed ?? ones_like(solution);
        Preconditioners.TryGetValue(solution, out var preconditioner);
        return SolveLinear(v, transposedJacobian, jacobian, method, tolerance, maxIterations, ridge, layer, "backward", "(∂ₓF)ᵀu = v", truncated, preconditioner);
    }

    /// <summary>
    /// Runs <paramref name="solver"/> with the tape as the caller has it, so that autograd records its iterations (the
    /// unrolled mode), after checking its answer as <see cref="Solve(Func{Tensor}, Func{Tensor, Tensor}, double, string)"/> does.
    /// </summary>
    public static Tensor SolveOnTape(Func<Tensor> solver, Func<Tensor, Tensor> residual, double residualTolerance, string layer)
    {
        var solution = solver();
        // The checks of Solve, which looks at a detached view: the tape keeps the solver's own result.
        Solve(() => solution, residual, residualTolerance, layer);
        return solution;
    }

    /// <summary><see cref="SolveOnTape(Func{Tensor}, Func{Tensor, Tensor}, double, string)"/> for a solver that returns an <see cref="ImplicitSolution"/>.</summary>
    public static Tensor SolveOnTape(Func<ImplicitSolution> solver, Func<Tensor, Tensor> residual, double residualTolerance, string layer)
        => SolveOnTape(() => solver()?.Solution!, residual, residualTolerance, layer);

    /// <summary><see cref="Unroll(Func{Tensor[], Tensor}, Tensor?, string, Tensor[])"/> for a solver that returns an <see cref="ImplicitSolution"/>.</summary>
    public static Tensor?[] Unroll(Func<Tensor[], ImplicitSolution> solver, Tensor? seed, string layer, params Tensor[] inputs)
        => Unroll(leaves => solver(leaves)?.Solution!, seed, layer, inputs);

    /// <summary>
    /// The unrolled pullback: runs <paramref name="solver"/> again on the tape from fresh leaves of <paramref name="inputs"/>
    /// and returns the gradient of ⟨seed, solution⟩ with respect to each input (null where the solution does not depend on it).
    /// </summary>
    public static Tensor?[] Unroll(Func<Tensor[], Tensor> solver, Tensor? seed, string layer, params Tensor[] inputs)
    {
        var leaves = new Tensor[inputs.Length];
        for (var i = 0; i < inputs.Length; i++) leaves[i] = inputs[i].detach().requires_grad_();
        using var tape = enable_grad();
        var solution = solver(leaves);
        Validation.Seed(seed, solution, "seed", layer);
        if (!solution.requires_grad) return new Tensor?[inputs.Length];
        var gradients = autograd.grad(new[] { solution }, leaves, new[] { seed ?? ones_like(solution) }, allow_unused: true);
        var result = new Tensor?[inputs.Length];
        for (var i = 0; i < inputs.Length; i++) result[i] = gradients[i] is { IsInvalid: false } gradient ? gradient.detach() : null;
        return result;
    }

    /// <summary>Adds <paramref name="contribution"/> to an adjoint (null is zero on either side).</summary>
    public static Tensor? Add(Tensor? adjoint, Tensor? contribution)
        => contribution is null ? adjoint : Adjoints.Add(adjoint, contribution);

    /// <summary>
    /// ẋ with (∂ₓF + ridge·I)ẋ = <paramref name="rightHandSide"/> (−(∂_θF)θ̇): the linear solve of the layer's forward mode.
    /// </summary>
    /// <exception cref="ImplicitLayerException">The linear solve did not converge; its <see cref="LinearSolveException"/> is the inner exception.</exception>
    public static Tensor SolveTangent(
        Tensor rightHandSide, string layer, Func<Tensor, Tensor> jacobian, Func<Tensor, Tensor>? transposedJacobian,
        LinearSolverKind method, double tolerance, int maxIterations, double ridge, bool truncated = false)
        => SolveLinear(rightHandSide, jacobian, transposedJacobian, method, tolerance, maxIterations, ridge, layer, "tangent", "(∂ₓF)ẋ = −(∂_θF)θ̇", truncated);

    /// <summary>A pullback's adjoint, or zeros shaped like <paramref name="like"/> when nothing reached it.</summary>
    public static Tensor OrZeros(Tensor? adjoint, Tensor like) => adjoint ?? zeros_like(like);

    /// <summary>Adds −<paramref name="contribution"/> to an adjoint (null is zero).</summary>
    public static Tensor? Subtract(Tensor? adjoint, Tensor? contribution)
        => contribution is null ? adjoint : Adjoints.Add(adjoint, contribution.neg());

    static Tensor SolveLinear(
        Tensor rightHandSide, Func<Tensor, Tensor> apply, Func<Tensor, Tensor>? applyTransposed, LinearSolverKind method,
        double tolerance, int maxIterations, double ridge, string layer, string what, string system, bool truncated,
        Func<Tensor, Tensor>? preconditioner = null)
    {
        if (applyTransposed is null && method == LinearSolverKind.NormalConjugateGradient)
            throw new ImplicitLayerException(
                $"The {what} of {layer} solves {system} with LinearSolver = {method}, which needs the condition's Jacobian–vector product, and the condition has no generated forward mode "
                + "(warning LZ0109 on it says why). Choose LinearSolver = Gmres, BiCgStab or DenseLu on [ImplicitLayer], which need only its pullback.");

        // Zero stands for the attribute's default: float32 cannot reach float64's 1e-10, and every backward would be refused.
        if (tolerance == 0) tolerance = rightHandSide.dtype == ScalarType.Float64 ? 1e-10 : 1e-5;
        var options = new LinearSolveOptions { Tolerance = tolerance, MaxIterations = maxIterations, Ridge = ridge };
        LinearSolveResult result;
        using (no_grad())
        {
            result = LinearSolvers.Solve(method, apply, rightHandSide, options, applyTransposed, preconditioner: preconditioner);
        }

        if (result.Converged) return result.Solution;
        // Truncated: the approximation was asked for; only a solve that broke down into NaN is not one.
        if (truncated && !double.IsNaN(result.RelativeResidual)) return result.Solution;
        try
        {
            result.EnsureConverged($"the {what} of {layer}");
        }
        catch (LinearSolveException failure)
        {
            throw new ImplicitLayerException(
                $"The {what} of {layer} is refused: the linear system {system} did not converge ({method}, {result.Iterations} iterations, relative residual "
                + $"{Format(result.RelativeResidual)} against the tolerance {Format(tolerance)}), and a derivative from it would be silently biased. "
                + "Raise MaxIterations or loosen Tolerance on [ImplicitLayer], pick another LinearSolver, or add a small Ridge if ∂ₓF is nearly singular.",
                failure);
        }

        throw new ImplicitLayerException($"The {what} of {layer} did not converge ({method}, relative residual {Format(result.RelativeResidual)}).");
    }

    static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    static string Shape(long[] shape) => "[" + string.Join(", ", shape) + "]";
}
