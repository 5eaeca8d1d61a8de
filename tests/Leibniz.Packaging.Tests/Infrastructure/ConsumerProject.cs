using System.Security;

namespace Leibniz.Packaging.Tests.Infrastructure;

/// <summary>
/// A throwaway console project that consumes the packed <c>Leibniz</c> the way a user's project
/// does: a PackageReference, restored through NuGet, built by the plain <c>dotnet</c> CLI.
/// </summary>
internal sealed class ConsumerProject
{
    const string TargetFramework = "net10.0";
    const string BuildConfiguration = "Debug";
    public const string TorchSharpVersion = "0.107.0";

    ConsumerProject(string folder, string name)
    {
        Folder = folder;
        Name = name;
    }

    public string Folder { get; }

    public string Name { get; }

    /// <summary>The built program, for <c>dotnet &lt;dll&gt;</c>.</summary>
    public string Assembly => Path.Combine(OutputFolder, Name + ".dll");

    public string OutputFolder => Path.Combine(Folder, "bin", BuildConfiguration, TargetFramework);

    /// <summary>
    /// Writes the project <paramref name="name"/> with <c>Consumers/&lt;source&gt;/Program.cs</c> as its only source.
    /// </summary>
    /// <param name="withTorchSharpCpu">Whether to reference the CPU backend, as an application that runs must.</param>
    /// <param name="source">The folder under <c>Consumers/</c> that holds the program; <paramref name="name"/> when null.</param>
    /// <param name="properties">MSBuild properties the project sets, as a user's project file would.</param>
    public static ConsumerProject Create(PackedLeibniz package, string name, bool withTorchSharpCpu, string? source = null, IReadOnlyDictionary<string, string>? properties = null)
    {
        var folder = package.NewProjectFolder(name);

        // The local folder is added beside the machine's own sources (no <clear/>), so TorchSharp
        // restores from wherever it restores for a user on this machine.
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="leibniz-under-test" value="{SecurityElement.Escape(package.PackageFolder)}" />
              </packageSources>
            </configuration>
            """);

        // Stop MSBuild's upward search for these files at the project: whatever lies above the
        // temporary folder is no part of a user's project.
        foreach (var stop in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
            File.WriteAllText(Path.Combine(folder, stop), "<Project />\n");

        var torchSharpCpu = withTorchSharpCpu
            ? $"""<PackageReference Include="TorchSharp-cpu" Version="{TorchSharpVersion}" />"""
            : "";
        var extraProperties = string.Concat((properties ?? new Dictionary<string, string>())
            .Select(p => $"<{p.Key}>{SecurityElement.Escape(p.Value)}</{p.Key}>"));
        File.WriteAllText(Path.Combine(folder, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>{TargetFramework}</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                {extraProperties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Leibniz" Version="[{package.Version}]" />
                {torchSharpCpu}
              </ItemGroup>
            </Project>
            """);

        File.Copy(Path.Combine(AppContext.BaseDirectory, "Consumers", source ?? name, "Program.cs"), Path.Combine(folder, "Program.cs"));
        return new ConsumerProject(folder, name);
    }

    /// <summary><c>dotnet build</c>, restore included, as a user runs it.</summary>
    public Task<ProcessResult> BuildAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
        => BuildAsync(timeout, Array.Empty<string>(), cancellationToken);

    /// <summary><c>dotnet build</c> with further arguments (a verbosity, a property).</summary>
    public Task<ProcessResult> BuildAsync(TimeSpan timeout, IEnumerable<string> arguments, CancellationToken cancellationToken = default)
        => ProcessRunner.DotnetAsync(Folder, new[] { "build", "-c", BuildConfiguration, "-nologo" }.Concat(arguments), timeout, cancellationToken);

    /// <summary>Runs the built program; its build output is not mixed into this output, as it would be with <c>dotnet run</c>.</summary>
    public Task<ProcessResult> RunAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
        => ProcessRunner.DotnetAsync(Folder, new[] { Assembly }, timeout, cancellationToken);
}
