using System.Globalization;
using System.Reflection;

namespace Leibniz.Packaging.Tests.Infrastructure;

/// <summary>
/// The <c>Leibniz</c> package, packed once per test run from the runtime project as this test
/// project's build left it, under a version no earlier run used.
/// </summary>
/// <remarks>
/// The version is unique so that the global NuGet cache, which never re-extracts a version it holds,
/// cannot hand a consuming project a stale copy. Everything written for the run — the package, the
/// throwaway projects with their copies of libtorch, and the cache entry — is removed on disposal;
/// leftovers of runs that were killed are swept at the next start.
/// </remarks>
public sealed class PackedLeibniz : IAsyncLifetime
{
    const string PackageId = "Leibniz";
    const string VersionPrefix = "0.0.0-test.";
    static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(3);
    static readonly TimeSpan LeftoverAge = TimeSpan.FromHours(6);

    static string Metadata(string key) => typeof(PackedLeibniz).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public PackedLeibniz()
    {
        // Numeric identifiers without leading zeros: valid SemVer 2, and NuGet's normalised form is the same text.
        Version = VersionPrefix + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        WorkRoot = Path.Combine(TestsTempRoot, Version);
        PackageFolder = Path.Combine(WorkRoot, "feed");
    }

    public static string RepositoryRoot => Metadata("RepositoryRoot");

    public static string Configuration => Metadata("Configuration");

    /// <summary>Outside the repository, so that its Directory.Build.* files reach no throwaway project.</summary>
    static string TestsTempRoot => Path.Combine(Path.GetTempPath(), "leibniz-packaging-tests");

    static string RuntimeProject => Path.Combine(RepositoryRoot, "src", "Runtime", "Leibniz.Runtime.csproj");

    static string GlobalPackagesFolder
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
            return string.IsNullOrEmpty(configured)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages")
                : configured;
        }
    }

    public string Version { get; }

    public string WorkRoot { get; }

    /// <summary>A folder holding only the package: the local source a consuming project adds.</summary>
    public string PackageFolder { get; }

    public string PackagePath => Path.Combine(PackageFolder, $"{PackageId}.{Version}.nupkg");

    /// <summary>How long <c>dotnet pack</c> took.</summary>
    public TimeSpan PackTime { get; private set; }

    /// <summary>A new, empty folder for one throwaway project.</summary>
    public string NewProjectFolder(string name)
    {
        var folder = Path.Combine(WorkRoot, name);
        if (Directory.Exists(folder)) throw new InvalidOperationException($"{folder} is already in use by another test");
        Directory.CreateDirectory(folder);
        return folder;
    }

    public async Task InitializeAsync()
    {
        SweepLeftovers();
        Directory.CreateDirectory(PackageFolder);

        // --no-build packs what the ProjectReference built for this very run. The analyzer assemblies come
        // from the runtime's own references, which that build built too; a missing one fails the pack.
        var pack = await ProcessRunner.DotnetAsync(RepositoryRoot, new[]
        {
            "pack", RuntimeProject, "--no-build",
            "-c", Configuration,
            "-p:Version=" + Version,
            // The nuspec would otherwise pile up in src/Runtime/obj, one per run.
            "-p:NuspecOutputPath=" + Path.Combine(WorkRoot, "nuspec") + Path.DirectorySeparatorChar,
            "-o", PackageFolder,
        }, PackTimeout);

        if (!pack.Succeeded || !File.Exists(PackagePath))
            throw new InvalidOperationException($"Packing {RuntimeProject} failed, or wrote no {PackagePath}. {pack.Describe()}");
        PackTime = pack.Elapsed;
    }

    public Task DisposeAsync()
    {
        DeleteQuietly(WorkRoot);
        DeleteQuietly(CacheEntry(Version));
        try
        {
            // Not recursive: only an empty folder goes, never a concurrent run's entry.
            Directory.Delete(Path.GetDirectoryName(CacheEntry(Version))!, recursive: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }

    static string CacheEntry(string version) => Path.Combine(GlobalPackagesFolder, PackageId.ToLowerInvariant(), version);

    static void SweepLeftovers()
    {
        var cutoff = DateTime.UtcNow - LeftoverAge;
        var packageCache = Path.GetDirectoryName(CacheEntry(VersionPrefix))!;
        foreach (var parent in new[] { TestsTempRoot, packageCache })
        {
            if (!Directory.Exists(parent)) continue;
            foreach (var folder in Directory.EnumerateDirectories(parent, VersionPrefix + "*"))
            {
                if (Directory.GetLastWriteTimeUtc(folder) < cutoff) DeleteQuietly(folder);
            }
        }
    }

    static void DeleteQuietly(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover is swept by a later run; failing the run over it would hide the real result.
        }
    }
}

/// <summary>Shares one <see cref="PackedLeibniz"/> among every test class that packs nothing of its own.</summary>
[CollectionDefinition(Name)]
public sealed class PackedLeibnizCollection : ICollectionFixture<PackedLeibniz>
{
    public const string Name = "Packed Leibniz";
}
