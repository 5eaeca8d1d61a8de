using Leibniz.DeviceCheck;

namespace Leibniz.Tests.Device;

/// <summary>
/// The device check's CPU mode: every family's generated derivatives and the models' training steps against autograd,
/// as the check runs them on a CUDA machine. CI has no GPU; this keeps the check's code built and its comparisons true.
/// </summary>
[Collection(nameof(DeviceCheckCpuModeTests))]
public sealed class DeviceCheckCpuModeTests
{
    [Fact]
    public void Every_comparison_of_the_device_check_passes_on_the_CPU()
    {
        using var output = new StringWriter();
        var exitCode = DeviceCheckProgram.Run(new[] { "--device", "cpu", "--quick" }, output);

        var report = output.ToString();
        Assert.True(exitCode == 0, report);
        Assert.Contains("comparisons passed", report);
        Assert.DoesNotContain("FAIL", report);
        Assert.Contains("MLP training step on CPU", report);
    }

    [Theory]
    [InlineData("--device", "tpu")]
    [InlineData("--fast")]
    public void Unknown_arguments_are_refused_with_the_usage(params string[] arguments)
    {
        using var output = new StringWriter();
        Assert.Equal(2, DeviceCheckProgram.Run(arguments, output));
        Assert.Contains(DeviceCheckProgram.Usage, output.ToString());
    }
}
