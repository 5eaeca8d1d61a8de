// A user's mistake, built by AnalyzerThroughPackageTests against the packed Leibniz: the [Model]
// class is not partial. Only the package's analyzer can turn that into an error (LZ0001); the C#
// compiler alone accepts this file.
using Leibniz;
using TorchSharp;
using static TorchSharp.torch;

Console.WriteLine("this program must not build");

[Model]
public class NotPartial
{
    [Parameter] Tensor weight = zeros(1);

    public Tensor Forward(Tensor input) => input * weight;
}
