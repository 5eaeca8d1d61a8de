using TorchSharp;
using static TorchSharp.torch;
namespace Leibniz.BadInput;
public static class Program
{
    public static int Main(string[] args)
    {
        var model = new SmallMlp();
        var x = randn(3, 4, dtype: ScalarType.Float64);
        var what = args[0];
        Console.WriteLine("running " + what); Console.Out.Flush();
        try
        {
            switch (what)
            {
                case "seedshape": model.ForwardWithPullback(x).Pullback(ones(3, 4, dtype: ScalarType.Float64)); break;
                case "seeddtype": model.ForwardWithPullback(x).Pullback(ones(3, 5, dtype: ScalarType.Float32)); break;
                case "fnseed": { Tensor? dx = null, dy = null; TensorFunctions.BlendPullback(randn(3,4), randn(3,4), ones(2,2), ref dx, ref dy); break; }
                case "fnadj": { Tensor? dx = ones(5), dy = null; TensorFunctions.BlendPullback(randn(3,4), randn(3,4), null, ref dx, ref dy); break; }
                case "arraynull": { double dy = 0; ArrayFunctions.WeightedPullback(new double[]{1,2}, 2, 1.0, null!, ref dy); break; }
                case "scope":
                {
                    model.w1.requires_grad = true;
                    Tensor loss;
                    using (var scope = NewDisposeScope()) { loss = model.call(x.requires_grad_(true)).sum().MoveToOuterDisposeScope(); }
                    loss.backward();
                    Console.WriteLine(model.w1.grad!.sum().item<double>());
                    break;
                }
            }
            Console.WriteLine("no exception");
        }
        catch (Exception e) { Console.WriteLine($"{e.GetType().Name}: {e.Message}"); }
        return 0;
    }
}
