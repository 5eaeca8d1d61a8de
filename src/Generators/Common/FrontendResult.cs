namespace Leibniz.Generators.Common;

/// <summary>What a front end made of one declaration: a spec to emit (null when there is nothing to emit) and diagnostics.</summary>
internal sealed record FrontendResult<TSpec>(TSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics)
    where TSpec : class
{
    public bool HasErrors
    {
        get
        {
            foreach (var diagnostic in Diagnostics)
                if (diagnostic.Descriptor.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error) return true;
            return false;
        }
    }
}
