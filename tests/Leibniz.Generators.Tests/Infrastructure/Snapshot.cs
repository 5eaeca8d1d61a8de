namespace Leibniz.Generators.Tests.Infrastructure;

/// <summary>
/// Snapshot files with Verify's conventions: <c>Snapshots/&lt;name&gt;.verified.cs</c> beside the tests;
/// a mismatch writes <c>.received.cs</c> next to it; set <c>LEIBNIZ_ACCEPT_SNAPSHOTS=1</c> to accept.
/// </summary>
internal static class Snapshot
{
    const string AcceptVariable = "LEIBNIZ_ACCEPT_SNAPSHOTS";

    static string Folder => Path.Combine(TestCompilation.RepositoryRoot, "tests", "Leibniz.Generators.Tests", "Snapshots");

    public static void Verify(string name, string actual)
    {
        var verified = Path.Combine(Folder, name + ".verified.cs");
        var received = Path.Combine(Folder, name + ".received.cs");
        actual = actual.Replace("\r\n", "\n");

        var expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n") : null;
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(verified)!);
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, actual);
        Assert.Fail(expected is null
            ? $"No snapshot {verified} yet. Review {received} and rename it, or run with {AcceptVariable}=1."
            : $"Generated source differs from {verified} at line {FirstDifferentLine(expected, actual)}. Compare with {received}; run with {AcceptVariable}=1 to accept.");
    }

    static int FirstDifferentLine(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var line = 0;
        while (line < a.Length && line < b.Length && a[line] == b[line]) line++;
        return line + 1;
    }
}
