using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.IR.Functions;
using Leibniz.Generators.Rules;
using Leibniz.Generators.Rules.Scalar;
using Leibniz.Generators.Rules.Tensor;

namespace Leibniz.Generators.Transforms;

/// <summary>
/// Reverse mode over structured IR. The forward sweep runs the primal and keeps, just before it is
/// overwritten, every value the reverse sweep will read (in a local outside loops, on the tape
/// inside them); loops count their iterations. The reverse sweep walks the statements backwards,
/// restores each kept value, and moves adjoints by the rule table — one adjoint per active variable.
/// </summary>
internal sealed class ReverseMode
{
    readonly FunctionSpec _function;
    readonly ActivityAnalysis _activity;
    readonly Dictionary<string, ValueType> _types = new();
    readonly Dictionary<string, int> _assignmentSites = new();
    readonly HashSet<string> _needed = new();
    readonly HashSet<string> _parameters;
    readonly List<LocalSpec> _sweepLocals = new();
    readonly HashSet<string> _names = new();
    readonly HashSet<string> _adjointLocals = new();
    readonly Dictionary<string, string> _adjointNames = new();
    readonly Dictionary<string, string> _scratchNames = new();
    readonly Dictionary<string, string> _arrayAdjoints = new();
    string? _previousSource;
    readonly HashSet<string> _iterationInputs = new();
    readonly HashSet<string> _readBeforeAssigned = new();
    int _iterationDepth;
    int _slots;
    int _seeds;
    int _counters;

    ReverseMode(FunctionSpec function)
    {
        _function = function;
        foreach (var parameter in function.Parameters)
        {
            _types[parameter.Name] = parameter.Type;
            _names.Add(parameter.Name);
        }

        foreach (var local in function.Locals)
        {
            _types[local.Name] = local.Type;
            _names.Add(local.Name);
        }

        _parameters = new HashSet<string>(function.Parameters.Select(p => p.Name));
        var assignments = new List<Assignment>();
        ActivityAnalysis.Collect(function.Body, assignments);
        foreach (var assignment in assignments)
            _assignmentSites[assignment.Target] = _assignmentSites.TryGetValue(assignment.Target, out var n) ? n + 1 : 1;

        // A local read before its first assignment holds its declared default until then (a forward-mode tangent of a
        // [NoDerivative] input, say): its one assignment still overwrites a value the reverse sweep may read.
        UpwardExposed(function.Body.Statements, new HashSet<string>(_parameters), _readBeforeAssigned);

        _activity = new ActivityAnalysis(function, assignments);
        FindNeeded(function.Body);
    }

    string ResultName => ((Variable)_function.Body.Statements.OfType<ReturnStatement>().Single().Value).Name;

    public static ReverseFunctionSpec Differentiate(FunctionSpec function) => new ReverseMode(function).Run();

    ReverseFunctionSpec Run()
    {
        var adjoints = new List<AdjointParameter>();
        foreach (var parameter in _function.Parameters.Where(p => p.HasAdjoint))
        {
            var output = Unique("d" + parameter.Name);
            if (parameter.Type.IsArray())
            {
                _arrayAdjoints[parameter.Name] = output;
                adjoints.Add(new AdjointParameter(parameter.Name, parameter.Type, output, null, parameter.IsWrt));
            }
            else
            {
                adjoints.Add(new AdjointParameter(parameter.Name, parameter.Type, output, AdjointOf(parameter.Name), parameter.IsWrt));
            }
        }

        var result = _function.Body.Statements.OfType<ReturnStatement>().Single().Value;
        var resultName = ((Variable)result).Name;
        var resultAdjoint = AdjointOf(resultName);
        var (forward, reverse) = Transform(_function.Body);
        reverse = ScalarPartials.Simplify(reverse);
        reverse = AdjointSimplification.Simplify(reverse, _adjointLocals, new[] { resultAdjoint }, adjoints.Select(a => a.LocalAdjoint).OfType<string>());
        reverse = AdjointCopyPropagation.Propagate(reverse);
        reverse = AccumulationFusion.Apply(reverse);
        var adjointParameters = adjoints.ToEquatableArray();
        var differentiated = new ReverseFunctionSpec(_function, _sweepLocals.ToEquatableArray(), forward, reverse, resultAdjoint, adjointParameters)
        {
            Descent = _function.IsModelMethod ? DescentFusion.Fuse(reverse, _function.Parameters, adjointParameters) : null,
        };
        // A model's sweep may run its backward again from the kept state, so what it restores stays restored.
        if (!_function.IsModelMethod && _function.ReturnType != ValueType.Tensor) differentiated = ReverseLoopFusion.Fuse(differentiated);
        if (!_function.IsModelMethod) differentiated = DeadAssignments.Remove(DeadRestores.Remove(differentiated, resultName), resultName);
        return UnusedLocals.Prune(differentiated);
    }

    // ---- analyses ----

