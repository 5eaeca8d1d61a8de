using System.Diagnostics;
using System.Text;

namespace Leibniz.Packaging.Tests.Infrastructure;

/// <summary>What a finished (or abandoned) child process left behind.</summary>
/// <param name="CommandLine">The command, for messages.</param>
/// <param name="ExitCode">The exit status; meaningless when <paramref name="TimedOut"/>.</param>
/// <param name="TimedOut">The process ran past its limit and its tree was killed.</param>
/// <param name="Output">Standard output and standard error, interleaved as they arrived.</param>
/// <param name="Elapsed">Wall-clock time.</param>
internal sealed record ProcessResult(string CommandLine, int ExitCode, bool TimedOut, string Output, TimeSpan Elapsed)
{
    const int TailLines = 80;

    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>The last lines of the output, headed by the command and its outcome: the body of a failure message.</summary>
    public string Describe()
    {
        var lines = Output.Split('\n');
        var tail = string.Join('\n', lines.Skip(Math.Max(0, lines.Length - TailLines)));
        var outcome = TimedOut ? $"timed out after {Elapsed.TotalSeconds:F0} s" : $"exited with {ExitCode} after {Elapsed.TotalSeconds:F1} s";
        return $"`{CommandLine}` {outcome}; last {TailLines} lines of its output:\n{tail}";
    }
}

/// <summary>Runs the <c>dotnet</c> CLI as a user would, with captured output and a hard time limit.</summary>
internal static class ProcessRunner
{
    // A build can leave long-lived helpers (MSBuild nodes, the compiler server) that inherit the
    // output pipes; waiting for end-of-file on them would then wait for the helpers. Everything the
    // build prints is written before it exits, so only this long is spent draining after exit.
    static readonly TimeSpan DrainAfterExit = TimeSpan.FromSeconds(5);

    /// <summary>
    /// What the <c>dotnet</c> CLI sets for the MSBuild it starts and <c>dotnet test</c> thereby hands
    /// the test host. A user's shell has none of them; the nested CLI sets its own.
    /// </summary>
    static readonly string[] InjectedByTheCli = { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly", "_MSBUILDTLENABLED", "DOTNET_HOST_PATH" };

    public static Task<ProcessResult> DotnetAsync(string workingDirectory, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
        => RunAsync("dotnet", workingDirectory, arguments, timeout, cancellationToken);

    public static async Task<ProcessResult> RunAsync(string fileName, string workingDirectory, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var name in InjectedByTheCli) start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["MSBUILDTERMINALLOGGER"] = "off";

        var commandLine = fileName + " " + string.Join(' ', start.ArgumentList);
        var output = new StringBuilder();
        var outputClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errorClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        using var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(e.Data, outputClosed);
        process.ErrorDataReceived += (_, e) => Append(e.Data, errorClosed);
        process.Exited += (_, _) => exited.TrySetResult();

        var clock = Stopwatch.StartNew();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var timedOut = false;
        try
        {
            await exited.Task.WaitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            try { process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { } // it exited meanwhile
            await exited.Task.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        }

        await Task.WhenAny(Task.WhenAll(outputClosed.Task, errorClosed.Task), Task.Delay(DrainAfterExit, CancellationToken.None));
        clock.Stop();
        cancellationToken.ThrowIfCancellationRequested();

        string text;
        lock (output) text = output.ToString();
        return new ProcessResult(commandLine, timedOut ? -1 : process.ExitCode, timedOut, text, clock.Elapsed);

        void Append(string? line, TaskCompletionSource closed)
        {
            if (line is null) { closed.TrySetResult(); return; }
            lock (output) output.Append(line).Append('\n');
        }
    }
}
