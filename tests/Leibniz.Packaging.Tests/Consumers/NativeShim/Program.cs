// Built by NativeLoadFixTests against the packed Leibniz, with TorchSharp but no backend: what matters
// is the copy of TorchSharp's native shim the build leaves in the output, not running the program.
using Leibniz;

Console.WriteLine(Functions.Square(3.0));

static partial class Functions
{
    [Differentiable]
    public static double Square(double x) => x * x;
}
