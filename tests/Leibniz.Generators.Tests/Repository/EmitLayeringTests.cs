using Leibniz.Generators.Tests.Infrastructure;

namespace Leibniz.Generators.Tests.Repository;

/// <summary>
/// The emitters print IR, nothing more: what to fuse, guard or rewrite is decided by a transform before emission and
/// carried in the specs, so no file of the Emit namespace names the transforms.
/// </summary>
public sealed class EmitLayeringTests
{
    [Fact]
    public void The_emitters_do_not_reach_into_the_transforms()
    {
        var transforms = TransformReferences.TypeNames();
        Assert.Contains("ActivityAnalysis", transforms);
        Assert.Contains("ForwardMode", transforms);
        Assert.True(Directory.EnumerateFiles(Path.Combine(TestCompilation.RepositoryRoot, "src", "Generators", "Emit"), "*.cs").Any());

        var problems = TransformReferences.In("Emit");
        Assert.True(problems.Count == 0,
            "the emitters print IR only; decide what they would compute in a transform the pipeline runs before emission, and carry the result in the spec:\n"
            + string.Join('\n', problems));
    }
}
