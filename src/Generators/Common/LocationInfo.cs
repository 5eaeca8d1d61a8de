using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Leibniz.Generators.Common;

/// <summary>A source location as plain values, so a cached model never holds a <see cref="Location"/>.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    /// <summary>
    /// The location in <paramref name="compilation"/>'s tree of this path, or a path-only location when no
    /// tree has it. An analyzer must report in the tree: <c>#pragma warning disable</c>, generated-code
    /// exclusion and editor squiggles all ignore a location that only names a file.
    /// </summary>
    public Location ToLocation(Compilation compilation)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (tree.FilePath == FilePath) return Location.Create(tree, Span);
        }

        return ToLocation();
    }

    public static LocationInfo? From(Location? location)
    {
        if (location is null || location.SourceTree is null) return null;
        return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
    }
}
