using Leibniz.Generators.Frontend;
using Leibniz.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Leibniz.Generators.Tests.Frontend;

public sealed class KnownSymbolsTests
{
    const string Source = """
        using System;
        using Leibniz;

        namespace Known;

        public static partial class Functions
        {
            [Differentiable]
            public static double Square(double x) => x * x;
        }
        """;

    [Fact]
    public void The_known_symbols_of_a_compilation_are_resolved_once()
    {
        var compilation = TestCompilation.Create(("Functions.cs", Source));

        Assert.Same(KnownSymbols.For(compilation), KnownSymbols.For(compilation));
        Assert.NotSame(KnownSymbols.For(compilation), KnownSymbols.For(compilation.Clone()));
    }

    [Fact]
    public void Every_known_symbol_resolves_against_the_runtime_and_TorchSharp()
    {
        var known = KnownSymbols.For(TestCompilation.Create(("Functions.cs", Source)));
        var unresolved = typeof(KnownSymbols).GetProperties()
            .Where(p => p.PropertyType == typeof(INamedTypeSymbol) && p.GetValue(known) is null)
            .Select(p => p.Name)
            .ToList();

        Assert.Empty(unresolved);
        Assert.True(known.IsMathClass(known.Math));
        Assert.True(known.IsMathClass(known.MathF));
        Assert.False(known.IsMathClass(known.Tensor));
    }

    [Fact]
    public void Attributes_are_recognised_by_symbol()
    {
        var compilation = TestCompilation.Create(("Functions.cs", Source));
        var known = KnownSymbols.For(compilation);
        var square = compilation.GetTypeByMetadataName("Known.Functions")!.GetMembers("Square").Single();

        Assert.True(KnownSymbols.Has(square, known.DifferentiableAttribute));
        Assert.False(KnownSymbols.Has(square, known.ModelAttribute));
        Assert.False(KnownSymbols.Has(square, null));
    }
}
