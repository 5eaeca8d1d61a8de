using Leibniz.Generators.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using static Leibniz.Generators.Tests.Analyzers.AnalyzerTestSetup;

namespace Leibniz.Generators.Tests.Analyzers;

/// <summary>
/// Tensor calls whose arguments are lists, indices or scalars: the forms the tensor table differentiates are accepted,
/// and the ones it cannot differentiate exactly are refused (LZ0101) at the argument or expression, never let through
/// with a derivative missing.
/// </summary>
public sealed class TensorArgumentAnalyzerTests
{
    static DiagnosticResult Unsupported(int location, string code, string method, string why)
        => Diagnostic(DiagnosticDescriptors.UnsupportedStatement).WithLocation(location).WithArguments(code, method, why);

    [Fact]
    public Task Lists_of_dimensions_joins_indices_and_deconstructed_extrema_are_accepted()
        => VerifyAnalyzersAsync(Usings + """
            public static partial class Functions
            {
                [Differentiable]
                public static Tensor F(Tensor x, Tensor y, int k, [NoDerivative] double slope)
                {
                    var (values, indexes) = x.max(1);
                    var (low, _) = x.min(0, keepdim: true);
                    var joined = torch.cat(new[] { x, y }, 1) + torch.stack(new[] { x, y }).sum(0L);
                    var picked = x[.., 1..^1].sum() + x[k, ..k].sum() + x[TensorIndex.Ellipsis, 0].sum() + x.select(1, k).sum() + x.slice(0, 0, 2, 1).sum();
                    var reduced = x.sum(new long[] { 0, 1 }) + x.mean(new long[] { 1 }, keepdim: true).sum() + x.amax(0, 1) + x.amin(new long[] { -1 }).sum();
                    var shaped = x.permute(1, 0).reshape(new long[] { -1 }).sum() + x.max() + torch.min(x);
                    return joined.sum() + values.sum() + low.sum() + (indexes * x.max(-1).values).sum() + picked + reduced + shaped
                        + nn.functional.leaky_relu(x, slope).sum() + nn.functional.softplus(x, 2, 5).sum() + x.addmm(x, y, beta: 0.5f).sum();
                }
            }
            """);

    [Fact]
    public Task Indexing_a_tensor_with_a_tensor_is_refused()
        => VerifyAnalyzersAsync(Usings + """
            public static partial class Functions
            {
                [Differentiable]
                public static Tensor F(Tensor x, [NoDerivative] Tensor rows)
                    => {|#0:x[rows]|}.sum();
            }
            """,
            Unsupported(0, "x[rows]", "F", "indexing a tensor with 'rows': only integers, ranges, ^n and TensorIndex.Slice/Single/Ellipsis/None/Colon are differentiated; for tensor (advanced) indices use index_select or gather"));

    [Fact]
    public Task A_tensor_index_made_by_TensorIndex_Tensor_is_refused()
        => VerifyAnalyzersAsync(Usings + """
            public static partial class Functions
            {
                [Differentiable]
                public static Tensor F(Tensor x, [NoDerivative] Tensor rows)
                    => {|#0:x[TensorIndex.Ellipsis, TensorIndex.Tensor(rows)]|}.sum();
            }
            """,
            Unsupported(0, "x[TensorIndex.Ellipsis, TensorIndex.Tensor(rows)]", "F", "indexing a tensor with 'TensorIndex.Tensor(rows)': only integers, ranges, ^n and TensorIndex.Slice/Single/Ellipsis/None/Colon are differentiated; for tensor (advanced) indices use index_select or gather"));

    [Fact]
    public Task A_slope_that_depends_on_a_differentiated_input_is_refused_rather_than_given_no_derivative()
        => VerifyAnalyzersAsync(Usings + """
            public static partial class Functions
            {
                [Differentiable]
                public static Tensor F(Tensor x, double slope)
                {
                    var s = slope * 2;
                    return nn.functional.leaky_relu(x, {|#0:s|}).sum() + x.pow({|#1:slope|}).sum();
                }
            }
            """,
            Unsupported(0, "s", "F", "'leaky_relu' has no derivative in its argument 'negative_slope', which depends on the differentiated inputs; pass a value that does not, or wrap it in NoDerivative(...) if its derivative should be zero"),
            Unsupported(1, "slope", "F", "'pow' has no derivative in its argument 'exponent', which depends on the differentiated inputs; pass a value that does not, or wrap it in NoDerivative(...) if its derivative should be zero"));

    [Fact]
    public Task A_reduction_that_changes_the_dtype_is_refused()
        => VerifyAnalyzersAsync(Usings + """
            public static partial class Functions
            {
                [Differentiable]
                public static Tensor F(Tensor x)
                    => {|#0:x.sum(new long[] { 0 }, type: ScalarType.Float64)|}.sum();
            }
            """,
            Unsupported(0, "x.sum(new long[] { 0 }, type: ScalarType.Float64)", "F", "'sum' with 'type' set; only its default is differentiated"));

    [Fact]
    public Task Deconstructing_anything_but_a_TorchSharp_tuple_is_refused()
        => VerifyAnalyzersAsync(Usings + """
            public static partial class Functions
            {
                [Differentiable]
                public static Tensor F(Tensor x)
                {
                    {|#0:var (a, b) = (x, x.exp())|};
                    return a + b;
                }
            }
            """,
            Unsupported(0, "var (a, b) = (x, x.exp())", "F", "deconstructing anything but a model method's tuple input or a TorchSharp call returning a tuple of tensors (max(dim), min(dim))"));
}
