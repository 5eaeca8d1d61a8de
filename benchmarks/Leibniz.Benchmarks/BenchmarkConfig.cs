using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Leibniz.Benchmarks;

/// <summary>The configuration every benchmark here runs under.</summary>
static class BenchmarkConfig
{
    /// <summary>
    /// One launch, 5 warm-up and 10 measured iterations: the project's machines have 2 noisy cores, so the
    /// figures to quote are the ratios to the baseline measured in the same process, not absolute times.
    /// The glibc malloc thresholds stop large buffers going back to the OS between calls, which is the
    /// main source of timing noise with TorchSharp tensors (see NATIVE.md); they are set here so every
    /// Leibniz benchmark runs in the same environment, including those that never touch a tensor.
    /// </summary>
    public static IConfig Create() =>
        DefaultConfig.Instance
            .AddJob(Job.ShortRun
                .WithWarmupCount(5)
                .WithIterationCount(10)
                .WithEnvironmentVariables(
                    new EnvironmentVariable("MALLOC_MMAP_THRESHOLD_", "67108864"),
                    new EnvironmentVariable("MALLOC_TRIM_THRESHOLD_", "134217728"))
                .WithId("Leibniz"))
            .AddColumn(StatisticColumn.Median);
}
