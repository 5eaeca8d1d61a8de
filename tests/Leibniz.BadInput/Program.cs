using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.BadInput;

/// <summary>
/// Feeds each public generated member a bad argument, one case at a time, and prints what it threw:
/// <c>CASE name</c> before a case runs, then <c>RESULT name|ExceptionType|argument|message</c> (argument: the
/// exception's ParamName or ObjectName). A native abort leaves the last CASE line without its RESULT.
/// </summary>
public static class Program
{
    static readonly List<(string Name, Action Run)> Cases = new();

    static void Case(string name, Action run) => Cases.Add((name, run));

    public static int Main(string[] args)
    {
        manual_seed(7);
        const ScalarType F64 = ScalarType.Float64;
        var model = new SmallMlp();
        Tensor X() => randn(3, 4, dtype: F64);
        Tensor Disposed(params long[] shape) { var t = ones(shape, dtype: F64); t.Dispose(); return t; }
        Tensor? Meta(params long[] shape) => TryMeta(shape);

        // The model: each public member of the sweep, and the module's forward.
        foreach (var (member, run) in new (string, Action<SmallMlp.ForwardSweep, Tensor?>)[]
                 {
                     ("Pullback", (s, seed) => s.Pullback(seed)),
                     ("PullbackInto", (s, seed) => s.PullbackInto(seed, new ModelGradients())),
                     ("Backward", (s, seed) => s.Backward(seed)),
                     ("Descend", (s, seed) => s.Descend(seed, 0.1)),
                 })
        {
            Case($"model.{member}:seed-shape", () => run(model.ForwardWithPullback(X()), ones(3, 4, dtype: F64)));
            Case($"model.{member}:seed-dtype", () => run(model.ForwardWithPullback(X()), ones(3, 5, dtype: ScalarType.Float32)));
            Case($"model.{member}:seed-disposed", () => run(model.ForwardWithPullback(X()), Disposed(3, 5)));
            if (Meta(3, 5) is not null) Case($"model.{member}:seed-device", () => run(model.ForwardWithPullback(X()), Meta(3, 5)));
            Case($"model.{member}:scope-released", () =>
            {
                SmallMlp.ForwardSweep sweep;
                using (NewDisposeScope()) sweep = model.ForwardWithPullback(X());
                run(sweep, null);
            });
        }
        Case("model.PullbackInto:gradients-null", () => model.ForwardWithPullback(X()).PullbackInto(null, null!));
        Case("model.ForwardWithPullback:x-null", () => model.ForwardWithPullback(null!));
        Case("model.ForwardWithPullback:x-disposed", () => model.ForwardWithPullback(Disposed(3, 4)));
        if (Meta(3, 4) is not null) Case("model.ForwardWithPullback:x-device", () => model.ForwardWithPullback(Meta(3, 4)!));
        Case("model.forward:x-null", () => model.call(null!));
        Case("model.forward:x-disposed", () => model.call(Disposed(3, 4)));
        Case("model.parameter-disposed", () =>
        {
            var other = new SmallMlp();
            var sweep = other.ForwardWithPullback(X());
            other.w2.Dispose();
            sweep.Pullback();
        });
        // The same inside autograd's backward(): the process must survive, backward() throw, and the cause be kept.
        Case("model.backward:parameter-disposed", () =>
        {
            var other = new SmallMlp();
            var loss = other.call(X()).sum();
            other.w2.Dispose();
            try
            {
                loss.backward();
            }
            catch (System.Runtime.InteropServices.ExternalException)
            {
                throw Derivatives.LastBackwardFailure ?? new InvalidOperationException("backward() failed with no failure recorded");
            }

            throw new InvalidOperationException("backward() ran over a disposed parameter");
        });

        // A tensor-valued function of two tensors.
        Case("Blend.Pullback:seed-shape", () => { Tensor? dx = null, dy = null; TensorFunctions.BlendPullback(X(), X(), ones(3, 5, dtype: F64), ref dx, ref dy); });
        Case("Blend.Pullback:seed-dtype", () => { Tensor? dx = null, dy = null; TensorFunctions.BlendPullback(X(), X(), ones(3, 4, dtype: ScalarType.Float32), ref dx, ref dy); });
        Case("Blend.Pullback:seed-disposed", () => { Tensor? dx = null, dy = null; TensorFunctions.BlendPullback(X(), X(), Disposed(3, 4), ref dx, ref dy); });
        Case("Blend.Pullback:dx-shape", () => { Tensor? dx = ones(5, dtype: F64), dy = null; TensorFunctions.BlendPullback(X(), X(), null, ref dx, ref dy); });
        Case("Blend.Pullback:dy-dtype", () => { Tensor? dx = null, dy = ones(3, 4, dtype: ScalarType.Float32); TensorFunctions.BlendPullback(X(), X(), null, ref dx, ref dy); });
        Case("Blend.Pullback:dx-disposed", () => { Tensor? dx = Disposed(3, 4), dy = null; TensorFunctions.BlendPullback(X(), X(), null, ref dx, ref dy); });
        Case("Blend.Pullback:x-null", () => { Tensor? dx = null, dy = null; TensorFunctions.BlendPullback(null!, X(), null, ref dx, ref dy); });
        Case("Blend.Pullback:y-disposed", () => { Tensor? dx = null, dy = null; TensorFunctions.BlendPullback(X(), Disposed(3, 4), null, ref dx, ref dy); });
        if (Meta(3, 4) is not null) Case("Blend.Pullback:y-device", () => { Tensor? dx = null, dy = null; TensorFunctions.BlendPullback(X(), Meta(3, 4)!, null, ref dx, ref dy); });
        Case("Blend.WithGradient:x-null", () => TensorFunctions.BlendWithGradient(null!, X(), out _, out _));
        Case("Blend.WithGradient:y-disposed", () => TensorFunctions.BlendWithGradient(X(), Disposed(3, 4), out _, out _));

        // A scalar-valued tensor function: its seed is 0-dimensional.
        Case("Energy.Pullback:seed-shape", () => { Tensor? dx = null; TensorFunctions.EnergyPullback(X(), ones(3, 4, dtype: F64), ref dx); });
        Case("Energy.Pullback:seed-dtype", () => { Tensor? dx = null; TensorFunctions.EnergyPullback(X(), tensor(1.0f), ref dx); });
        Case("Energy.Pullback:dx-shape", () => { Tensor? dx = ones(4, 3, dtype: F64); TensorFunctions.EnergyPullback(X(), null, ref dx); });
        Case("Energy.WithGradient:x-disposed", () => TensorFunctions.EnergyWithGradient(Disposed(3, 4), out _));

        // A scalar function of an array: its gradient buffer.
        Case("Weighted.Pullback:dx-null", () => { double dy = 0; ArrayFunctions.WeightedPullback(new[] { 1.0, 2.0 }, 2, 1.0, null!, ref dy); });
        Case("Weighted.Pullback:dx-short", () => { double dy = 0; ArrayFunctions.WeightedPullback(new[] { 1.0, 2.0 }, 2, 1.0, new double[1], ref dy); });
        Case("Weighted.Pullback:x-null", () => { double dy = 0; ArrayFunctions.WeightedPullback(null!, 2, 1.0, new double[2], ref dy); });
        Case("Weighted.WithGradient:dx-null", () => ArrayFunctions.WeightedWithGradient(new[] { 1.0, 2.0 }, 2, null!, out _));
        Case("Weighted.WithGradient:dx-long", () => ArrayFunctions.WeightedWithGradient(new[] { 1.0, 2.0 }, 2, new double[3], out _));
        Case("Weighted.WithGradient:x-null", () => ArrayFunctions.WeightedWithGradient(null!, 2, new double[2], out _));

        // Forward mode: directions must match what they move.
        Tensor Like(Tensor t) => zeros_like(t);
        Case("model.ForwardTangent:dx-shape", () => model.ForwardTangent(X(), ones(3, 5, dtype: F64), Like(model.w1), Like(model.b1), Like(model.w2), Like(model.b2), out _));
        Case("model.ForwardTangent:dw1-null", () => model.ForwardTangent(X(), Like(X()), null!, Like(model.b1), Like(model.w2), Like(model.b2), out _));
        Case("model.ForwardTangent:db2-dtype", () => model.ForwardTangent(X(), Like(X()), Like(model.w1), Like(model.b1), Like(model.w2), zeros(5), out _));
        Case("model.ForwardTangent:x-null", () => model.ForwardTangent(null!, Like(X()), Like(model.w1), Like(model.b1), Like(model.w2), Like(model.b2), out _));
        Case("model.ForwardJacobianVectorProduct:dw2-disposed", () => model.ForwardJacobianVectorProduct(X(), Like(X()), Like(model.w1), Like(model.b1), Disposed(5, 6), Like(model.b2)));
        Case("Blend.Tangent:dy-shape", () => TensorFunctions.BlendTangent(X(), X(), Like(X()), ones(4, 3, dtype: F64), out _));
        Case("Blend.JacobianVectorProduct:dx-null", () => TensorFunctions.BlendJacobianVectorProduct(X(), X(), null!, Like(X())));
        Case("Weighted.Tangent:dx-short", () => ArrayFunctions.WeightedTangent(new[] { 1.0, 2.0 }, 2, new double[1], 0, out _));
        Case("Weighted.Tangent:x-null", () => ArrayFunctions.WeightedTangent(null!, 2, new double[2], 0, out _));

        // A model whose forward loops keeps per-iteration values on a tape: backward() after the forward's dispose
        // scope ended must still find them, and match TorchSharp's autograd (no exception, the control below).
        Case("control:looped-model-backward-after-the-scope", () =>
        {
            var looped = new LoopedLayer();
            var x = randn(3, 4, dtype: F64);
            Tensor loss;
            using (NewDisposeScope()) loss = looped.call(x).square().sum().MoveToOuterDisposeScope();
            loss.backward();
            var generated = looped.w.grad!.clone();
            looped.w.grad = null;
            looped.Reference(x).square().sum().backward();
            if (!generated.allclose(looped.w.grad!, rtol: 1e-10, atol: 1e-12))
                throw new InvalidOperationException("the looped model's gradient differs from autograd's");
        });

        // A control: good arguments throw nothing, so the driver itself is not what throws.
        Case("control:good-arguments", () =>
        {
            model.ForwardWithPullback(X()).Pullback(ones(3, 5, dtype: F64));
            Tensor? dx = ones(3, 4, dtype: F64), dy = null;
            TensorFunctions.BlendPullback(X(), X(), ones(3, 4, dtype: F64), ref dx, ref dy);
            ArrayFunctions.WeightedPullback(new[] { 1.0, 2.0 }, 2, 1.0, new double[2], ref dy2);
        });

        var only = args.Length > 0 ? args[0] : null;
        foreach (var (name, run) in Cases)
        {
            if (only is not null && name != only) continue;
            Console.WriteLine("CASE " + name);
            Console.Out.Flush();
            string result;
            try
            {
                run();
                result = "NONE||";
            }
            catch (Exception e)
            {
                var argument = e switch { ArgumentException a => a.ParamName, ObjectDisposedException o => o.ObjectName, _ => null };
                result = $"{e.GetType().Name}|{argument}|{e.Message.Replace('\n', ' ').Replace('|', '/')}";
            }
            Console.WriteLine($"RESULT {name}|{result}");
            Console.Out.Flush();
        }
        Console.WriteLine("DONE");
        return 0;
    }

    static double dy2;

    /// <summary>A tensor on the meta device (no storage), to stand for another device where no accelerator is present; null where TorchSharp cannot make one.</summary>
    static Tensor? TryMeta(long[] shape)
    {
        try { return ones(shape, dtype: ScalarType.Float64, device: new Device(DeviceType.META)); }
        catch (Exception) { return null; }
    }
}
