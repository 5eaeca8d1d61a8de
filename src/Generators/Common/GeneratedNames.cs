namespace Leibniz.Generators.Common;

/// <summary>Generated names that callers reach by name, so they cannot be chosen around the user's.</summary>
internal static class GeneratedNames
{
    /// <summary>
    /// The members of a model method's sweep class that other code calls by name — its public API, and what a calling
    /// model's sweep and the autograd bridge call on it; the class's fields carry the user's input, field and local names.
    /// </summary>
    public static readonly string[] SweepApi = { "Output", "Pullback", "PullbackInto", "Backward", "Descend", "KeepAlive", "InputReleased", "RestoreInput", "ReleaseIntermediates" };
}
