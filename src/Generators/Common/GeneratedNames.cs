namespace Leibniz.Generators.Common;

/// <summary>Generated names that callers reach by name, so they cannot be chosen around the user's.</summary>
internal static class GeneratedNames
{
    /// <summary>The public members of a model method's sweep class; its fields carry the user's input, field and local names.</summary>
    public static readonly string[] SweepApi = { "Output", "Pullback", "PullbackInto", "Backward", "Descend" };
}