    /// <summary>The variables the reverse sweep reads: operands of partials, indices, and branch conditions around adjoint code.</summary>
    bool FindNeeded(Block block, bool inLoop = false)
    {
        var hasAdjointCode = false;
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case Assignment assignment when _activity.IsActive(assignment.Target):
                    hasAdjointCode = true;
                    foreach (var operand in OperandsReadByPartials(assignment.Value))
                        if (operand is Variable v) _needed.Add(v.Name);
                    if (assignment.Value is TensorCall call && TensorRules.TryGet(call.Rule, out var rule))
                    {
                        _needed.UnionWith(DerivedReads(call, rule, assignment.Target));
                    }

                    // A partial that is the primitive's own value reads the result instead of calling it again. Outside loops
                    // keeping an overwritten result costs a local; inside them it would cost the tape, and the call is redone.
                    // Not the function's result, which the generated method returns after the reverse sweep has restored
                    // what it kept, nor a model's, whose sweep may run its backward again.
                    if (!inLoop && !_function.IsModelMethod && assignment.Target != ResultName && assignment.Value is PrimitiveCall primitive
                        && CanReadResult(assignment.Target, primitive))
                        _needed.Add(assignment.Target);
                    // An implicit layer's backward starts from its solution, which the reverse sweep then keeps.
                    if (!inLoop && assignment.Value is DifferentiableCall solved && ReadsSolution(assignment.Target, solved))
                        _needed.Add(assignment.Target);
                    break;
                case IfStatement branch:
                    var inThen = FindNeeded(branch.Then, inLoop);
                    var inElse = FindNeeded(branch.Else, inLoop);
                    if ((inThen || inElse) && branch.Condition is Variable condition) _needed.Add(condition.Name);
                    hasAdjointCode |= inThen || inElse;
                    break;
                case LoopStatement loop:
                    FindNeeded(loop.Header, inLoop: true);
                    hasAdjointCode |= FindNeeded(loop.Body, inLoop: true) | FindNeeded(loop.Step, inLoop: true);
                    break;
            }
        }

        return hasAdjointCode;
    }

    /// <summary>
    /// The operands a scalar statement's partials read. Every kind is listed: tensor calls' reads come from their derived
    /// pullbacks (<see cref="DerivedReads"/>), a model call's from its sweep; sums, copies and conversions read nothing.
    /// </summary>
    static IEnumerable<Operand> OperandsReadByPartials(Expression expression) => expression switch
    {
        BinaryExpression { Operator: BinaryOperator.Multiply or BinaryOperator.Divide or BinaryOperator.Remainder } e => new[] { e.Left, e.Right },
        BinaryExpression => Enumerable.Empty<Operand>(),
        PrimitiveCall e => e.Arguments,
        DifferentiableCall e => e.Arguments,
        ElementExpression e => new[] { e.Index },
        CopyExpression or UnaryExpression or ConvertExpression or ConditionalExpression or LengthExpression or OpaqueCall => Enumerable.Empty<Operand>(),
        TensorCall or ModelCall or FrozenModelCall => Enumerable.Empty<Operand>(),
        // Only a model calling models has one, and its Hessian–vector product differentiates the generated tangent whole.
        ModelJacobianVectorProduct => throw new System.ArgumentException("reverse mode does not differentiate a called model's tangent", nameof(expression)),
        _ => throw new System.ArgumentException($"reverse mode does not know the expression kind {expression.GetType().Name}", nameof(expression)),
    };

    // ---- the two sweeps ----

    (Block Forward, Block Reverse) Transform(Block block)
    {
        var forward = new List<Statement>();
        var reverseParts = new List<List<Statement>>();
        foreach (var statement in block.Statements)
        {
            var reverse = new List<Statement>();
            switch (statement)
            {
                case Assignment assignment:
                    TransformAssignment(assignment, forward, reverse);
                    break;
                case IfStatement branch:
                {
                    var (thenForward, thenReverse) = Transform(branch.Then);
                    var (elseForward, elseReverse) = Transform(branch.Else);
                    forward.Add(new IfStatement(branch.Condition, thenForward, elseForward));
                    if (thenReverse.Statements.Count > 0 || elseReverse.Statements.Count > 0)
                        reverse.Add(new IfStatement(branch.Condition, thenReverse, elseReverse));
                    break;
                }
                case LoopStatement loop:
                    TransformLoop(loop, forward, reverse);
                    break;
                case ReturnStatement:
                    // The generated methods return the result variable after both sweeps.
                    break;
            }

            reverseParts.Add(reverse);
        }

        reverseParts.Reverse();
        return (new Block(forward.ToEquatableArray()), new Block(reverseParts.SelectMany(p => p).ToEquatableArray()));
    }

    /// <summary>
    /// A loop by recomputation: the forward sweep runs the loop as written, pushing at the start of each
    /// iteration the variables the iteration carries in (read before written, or read after the loop)
    /// that its reverse will read. The reverse sweep, once per iteration from the last, pops them,
    /// recomputes the iteration and runs its reverse — one iteration treated like straight-line code, so
    /// its temporaries live in locals and never touch the tape. Induction variables (<c>i += c</c> once
    /// per iteration) are not pushed at all: iteration k sees <c>i₀ + k·c</c>, recomputed from the
    /// iteration counter. That keeps tape traffic to the loop-carried state the reverse really reads.
    /// </summary>
    void TransformLoop(LoopStatement loop, List<Statement> forward, List<Statement> reverse)
    {
        var carried = Carried(loop).OrderBy(v => v, System.StringComparer.Ordinal).ToList();
        var inductions = Inductions(loop);
        var counter = Local("n" + (_counters++).ToString(CultureInfo.InvariantCulture), ValueType.Int);

        foreach (var v in carried) _iterationInputs.Add(v);
        _iterationDepth++;
        var (recompute, iterationReverse) = Transform(new Block(loop.Body.Statements.Concat(loop.Step.Statements).ToEquatableArray()));
        var kept = new List<Statement>();
        _iterationDepth--;
        foreach (var v in carried) _iterationInputs.Remove(v);

        var taped = new List<string>();
        if (iterationReverse.Statements.Count > 0)
        {
            var fullReverse = iterationReverse;
            (kept, iterationReverse) = Needed(recompute, fullReverse);
            // Recomputing a tensor op costs as much as the forward did (a matrix product): the tensors the reverse
            // itself reads are kept on the tape instead, and what only fed them is then not recomputed either. A call
            // the IR cannot see into (a random draw under NoDerivative) may not give the same value twice, so
            // whatever of it the reverse needs is always taped.
            var readByReverse = new HashSet<string>();
            SweepReads(fullReverse, readByReverse);
            taped = kept.OfType<Assignment>()
                .Where(a => _assignmentSites[a.Target] == 1 && !carried.Contains(a.Target)
                    && (a.Value is OpaqueCall || a.Value is TensorCall && _types[a.Target] == ValueType.Tensor && readByReverse.Contains(a.Target)))
                .Select(a => a.Target).ToList();
            if (taped.Count > 0)
            {
                var withoutTaped = recompute.Statements.Where(st => st is not Assignment a || !taped.Contains(a.Target)).ToEquatableArray();
                (kept, iterationReverse) = Needed(new Block(withoutTaped), fullReverse);
            }
        }

        var reads = new HashSet<string>();
        SweepReads(new Block(kept.ToEquatableArray()), reads);
        SweepReads(iterationReverse, reads);
        if (iterationReverse.Statements.Count > 0)
        {
            // The reverse loop recomputes iterations from what they read; a value it reads that the loop itself does not
            // assign must be back at its loop-time value when the reverse loop runs, so code after the loop that overwrites
            // it saves it first (an int, a constant, a parameter, an outer loop's counter incremented after this loop).
            var assignedInLoop = new HashSet<string>();
            Assigned(loop.Header, assignedInLoop);
            Assigned(loop.Body, assignedInLoop);
            Assigned(loop.Step, assignedInLoop);
            foreach (var v in reads)
                if (!assignedInLoop.Contains(v) && _types.ContainsKey(v)) _needed.Add(v);
        }

        // A value the reverse of code before the loop reads must come back to its pre-loop value, so it is pushed even
        // when this loop's own reverse does not read it.
        bool Restored(string v) => reads.Contains(v) || _needed.Contains(v);
        var recomputed = carried.Where(v => inductions.ContainsKey(v) && reads.Contains(v)).ToList();
        var pushed = carried.Where(v => !inductions.ContainsKey(v) && Restored(v)).ToList();

        if (iterationReverse.Statements.Count == 0)
        {
            // No adjoint flows through this loop, but code before it reads values the loop overwrites: they are kept
            // once, before the loop, and put back in its place in the reverse sweep (no tape, nothing left pushed).
            foreach (var v in pushed)
            {
                var slot = Local("s" + (_slots++).ToString(CultureInfo.InvariantCulture), _types[v]);
                forward.Add(new SaveStatement(v, _types[v], slot));
                reverse.Add(new RestoreStatement(v, _types[v], slot));
            }

            forward.Add(new CountedLoopStatement(loop.Header, loop.Condition, loop.Body, loop.Step, counter, loop.Source));
            return;
        }

        var entries = new Dictionary<string, string>();
        foreach (var v in recomputed)
        {
            entries[v] = Local("e" + (_slots++).ToString(CultureInfo.InvariantCulture), _types[v]);
            forward.Add(new SaveStatement(v, _types[v], entries[v]));
        }

        var saves = pushed.Select(v => (Statement)new SaveStatement(v, _types[v], null));
        Block WithTapedSaves(Block block) => new(block.Statements
            .SelectMany(st => st is Assignment a && taped.Contains(a.Target) ? new[] { st, new SaveStatement(a.Target, _types[a.Target], null) } : new[] { st })
            .ToEquatableArray());
        var forwardBody = saves.Concat(WithTapedSaves(loop.Body).Statements).ToEquatableArray();
        forward.Add(new CountedLoopStatement(loop.Header, loop.Condition, new Block(forwardBody), WithTapedSaves(loop.Step), counter, loop.Source));

        // Popped in the reverse order of the pushes: the tensors pushed during the iteration, then the carried state.
        var tapedInOrder = loop.Body.Statements.Concat(loop.Step.Statements).OfType<Assignment>().Select(a => a.Target).Where(taped.Contains).ToList();
        var restores = Enumerable.Reverse(tapedInOrder).Select(v => (Statement)new RestoreStatement(v, _types[v], null))
            .Concat(Enumerable.Reverse(pushed).Select(v => (Statement)new RestoreStatement(v, _types[v], null)))
            .Concat(recomputed.Select(v => (Statement)new InductionStatement(v, entries[v], counter, inductions[v])));
        var body = restores.Concat(kept).Concat(iterationReverse.Statements).ToEquatableArray();
        reverse.Add(new ReverseLoopStatement(counter, new Block(body), loop.Source));
    }

    /// <summary>
    /// The loop's induction variables and their steps: integers assigned exactly once per iteration, at the
    /// top level of the body or step, to themselves plus or minus a constant (<c>i++</c> lowers to
    /// <c>t = i + 1; i = t;</c>). Nothing else in the loop assigns them, so iteration k starts at <c>i₀ + k·c</c>.
    /// </summary>
    Dictionary<string, int> Inductions(LoopStatement loop)
    {
        var result = new Dictionary<string, int>();
        var assignedNested = new HashSet<string>();
        Assigned(loop.Header, assignedNested);
        var topLevel = loop.Body.Statements.Concat(loop.Step.Statements).ToList();
        foreach (var statement in topLevel)
        {
            if (statement is IfStatement or LoopStatement) Assigned(new Block(new[] { statement }.ToEquatableArray()), assignedNested);
        }

        var counts = topLevel.OfType<Assignment>().GroupBy(a => a.Target).ToDictionary(g => g.Key, g => g.Count());
        var definitions = new Dictionary<string, Expression>();
        foreach (var statement in topLevel)
        {
            if (statement is not Assignment assignment) continue;
            definitions[assignment.Target] = assignment.Value;
            var v = assignment.Target;
            if (!_types.TryGetValue(v, out var type) || type is not (ValueType.Int or ValueType.Long) || counts[v] != 1 || assignedNested.Contains(v)) continue;
            var value = assignment.Value;
            if (value is CopyExpression { Value: Variable temporary } && _assignmentSites.TryGetValue(temporary.Name, out var sites) && sites == 1
                && definitions.TryGetValue(temporary.Name, out var definition))
                value = definition;
            if (StepOf(value, v) is { } step) result[v] = step;
        }

        return result;
    }

    static bool IsStep(Literal constant) => constant.Value is >= int.MinValue + 1 and <= int.MaxValue;

    static int? StepOf(Expression value, string variable) => value switch
    {
        BinaryExpression { Operator: BinaryOperator.Add, Left: Variable l, Right: Literal { Type: ValueType.Int or ValueType.Long } c } when l.Name == variable && IsStep(c) => (int)c.Value,
        BinaryExpression { Operator: BinaryOperator.Add, Left: Literal { Type: ValueType.Int or ValueType.Long } c, Right: Variable r } when r.Name == variable && IsStep(c) => (int)c.Value,
        BinaryExpression { Operator: BinaryOperator.Subtract, Left: Variable l, Right: Literal { Type: ValueType.Int or ValueType.Long } c } when l.Name == variable && IsStep(c) => -(int)c.Value,
        _ => null,
    };

    /// <summary>
    /// The recomputation of an iteration cut to what its reverse reads: a top-level assignment whose value
    /// nothing later reads is dropped (the carried state is popped again for the next one), and so is a
    /// kept value whose variable the kept recomputation never overwrites, with the reverse's restore of it.
    /// Anything nested — a branch, an inner loop — stays whole.
    /// </summary>
    static (List<Statement> Recompute, Block Reverse) Needed(Block recompute, Block reverse)
    {
        var live = LiveBefore(reverse.Statements);
        var kept = new List<Statement>();
        foreach (var statement in recompute.Statements.Reverse())
        {
            switch (statement)
            {
                // A model call also sets its sweep, which the reverse reads for the call's pullback even where it reads
                // nothing of the call's output.
                case Assignment assignment when !live.Contains(assignment.Target) && !(assignment.Value is ModelCall call && live.Contains(call.Sweep)):
                case SaveStatement { Slot: { } unread } when !live.Contains(unread):
                    continue;
                case Assignment assignment:
                    live.Remove(assignment.Target);
                    if (assignment.Value is ModelCall { Sweep: var sweep }) live.Remove(sweep);
                    break;
                case SaveStatement { Slot: { } slot }:
                    live.Remove(slot);
                    break;
            }

            kept.Add(statement);
            SweepReads(new Block(new[] { statement }.ToEquatableArray()), live);
        }

        kept.Reverse();

        // s = v; (v not reassigned) … v = s; is no save at all.
        var restored = new HashSet<string>(reverse.Statements.OfType<RestoreStatement>().Select(r => r.Slot).OfType<string>());
        var pointless = new HashSet<string>();
        for (var i = 0; i < kept.Count; i++)
        {
            if (kept[i] is not SaveStatement { Slot: { } slot } save || !restored.Contains(slot)) continue;
            var assignedAfter = new HashSet<string>();
            Assigned(new Block(kept.Skip(i + 1).ToEquatableArray()), assignedAfter);
            if (!assignedAfter.Contains(save.Variable)) pointless.Add(slot);
        }

        kept.RemoveAll(statement => statement is SaveStatement { Slot: { } slot } && pointless.Contains(slot));
        var reverseStatements = reverse.Statements.Where(statement => statement is not RestoreStatement { Slot: { } slot } || !pointless.Contains(slot));
        return (kept, new Block(reverseStatements.ToEquatableArray()));
    }

    /// <summary>The variables read before being written by straight-line sweep code (nested statements count as reads only).</summary>
    static HashSet<string> LiveBefore(IEnumerable<Statement> statements)
    {
        var live = new HashSet<string>();
        foreach (var statement in statements.Reverse())
        {
            switch (statement)
            {
                case Assignment assignment: live.Remove(assignment.Target); break;
                case RestoreStatement restore: live.Remove(restore.Variable); break;
                case InductionStatement induction: live.Remove(induction.Variable); break;
                case TakeAdjointStatement take: live.Remove(take.Seed); break;
            }

            SweepReads(new Block(new[] { statement }.ToEquatableArray()), live);
        }

        return live;
    }

    /// <summary>Every variable a block of sweep statements reads (conservatively: every name it mentions).</summary>
    /// <summary>The names <paramref name="block"/> reads, by the one statement walker.</summary>
    internal static void SweepReads(Block block, HashSet<string> reads) => StatementNames.Visit(block, name => reads.Add(name), _ => { });

    /// <summary>Variables the loop assigns whose value at an iteration's start matters: read before written in it, or read outside the loop.</summary>
    HashSet<string> Carried(LoopStatement loop)
    {
        var assigned = new HashSet<string>();
        Assigned(loop.Header, assigned);
        Assigned(loop.Body, assigned);
        Assigned(loop.Step, assigned);

        var exposed = new HashSet<string>();
        var defined = new HashSet<string>();
        UpwardExposed(loop.Header.Statements.Concat(loop.Body.Statements).Concat(loop.Step.Statements), defined, exposed);

        var outside = new HashSet<string>();
        ReadsOutside(_function.Body, loop, outside);

        assigned.IntersectWith(exposed.Concat(outside));
        return assigned;
    }

    static void Assigned(Block block, HashSet<string> assigned)
    {
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case Assignment a: assigned.Add(a.Target); break;
                case IfStatement i: Assigned(i.Then, assigned); Assigned(i.Else, assigned); break;
                case LoopStatement l: Assigned(l.Header, assigned); Assigned(l.Body, assigned); Assigned(l.Step, assigned); break;
                case CountedLoopStatement l: Assigned(l.Header, assigned); Assigned(l.Body, assigned); Assigned(l.Step, assigned); break;
                case ReverseLoopStatement l: Assigned(l.Body, assigned); break;
                case RestoreStatement r: assigned.Add(r.Variable); break;
                case InductionStatement i: assigned.Add(i.Variable); break;
            }
        }
    }

    /// <summary>Adds to <paramref name="exposed"/> every variable read before it is assigned; returns what is surely assigned after.</summary>
    static HashSet<string> UpwardExposed(IEnumerable<Statement> statements, HashSet<string> defined, HashSet<string> exposed)
    {
        var current = new HashSet<string>(defined);
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case Assignment a:
                    foreach (var read in Reads(a.Value)) if (!current.Contains(read)) exposed.Add(read);
                    current.Add(a.Target);
                    break;
                case IfStatement i:
                    if (i.Condition is Variable c && !current.Contains(c.Name)) exposed.Add(c.Name);
                    var afterThen = UpwardExposed(i.Then.Statements, current, exposed);
                    var afterElse = UpwardExposed(i.Else.Statements, current, exposed);
                    afterThen.IntersectWith(afterElse);
                    current = afterThen;
                    break;
                case LoopStatement l:
                {
                    // Whatever an inner loop reads may come from before it; what it assigns may not happen at all,
                    // except its header, which runs at least once and computes the condition.
                    var afterHeader = UpwardExposed(l.Header.Statements, current, exposed);
                    if (l.Condition is Variable lc && !afterHeader.Contains(lc.Name)) exposed.Add(lc.Name);
                    UpwardExposed(l.Body.Statements.Concat(l.Step.Statements).Concat(l.Header.Statements), afterHeader, exposed);
                    current = afterHeader;
                    break;
                }
                case ReturnStatement r:
                    if (r.Value is Variable rv && !current.Contains(rv.Name)) exposed.Add(rv.Name);
                    break;
            }
        }

        return current;
    }

    static void ReadsOutside(Block block, LoopStatement loop, HashSet<string> reads)
    {
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case Assignment a: reads.UnionWith(Reads(a.Value)); break;
                case IfStatement i:
                    if (i.Condition is Variable c) reads.Add(c.Name);
                    ReadsOutside(i.Then, loop, reads);
                    ReadsOutside(i.Else, loop, reads);
                    break;
                case LoopStatement l when ReferenceEquals(l, loop):
                    break;
                case LoopStatement l:
                    if (l.Condition is Variable lc) reads.Add(lc.Name);
                    ReadsOutside(l.Header, loop, reads);
                    ReadsOutside(l.Body, loop, reads);
                    ReadsOutside(l.Step, loop, reads);
                    break;
                case ReturnStatement r:
                    if (r.Value is Variable rv) reads.Add(rv.Name);
                    break;
            }
        }
    }

    static IEnumerable<string> Reads(Expression expression) => ExpressionOperands.Names(expression);

    void TransformAssignment(Assignment assignment, List<Statement> forward, List<Statement> reverse)
    {
        var target = assignment.Target;
        var overwritten = Overwritten(target);
        var save = _needed.Contains(target) && overwritten;
        string? slot = null;
        if (save)
        {
            slot = Local("s" + (_slots++).ToString(CultureInfo.InvariantCulture), _types[target]);
            forward.Add(new SaveStatement(target, _types[target], slot));
        }

        forward.Add(assignment.Value is ModelCall call ? assignment with { Value = call with { InputGradient = InputGradientOf(call) } } : assignment);

        var active = _activity.IsActive(target);
        // A tensor rule may read the output, so its target is restored only after the adjoint moved on;
        // lowering gives tensor calls fresh targets, so the target is never also an operand.
        var readsOutput = assignment.Value is TensorCall || assignment.Value is PrimitiveCall primitive && ReadsResult(target, primitive);
        // A copy out of the temporary computed just before repeats that statement's comment.
        var repeatsComment = assignment.Value is CopyExpression && assignment.Source == _previousSource;
        _previousSource = assignment.Source;
        if (active && !repeatsComment) reverse.Add(new CommentStatement("∂ of: " + assignment.Source));
        if (save && !readsOutput) reverse.Add(new RestoreStatement(target, _types[target], slot));
        if (active)
        {
            var adjoint = AdjointOf(target);
            var readsItself = ActivityAnalysis.DifferentiableInputs(assignment.Value).Contains(target);
            string seed;
            // Inside an iteration every adjoint starts from zero again on the next (earlier) iteration.
            if (overwritten || readsItself || _iterationDepth > 0)
            {
                seed = Local("r" + (_seeds++).ToString(CultureInfo.InvariantCulture), _types[target]);
                reverse.Add(new TakeAdjointStatement(seed, adjoint, _types[target]));
            }
            else
            {
                seed = adjoint;
            }

            if (_types[target] == ValueType.Tensor)
            {
                var guarded = new List<Statement>();
                Propagate(assignment.Value, seed, _types[target], guarded, target);
                if (guarded.Count > 0) reverse.Add(new WhenAdjointStatement(seed, new Block(guarded.ToEquatableArray())));
            }
            else
            {
                Propagate(assignment.Value, seed, _types[target], reverse, target);
            }
        }

        if (save && readsOutput) reverse.Add(new RestoreStatement(target, _types[target], slot));
    }

    /// <summary>
    /// Whether <paramref name="target"/> may hold another value than this assignment's when its reverse runs: it is
    /// assigned elsewhere too, is a parameter, is carried into a loop iteration, or is read before this assignment.
    /// </summary>
    bool Overwritten(string target)
        => _assignmentSites[target] > 1 || _parameters.Contains(target) || _iterationInputs.Contains(target) || _readBeforeAssigned.Contains(target);

    /// <summary>
    /// Whether a partial of <paramref name="call"/> is the call itself on its own arguments and the result could be read in its
    /// place: <paramref name="target"/> has the call's type and is not one of its arguments (whose values the partials read too).
    /// </summary>
    bool CanReadResult(string target, PrimitiveCall call)
    {
        var dot = call.Function.IndexOf('.');
        var mathClass = call.Function.Substring(0, dot);
        if (!ScalarRules.TryGet(call.Function.Substring(dot + 1), call.Arguments.Count, out var rule)) return false;
        if (_types[target] != (mathClass == "MathF" ? ValueType.Float : ValueType.Double)) return false;
        if (call.Arguments.Any(a => a is Variable v && v.Name == target)) return false;
        return rule.Partials.Any(p => p is not null && !Equals(ScalarPartials.ReadingResult(p, rule.Name, call.Arguments.Count), p));
    }

    /// <summary>
    /// Whether the reverse of <c>target = call</c> reads <paramref name="target"/> for the call's value: it can, and the target holds
    /// this assignment's value when the reverse runs — assigned only here, or kept and restored (the restore then follows the
    /// adjoint code, as for a tensor rule reading its output).
    /// </summary>
    bool ReadsResult(string target, PrimitiveCall call) => CanReadResult(target, call) && (!Overwritten(target) || _needed.Contains(target));

    /// <summary>
    /// Whether the reverse of <c>target = call</c> passes <paramref name="target"/> to a pullback that starts from the call's
    /// result: the call has one, and the target, assigned only here and not one of the call's arguments, still holds it.
    /// </summary>
    bool ReadsSolution(string target, DifferentiableCall call)
        => call.PullbackAtResult is not null && !Overwritten(target) && !call.Arguments.Any(a => a is Variable v && v.Name == target);

    /// <summary>
    /// Whether a called model computes its input's gradient: not when no adjoint flows there; only on request when
    /// the argument is this model's own input, never reassigned, whose gradient the caller may skip.
    /// </summary>
    CalleeInputGradient InputGradientOf(ModelCall call)
    {
        if (!_activity.IsActive(call.Input)) return CalleeInputGradient.Never;
        var input = ((Variable)call.Input).Name;
        var ownInput = _function.Parameters.Any(p => p.Name == input && !p.IsField) && !_assignmentSites.ContainsKey(input);
        return ownInput ? CalleeInputGradient.WhenRequested : CalleeInputGradient.Always;
    }

    void Propagate(Expression value, string seed, ValueType seedType, List<Statement> reverse, string target)
    {
        var a = new Argument(0);
        var b = new Argument(1);
        switch (value)
        {
            case CopyExpression e when seedType == ValueType.Tensor:
                if (e.Value is Variable copied && _activity.IsActive(copied.Name))
                    reverse.Add(new AccumulateTensorStatement(AdjointOf(copied.Name), ValueType.Tensor, new CopyExpression(new Variable(seed))));
                break;

            case CopyExpression e:
                Accumulate(e.Value, seed, seedType, null, EquatableArray<Operand>.Empty, reverse);
                break;
            case ConvertExpression e:
                Accumulate(e.Value, seed, seedType, null, EquatableArray<Operand>.Empty, reverse);
                break;
            case UnaryExpression { Operator: UnaryOperator.Negate } e:
                Accumulate(e.Operand, seed, seedType, null, EquatableArray<Operand>.Empty, reverse, negate: true);
                break;
            case BinaryExpression e:
            {
                var operands = new[] { e.Left, e.Right }.ToEquatableArray();
                switch (e.Operator)
                {
                    case BinaryOperator.Add:
                        Accumulate(e.Left, seed, seedType, null, operands, reverse);
                        Accumulate(e.Right, seed, seedType, null, operands, reverse);
                        break;
                    case BinaryOperator.Subtract:
                        Accumulate(e.Left, seed, seedType, null, operands, reverse);
                        Accumulate(e.Right, seed, seedType, null, operands, reverse, negate: true);
                        break;
                    case BinaryOperator.Multiply:
                        Accumulate(e.Left, seed, seedType, b, operands, reverse);
                        Accumulate(e.Right, seed, seedType, a, operands, reverse);
                        break;
                    case BinaryOperator.Divide:
                        Accumulate(e.Left, seed, seedType, 1 / (DerivativeExpression)b, operands, reverse);
                        Accumulate(e.Right, seed, seedType, a / (b * b), operands, reverse, negate: true);
                        break;
                    case BinaryOperator.Remainder:
                        // a % b = a − trunc(a / b)·b, and trunc is flat almost everywhere.
                        Accumulate(e.Left, seed, seedType, null, operands, reverse);
                        Accumulate(e.Right, seed, seedType, new MathCall("Truncate", new DerivativeExpression[] { a / b }), operands, reverse, negate: true);
                        break;
                }

                break;
            }

            case PrimitiveCall e:
            {
                var dot = e.Function.IndexOf('.');
                var mathClass = e.Function.Substring(0, dot);
                ScalarRules.TryGet(e.Function.Substring(dot + 1), e.Arguments.Count, out var rule);
                // A partial that calls the primitive on its own arguments reads the forward sweep's result instead
                // (d exp a = exp a, d √a = 1/(2√a)), as long as the target still holds this assignment's value when its
                // reverse runs: assigned only here, so neither restored nor overwritten in between. Inside a loop the
                // reverse iteration recomputes it, exactly where it would have recomputed the call.
                var arguments = e.Arguments;
                var reusesResult = ReadsResult(target, e);
                if (reusesResult) arguments = e.Arguments.Append(new Variable(target)).ToEquatableArray();
                for (var i = 0; i < e.Arguments.Count; i++)
                {
                    if (rule.Partials[i] is not { } partial) continue;
                    if (reusesResult) partial = ScalarPartials.ReadingResult(partial, rule.Name, e.Arguments.Count);
                    Accumulate(e.Arguments[i], seed, seedType, partial, arguments, reverse, mathClass: mathClass);
                }

                break;
            }

            case DifferentiableCall e:
            {
                var adjoints = e.Arguments.Select((argument, i) => AdjointArgumentFor(argument, e.ArgumentHasAdjoint[i])).ToEquatableArray();
                reverse.Add(_iterationDepth == 0 && ReadsSolution(target, e)
                    ? new PullbackCallStatement(e.PullbackAtResult!, e.Arguments.Append(new Variable(target)).ToEquatableArray(), seed, adjoints)
                    : new PullbackCallStatement(e.Pullback, e.Arguments, seed, adjoints));
                break;
            }

            case ModelCall e:
            {
                var inputAdjoint = _activity.IsActive(e.Input) ? AdjointOf(((Variable)e.Input).Name) : null;
                var gradients = _function.ModelFields.First(f => f.Name == e.Field).Gradients;
                reverse.Add(new ModelPullbackStatement(e.Field, e.Sweep, gradients, seed, inputAdjoint));
                break;
            }

            case TensorCall e:
            {
                TensorRules.TryGet(e.Rule, out var rule);
                PropagateDerived(e, rule, seed, reverse, target);
                break;
            }

            case ElementExpression e:
                if (_arrayAdjoints.TryGetValue(e.Array, out var arrayAdjoint))
                    reverse.Add(new AccumulateStatement(arrayAdjoint, e.Index, seed, false, null, EquatableArray<Operand>.Empty, MathClassOf(seedType), _types[e.Array].ElementType(), seedType));
                break;
        }
    }

    /// <summary>The arguments of a derived row that take an adjoint here: active, and with a derivative.</summary>
    List<int> WantedArguments(TensorCall call, TensorRule rule)
        => Enumerable.Range(0, call.Arguments.Count).Where(i => rule.HasDerivative(i) && call.Arguments[i] is Variable v && _activity.IsActive(v.Name)).ToList();

    TensorPullbackDerivation.Result Derive(TensorCall call, TensorRule rule, string seed, string target, List<int> wanted, System.Func<ValueType, string> newLocal)
    {
        if (rule.Pullback is { } pullback)
            return TensorPullbackDerivation.Override(call, rule, pullback, target, wanted, new Variable(seed), OperandType, newLocal, _previousSource ?? "");
        if (!TensorTangentRules.TryGet(call.Rule, out var tangent))
            throw new System.InvalidOperationException($"the row {call.Rule} derives its pullback but has no tangent rule");
        return TensorPullbackDerivation.Derive(call, rule, tangent, target, wanted, new Variable(seed), OperandType, newLocal, _previousSource ?? "");
    }

    ValueType OperandType(Operand operand) => operand switch
    {
        Variable v when _types.TryGetValue(v.Name, out var type) => type,
        Literal l => l.Type,
        _ => ValueType.Double,
    };

    /// <summary>A row's pullback derived from its tangent rule: the partials and transposed linear code, then one accumulation per argument.</summary>
    void PropagateDerived(TensorCall call, TensorRule rule, string seed, List<Statement> reverse, string target)
    {
        var wanted = WantedArguments(call, rule);
        if (wanted.Count == 0) return;
        // The derivation's values are named once it is known which of them stay (see below), so the sweep's r0, r1, …
        // run without gaps.
        var pending = new Dictionary<string, ValueType>();
        var derived = Derive(call, rule, seed, target, wanted, type =>
        {
            var placeholder = "r⟪" + pending.Count.ToString(CultureInfo.InvariantCulture) + "⟫";
            pending[placeholder] = type;
            // Typed like the local it becomes: the derivation asks whether a value it emitted is a tensor.
            _types[placeholder] = type;
            return placeholder;
        });
        // A contribution computed by one call that nothing else reads is that call, kept unevaluated in the accumulation
        // (_d_x = r·W rather than r5 = r·W; _d_x = r5), where a descent step can also fuse it in place.
        var statements = derived.Statements.ToList();
        var contributions = new Dictionary<int, Expression>();
        foreach (var index in wanted)
        {
            if (!derived.Contributions.TryGetValue(index, out var contribution)) continue;
            contributions[index] = new CopyExpression(contribution);
            if (contribution is not Variable value || derived.Contributions.Count(c => Equals(c.Value, contribution)) > 1) continue;
            var definition = statements.FindIndex(st => st is Assignment a && a.Target == value.Name);
            if (definition < 0 || statements.Any(st => st is Assignment a && ExpressionOperands.Names(a.Value).Contains(value.Name))) continue;
            contributions[index] = ((Assignment)statements[definition]).Value;
            statements.RemoveAt(definition);
        }

        var names = new Dictionary<string, string>();
        foreach (var assignment in statements.Cast<Assignment>())
        {
            var local = Local("r" + (_seeds++).ToString(CultureInfo.InvariantCulture), pending[assignment.Target]);
            _types[local] = pending[assignment.Target];
            names[assignment.Target] = local;
        }

        Operand Named(Operand operand) => operand is Variable v && names.TryGetValue(v.Name, out var local) ? new Variable(local) : operand;
        reverse.AddRange(statements.Cast<Assignment>().Select(a => a with { Target = names[a.Target], Value = ExpressionOperands.With(a.Value, Named) }));
        foreach (var contribution in contributions)
        {
            var argument = (Variable)call.Arguments[contribution.Key];
            reverse.Add(new AccumulateTensorStatement(AdjointOf(argument.Name), _types[argument.Name], ExpressionOperands.With(contribution.Value, Named)));
        }
    }

    /// <summary>The primal values a derived row's pullback reads: which arguments, and whether the output.</summary>
    IEnumerable<string> DerivedReads(TensorCall call, TensorRule rule, string target)
    {
        var wanted = WantedArguments(call, rule);
        if (wanted.Count == 0) return Enumerable.Empty<string>();
        var scratch = 0;
        var derived = Derive(call, rule, "seed", target, wanted, _ => "r⟨" + (scratch++).ToString(CultureInfo.InvariantCulture) + "⟩");
        var primal = new HashSet<string>(call.Arguments.OfType<Variable>().Select(v => v.Name)) { target };
        return derived.Statements.OfType<Assignment>().SelectMany(a => ExpressionOperands.Names(a.Value)).Where(primal.Contains).Distinct().ToList();
    }

    AdjointArgument AdjointArgumentFor(Operand argument, bool hasAdjoint)
    {
        if (!hasAdjoint) return new AdjointArgument("", false, null);
        if (argument is Variable v && _types[v.Name].IsArray())
        {
            if (_activity.IsActive(v.Name) && _arrayAdjoints.TryGetValue(v.Name, out var adjoint)) return new AdjointArgument(adjoint, true, null);
            return new AdjointArgument(v.Name, true, Scratch: _types[v.Name].ElementType());
        }

        if (_activity.IsActive(argument)) return new AdjointArgument(AdjointOf(((Variable)argument).Name), false, null);
        var type = argument is Variable variable ? _types[variable.Name] : ((Literal)argument).Type;
        // A tensor that does not vary still takes a tensor adjoint, thrown away.
        if (type == ValueType.Tensor) return new AdjointArgument(Local("_d_unusedT", ValueType.Tensor, reuse: false), false, null) { Discarded = true };
        return new AdjointArgument(Local(type == ValueType.Float ? "_d_unusedF" : "_d_unused", type == ValueType.Float ? ValueType.Float : ValueType.Double, reuse: true), false, null);
    }

    void Accumulate(Operand operand, string seed, ValueType seedType, DerivativeExpression? partial, EquatableArray<Operand> arguments, List<Statement> reverse, bool negate = false, string? mathClass = null)
    {
        if (operand is not Variable v || !_activity.IsActive(v.Name)) return;
        var type = _types[v.Name];
        reverse.Add(new AccumulateStatement(AdjointOf(v.Name), null, seed, negate, partial, arguments, mathClass ?? MathClassOf(type), type, seedType));
    }

    static string MathClassOf(ValueType type) => type == ValueType.Float ? "MathF" : "Math";

    // ---- names ----

    /// <summary>The adjoint of <paramref name="variable"/>: <c>_d_</c> and its name, suffixed where the user's code already uses that name.</summary>
    string AdjointOf(string variable)
    {
        if (_adjointNames.TryGetValue(variable, out var name)) return name;
        name = Unique("_d_" + variable);
        _adjointNames[variable] = name;
        _adjointLocals.Add(name);
        _sweepLocals.Add(new LocalSpec(name, _types[variable]));
        return name;
    }

    /// <summary>A new sweep local; with <paramref name="reuse"/>, the one this sweep already made for <paramref name="preferred"/>.</summary>
    string Local(string preferred, ValueType type, bool reuse = false)
    {
        if (reuse && _scratchNames.TryGetValue(preferred, out var reused)) return reused;
        var name = Unique(preferred);
        if (reuse) _scratchNames[preferred] = name;
        _sweepLocals.Add(new LocalSpec(name, type));
        return name;
    }

    string Unique(string preferred)
    {
        var name = preferred;
        for (var i = 1; !_names.Add(name); i++) name = preferred + "_" + i.ToString(CultureInfo.InvariantCulture);
        return name;
    }
}
