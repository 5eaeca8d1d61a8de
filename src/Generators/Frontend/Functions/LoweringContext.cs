using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>
/// The method being lowered and the compilation it is read against: fixed for the whole lowering, so every part of it
/// can hold one without sharing anything that changes.
/// </summary>
internal sealed class LoweringContext
{
    public LoweringContext(IMethodSymbol method, SemanticModel model, CancellationToken cancellationToken)
    {
        Method = method;
        Model = model;
        Known = KnownSymbols.For(model.Compilation);
        CancellationToken = cancellationToken;
        IsModelMethod = !method.IsStatic && KnownSymbols.Has(method.ContainingType, Known.ModelAttribute);
    }

    /// <summary>The assembly whose calls the tensor table differentiates.</summary>
    public const string TorchSharpAssembly = "TorchSharp";

    public IMethodSymbol Method { get; }

    public SemanticModel Model { get; }

    public KnownSymbols Known { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>An instance method of a <c>[Model]</c> class: its <c>[Parameter]</c> fields are inputs, its <c>[Model]</c> fields callees.</summary>
    public bool IsModelMethod { get; }

    public ISymbol? SymbolOf(ExpressionSyntax syntax) => Model.GetSymbolInfo(syntax, CancellationToken).Symbol;

    /// <summary>The type of <paramref name="syntax"/> before any implicit conversion.</summary>
    public ITypeSymbol? NaturalTypeOf(ExpressionSyntax syntax) => Model.GetTypeInfo(syntax, CancellationToken).Type;

    /// <summary>The type of <paramref name="syntax"/> after the implicit conversion its context applies.</summary>
    public ITypeSymbol? ConvertedTypeOf(ExpressionSyntax syntax) => Model.GetTypeInfo(syntax, CancellationToken).ConvertedType;

    public Optional<object?> ConstantOf(ExpressionSyntax syntax) => Model.GetConstantValue(syntax, CancellationToken);

    public IOperation? OperationOf(SyntaxNode syntax) => Model.GetOperation(syntax, CancellationToken);

    /// <summary>
    /// The value of a condition C# knows at compile time (<c>1 &lt;= 1</c>): only the branch it takes is lowered, since the
    /// other would be unreachable code in the generated sweep (CS0162) where the source had a ternary.
    /// </summary>
    public bool? ConstantCondition(ExpressionSyntax condition)
        => ConstantOf(condition) is { HasValue: true, Value: bool value } ? value : null;
}
