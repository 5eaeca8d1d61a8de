using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.Diagnostics;
using Microsoft.CodeAnalysis;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>
/// What a lowering has to say about the method: diagnostics reported as the body is read, and those that hold only if
/// a variable turns out to depend on the differentiated inputs — which only activity analysis, after lowering, can tell.
/// </summary>
internal sealed class LoweringDiagnostics
{
    readonly string _method;
    readonly List<DiagnosticInfo> _reported = new();
    readonly List<ScalarWithoutDerivative> _ifVaried = new();

    public LoweringDiagnostics(string method) => _method = method;

    public bool HasErrors => _reported.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error);

    public void Report(DiagnosticDescriptor descriptor, Location location, params string[] arguments)
        => _reported.Add(DiagnosticInfo.Create(descriptor, location, arguments));

    public void AddRange(IEnumerable<DiagnosticInfo> diagnostics) => _reported.AddRange(diagnostics);

    /// <summary>LZ0101 at <paramref name="node"/>: code the lowering does not support, and <paramref name="why"/>.</summary>
    public void Unsupported(SyntaxNode node, string why)
        => Report(DiagnosticDescriptors.UnsupportedStatement, node.GetLocation(), Shorten(node.ToString()), _method, why);

    /// <summary>
    /// LZ0102 at <paramref name="location"/>: a call of <paramref name="callee"/> (shown as <paramref name="display"/>) with no
    /// derivative, with the remedies that work for it — a TorchSharp operation cannot be marked <c>[Differentiable]</c>,
    /// compiled code cannot be read, and an instance method can have no hand-written <c>[Derivative]</c>.
    /// </summary>
    public void NoDerivative(Location location, string display, IMethodSymbol callee)
        => Report(DiagnosticDescriptors.NonDifferentiableCall, location, display, Remedy(callee));

    const string ZeroRemedy = "wrap the call in NoDerivative(...) if its derivative should be zero";

    static string Remedy(IMethodSymbol callee)
    {
        if (callee.ContainingAssembly?.Name == LoweringContext.TorchSharpAssembly)
            return "Leibniz has no rule for this TorchSharp operation: write it with operations that have one (docs/reverse-mode.md lists them), or " + ZeroRemedy;
        var inSource = callee.Locations.Any(l => l.IsInSource);
        var derivative = callee.IsStatic
            ? inSource ? $"give it a [Derivative(Of = nameof({callee.Name}))], " : $"give it a [Derivative(Of = nameof({callee.Name}), In = typeof({callee.ContainingType.Name}))], "
            : "";
        if (inSource)
            return callee.IsStatic
                ? $"mark it [Differentiable], {derivative}or {ZeroRemedy}"
                : $"make it a static [Differentiable] method, or {ZeroRemedy}";
        return derivative.Length > 0 ? $"{derivative}or {ZeroRemedy}" : ZeroRemedy;
    }

    /// <summary>
    /// A floating-point argument that a tensor rule takes no derivative in: refused only if <paramref name="variable"/> depends on
    /// a differentiated input, for then its share of the derivative would be dropped.
    /// </summary>
    public void UnsupportedIfVaried(string variable, SyntaxNode argument, string api, string parameter)
        => _ifVaried.Add(new ScalarWithoutDerivative(variable, DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedStatement, argument.GetLocation(), Shorten(argument.ToString()), _method,
            $"'{api}' has no derivative in its argument '{parameter}', which depends on the differentiated inputs; pass a value that does not, or wrap it in NoDerivative(...) if its derivative should be zero")));

    /// <summary>Next to an error, a warning about a conversion is noise: the method is not differentiated anyway.</summary>
    public void DropConversionWarnings() => _reported.RemoveAll(d => d.Descriptor == DiagnosticDescriptors.IntegerConversion);

    public EquatableArray<DiagnosticInfo> Reported => _reported.ToEquatableArray();

    public EquatableArray<ScalarWithoutDerivative> IfVaried => _ifVaried.ToEquatableArray();

    /// <summary>The first line of <paramref name="text"/>, cut to what a diagnostic message can quote.</summary>
    public static string Shorten(string text)
    {
        var line = text.Replace("\r", "").Split('\n')[0].Trim();
        return line.Length > 60 ? line.Substring(0, 57) + "..." : line;
    }
}
