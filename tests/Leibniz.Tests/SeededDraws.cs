namespace Leibniz.Tests;

/// <summary>
/// Tests that replay a random draw (reseed, then draw the same dropout mask again) need TorchSharp's global generator to
/// themselves: a test running beside them would take numbers between the seed and the draw. This collection runs alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SeededDraws
{
    public const string Name = "Seeded random draws";
}
