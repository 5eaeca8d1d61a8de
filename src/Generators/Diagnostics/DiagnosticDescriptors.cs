using Microsoft.CodeAnalysis;

namespace Leibniz.Generators.Diagnostics;

/// <summary>Every diagnostic Leibniz reports. Each has a page at docs/diagnostics/&lt;id&gt;.md.</summary>
internal static class DiagnosticDescriptors
{
    const string HelpLinkBase = "https://github.com/leibniz-dotnet/leibniz/blob/main/docs/diagnostics/";
    const string ModelCategory = "Leibniz.Model";
    const string GeneratorCategory = "Leibniz.Generator";
    const string DifferentiationCategory = "Leibniz.Differentiation";
    const string ImplicitCategory = "Leibniz.Implicit";

    public static readonly DiagnosticDescriptor ModelMustBePartial = Create(
        "LZ0001", ModelCategory, DiagnosticSeverity.Error,
        "A [Model] class and the types containing it must be partial",
        "'{0}' must be declared partial: the generator adds the module base class and forward() to it");

    public static readonly DiagnosticDescriptor ComponentMustBeTensorField = Create(
        "LZ0002", ModelCategory, DiagnosticSeverity.Error,
        "[Parameter] and [Buffer] must be instance fields of type Tensor",
        "[{0}] field '{1}' must be a non-static, non-readonly field of type Tensor{2}, but it is {3}");

    public static readonly DiagnosticDescriptor ModelNeedsForward = Create(
        "LZ0003", ModelCategory, DiagnosticSeverity.Error,
        "A [Model] class needs one instance method Forward with one parameter",
        "[Model] class '{0}' {1}; declare one instance method 'Forward' that takes one input (a tuple for several) and returns the output");

    public static readonly DiagnosticDescriptor ModelCannotHaveBaseClass = Create(
        "LZ0004", ModelCategory, DiagnosticSeverity.Error,
        "A [Model] class cannot declare its own base class",
        "[Model] class '{0}' declares base class '{1}', but the generator makes it derive from Leibniz.ModelModule<T, TResult>; remove the base class, or drop [Model] and write the module by hand");

    public static readonly DiagnosticDescriptor ModelMustBeInstantiable = Create(
        "LZ0005", ModelCategory, DiagnosticSeverity.Error,
        "A [Model] class must be a non-static class",
        "[Model] cannot be applied to static class '{0}': a module is an object with parameters; remove 'static'");

    public static readonly DiagnosticDescriptor ComponentOutsideModel = Create(
        "LZ0006", ModelCategory, DiagnosticSeverity.Warning,
        "[Parameter] or [Buffer] outside a [Model] class has no effect",
        "[{0}] on field '{1}' has no effect because '{2}' is not marked [Model]; add [Model] to the class or remove the attribute");

    public static readonly DiagnosticDescriptor UnsupportedStatement = Create(
        "LZ0101", DifferentiationCategory, DiagnosticSeverity.Error,
        "This statement cannot be differentiated",
        "'{0}' cannot be differentiated in [Differentiable] method '{1}': {2}");

    public static readonly DiagnosticDescriptor NonDifferentiableCall = Create(
        "LZ0102", DifferentiationCategory, DiagnosticSeverity.Error,
        "A call on a differentiable path has no derivative",
        "'{0}' has no derivative Leibniz knows; {1}");

    public static readonly DiagnosticDescriptor UnsupportedSignature = Create(
        "LZ0103", DifferentiationCategory, DiagnosticSeverity.Error,
        "A [Differentiable] method's signature is not supported",
        "[Differentiable] method '{0}' {1}");

    public static readonly DiagnosticDescriptor DifferentiableMustBeInPartialType = Create(
        "LZ0104", DifferentiationCategory, DiagnosticSeverity.Error,
        "A [Differentiable] method must be in a partial type",
        "'{0}' must be declared partial: the generator adds the derivatives of '{1}' to it");

    public static readonly DiagnosticDescriptor DerivativeSignatureMismatch = Create(
        "LZ0105", DifferentiationCategory, DiagnosticSeverity.Error,
        "A [Derivative] method does not fit the function it differentiates",
        "[Derivative] method '{0}' cannot be the pullback of '{1}': {2}");

    public static readonly DiagnosticDescriptor InPlaceMutation = Create(
        "LZ0106", DifferentiationCategory, DiagnosticSeverity.Error,
        "An in-place tensor operation on a differentiable path",
        "In-place '{0}' overwrites a tensor the generated backward may still read; use the out-of-place '{1}'");

    public static readonly DiagnosticDescriptor IntegerConversion = Create(
        "LZ0107", DifferentiationCategory, DiagnosticSeverity.Warning,
        "A conversion to an integer or bool has a zero derivative",
        "Converting '{0}' to {1} makes its derivative zero; wrap it in NoDerivative(...) if that is intended");

    public static readonly DiagnosticDescriptor ResultIndependentOfInputs = Create(
        "LZ0108", DifferentiationCategory, DiagnosticSeverity.Warning,
        "The result does not depend on the differentiated inputs",
        "The result of '{0}' does not depend on {1}, so its gradient is always zero; check the computation or the Wrt list");

    public static readonly DiagnosticDescriptor ForwardModeUnavailable = Create(
        "LZ0109", DifferentiationCategory, DiagnosticSeverity.Warning,
        "Forward mode cannot follow this code",
        "Forward mode cannot follow '{0}' in '{1}': {2}; only its reverse-mode derivatives are generated");

    public static readonly DiagnosticDescriptor ModelCallWithoutBackward = Create(
        "LZ0110", DifferentiationCategory, DiagnosticSeverity.Error,
        "A [Model] called on a differentiable path has no generated backward",
        "'{0}' cannot be differentiated through the generated backward of [Model] '{1}': {2}");

    public static readonly DiagnosticDescriptor TangentSignatureMismatch = Create(
        "LZ0111", DifferentiationCategory, DiagnosticSeverity.Error,
        "A [Tangent] method does not fit the function it differentiates",
        "[Tangent] method '{0}' cannot be the tangent of '{1}': {2}");

    public static readonly DiagnosticDescriptor GeneratedNameTaken = Create(
        "LZ0112", DifferentiationCategory, DiagnosticSeverity.Error,
        "A user name is the name of a generated member callers use",
        "'{0}' is the name of the generated {1} for '{2}', which callers reach by that name; rename '{0}'");

    public static readonly DiagnosticDescriptor MalformedImplicitLayer = Create(
        "LZ0201", ImplicitCategory, DiagnosticSeverity.Error,
        "An implicit layer is not well formed",
        "Implicit layer '{0}' {1}");

    public static readonly DiagnosticDescriptor ConditionDoesNotFitSolver = Create(
        "LZ0202", ImplicitCategory, DiagnosticSeverity.Error,
        "An implicit layer's condition does not fit its solver",
        "'{0}' cannot be the condition of implicit layer '{1}': {2}");

    public static readonly DiagnosticDescriptor GeneratorFailure = Create(
        "LZ9999", GeneratorCategory, DiagnosticSeverity.Error,
        "The Leibniz generator failed unexpectedly",
        "The Leibniz generator could not process '{0}': {1}. This is a bug in Leibniz; please report it with this message.");

    static DiagnosticDescriptor Create(string id, string category, DiagnosticSeverity severity, string title, string message)
        => new(id, title, message, category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id + ".md");
}
