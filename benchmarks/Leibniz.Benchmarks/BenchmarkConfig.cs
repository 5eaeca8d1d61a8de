using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Leibniz.Benchmarks;

/// <summary>The configuration every benchmark here runs under.</summary>
static class BenchmarkConfig
{
    /// <summary>
    /// One in-process launch, 5 warm-up and 10 measured iterations: the project's machines have 2 noisy cores,
    /// so the figures to quote are the ratios to the baseline measured in the same process, not absolute
    /// times. In process because BenchmarkDotNet's default toolchain rebuilds the project into a folder of its
    /// own where TorchSharp's native libraries are not laid out; the glibc malloc thresholds that keep large
    /// tensor buffers from going back to the OS are set by <see cref="MallocTuning"/> at start-up instead of
    /// through the environment of a child process.
    /// </summary>
    public static IConfig Create() =>
        DefaultConfig.Instance
            .AddJob(Job.ShortRun
                .WithWarmupCount(5)
                .WithIterationCount(10)
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithId("Leibniz"))
            .AddColumn(StatisticColumn.Median);
}
