namespace Leibniz.Fuzzing.Tests.Infrastructure;

/// <summary>
/// How much the differential tests run. The defaults are the fixed-seed budget <c>dotnet test</c> runs;
/// <c>LEIBNIZ_FUZZ_COUNT=N</c> runs N scalar programs (and N/5 tensor chains), <c>LEIBNIZ_FUZZ_SEED=S</c> draws another set.
/// </summary>
internal static class FuzzSettings
{
    public const int DefaultScalarPrograms = 500;

    public const ulong DefaultSeed = 20261205;

    public static int ScalarPrograms => Count ?? DefaultScalarPrograms;

    public static ulong Seed => ulong.TryParse(Environment.GetEnvironmentVariable("LEIBNIZ_FUZZ_SEED"), out var seed) ? seed : DefaultSeed;

    /// <summary><c>LEIBNIZ_FUZZ_REPLAY=seed</c>: check only the program a failure report names, and print its generated code.</summary>
    public static string? Replay => Environment.GetEnvironmentVariable("LEIBNIZ_FUZZ_REPLAY") is { Length: > 0 } seed ? seed : null;

    static int? Count => int.TryParse(Environment.GetEnvironmentVariable("LEIBNIZ_FUZZ_COUNT"), out var count) && count > 0 ? count : null;

    /// <summary>Tensor chains: a fifth of the scalar count when it is set, else the fixed budget.</summary>
    public static int TensorChains(int defaultCount) => Count is { } count ? Math.Max(1, count / 5) : defaultCount;
}
