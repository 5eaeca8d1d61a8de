namespace Leibniz.Generators.Common;

/// <summary>The version stamped into <c>[GeneratedCode]</c>; constant so that generated text is deterministic.</summary>
internal static class ThisAssembly
{
    public const string Version = "0.1.0";
}
