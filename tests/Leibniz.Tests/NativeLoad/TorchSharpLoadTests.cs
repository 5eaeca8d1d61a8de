using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.NativeLoad;

public sealed class TorchSharpLoadTests
{
    [Fact]
    public void Tensor_op_and_backward_give_the_closed_form_gradient()
    {
        // d/dx Σ sin(x)·x³ = cos(x)·x³ + 3·sin(x)·x²
        using var x = tensor(new[] { -1.5, -0.2, 0.0, 0.7, 2.0 }, dtype: ScalarType.Float64).requires_grad_();
        using var y = (sin(x) * x.pow(3)).sum();
        y.backward();

        var values = x.detach().data<double>().ToArray();
        var gradient = x.grad!.data<double>().ToArray();
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            var expected = Math.Cos(v) * v * v * v + 3 * Math.Sin(v) * v * v;
            Assert.Equal(expected, gradient[i], 12);
        }
    }

    [Fact]
    public void The_shim_loads_from_the_build_output_without_the_runtime_copy_detour()
    {
        using var _ = ones(2).add(1);
        // TorchSharp copies every native library into cpu/ only when loading from runtimes/ failed.
        var detour = Path.Combine(AppContext.BaseDirectory, "cpu", "libLibTorchSharp.so");
        Assert.False(File.Exists(detour), $"TorchSharp fell back to copying its natives into {detour}: the build output's shim did not load.");
    }
}
