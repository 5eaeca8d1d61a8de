#!/usr/bin/env bash
# Writes a console project with 200 differentiable methods: 100 scalar functions (half with loops
# over arrays, half closed-form with branches), 60 tensor functions and 40 small [Model] MLPs.
#
#   generate-project.sh DIR leibniz VERSION   the methods marked [Differentiable], the package referenced
#   generate-project.sh DIR plain             the same code with no attributes, on TorchSharp-cpu alone
#
# The first scalar function holds the line marked EDIT, which run.sh changes to time an edit-build.
set -euo pipefail

dir=$1
arm=$2
version=${3:-}
torchsharp=0.107.0

mkdir -p "$dir/Scalar" "$dir/Tensors" "$dir/Models"

# Nothing above the project folder (a repository's Directory.Build.* files) reaches it.
for stop in Directory.Build.props Directory.Build.targets Directory.Packages.props; do
    echo '<Project />' > "$dir/$stop"
done

if [[ $arm == leibniz ]]; then
    leibniz_reference="<PackageReference Include=\"Leibniz\" Version=\"[$version]\" />"
else
    leibniz_reference=""
fi

cat > "$dir/BuildTime.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    $leibniz_reference
    <PackageReference Include="TorchSharp-cpu" Version="$torchsharp" />
  </ItemGroup>
</Project>
EOF

# Attributes and the Leibniz namespace exist in the leibniz arm only.
if [[ $arm == leibniz ]]; then
    using_leibniz="using Leibniz;"; differentiable="[Differentiable]"; model="[Model]"; parameter="[Parameter] "
else
    using_leibniz=""; differentiable=""; model=""; parameter=""
fi

cat > "$dir/Program.cs" <<EOF
Console.WriteLine(BuildTime.Scalar.Functions00.Looped000(new[] { 0.5, 1.5 }, 2.0));
EOF

# 100 scalar functions in 10 classes of 10.
for c in $(seq 0 9); do
    class=$(printf 'Functions%02d' "$c")
    {
        echo "$using_leibniz"
        echo
        echo "namespace BuildTime.Scalar;"
        echo
        echo "public static partial class $class"
        echo "{"
        for m in $(seq 0 9); do
            i=$((c * 10 + m))
            n=$(printf '%03d' "$i")
            if (( m % 2 == 0 )); then
                marker=""; (( i == 0 )) && marker=" // EDIT"
                cat <<EOF
    $differentiable
    public static double Looped$n(double[] x, double a)
    {
        var s = 0.0;
        for (var k = 0; k < x.Length; k++)
        {
            var t = Math.Sin(a * x[k]) * x[k] + $i.5 * x[k] * x[k];$marker
            s += t / (1.0 + x[k] * x[k]);
        }

        var i = 0;
        while (i < 3)
        {
            s = s * a - Math.Tanh(s);
            i++;
        }

        return s;
    }

EOF
            else
                cat <<EOF
    $differentiable
    public static double Closed$n(double x, double y)
    {
        var z = Math.Exp(-x * x) * Math.Log(1.0 + y * y) + Math.Tanh(x * y);
        if (z > $i.0) z = Math.Sqrt(z * z + 1.0);
        else z = z * x - y / (1.0 + x * x);
        return Math.Pow(z, 2.0) + Math.Cos(x) * $i.25;
    }

EOF
            fi
        done
        echo "}"
    } > "$dir/Scalar/$class.cs"
done

# 60 tensor functions in 6 classes of 10.
for c in $(seq 0 5); do
    class=$(printf 'Tensors%02d' "$c")
    {
        echo "$using_leibniz"
        echo "using TorchSharp;"
        echo "using static TorchSharp.torch;"
        echo "using static TorchSharp.torch.nn.functional;"
        echo
        echo "namespace BuildTime.Tensors;"
        echo
        echo "public static partial class $class"
        echo "{"
        for m in $(seq 0 9); do
            n=$(printf '%03d' $((c * 10 + m)))
            case $((m % 3)) in
                0) cat <<EOF
    $differentiable
    public static Tensor Layer$n(Tensor x, Tensor w, Tensor b) => relu(linear(x, w, b)).square().mean();

EOF
                ;;
                1) cat <<EOF
    $differentiable
    public static Tensor Loss$n(Tensor logits, Tensor target)
    {
        var p = log_softmax(logits, 1L);
        var q = (p * target).sum(1L);
        return -q.mean() + 0.01 * logits.square().sum();
    }

EOF
                ;;
                2) cat <<EOF
    $differentiable
    public static Tensor Mix$n(Tensor a, Tensor b)
    {
        var h = torch.tanh(a.matmul(b)) + torch.sigmoid(a).matmul(b);
        return (h.exp() * a.sum(1L, keepdim: true)).mean();
    }

EOF
                ;;
            esac
        done
        echo "}"
    } > "$dir/Tensors/$class.cs"
done

# 40 two-layer models.
for i in $(seq 0 39); do
    class=$(printf 'Mlp%02d' "$i")
    cat > "$dir/Models/$class.cs" <<EOF
$using_leibniz
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace BuildTime.Models;

$model
public partial class $class
{
    ${parameter}Tensor w1, b1, w2, b2;

    public $class(int inputs, int hidden, int outputs)
    {
        w1 = randn(hidden, inputs) * 0.1;
        b1 = zeros(hidden);
        w2 = randn(outputs, hidden) * 0.1;
        b2 = zeros(outputs);
    }

    $differentiable
    public Tensor Forward(Tensor x)
    {
        var h = relu(linear(x, w1, b1));
        return linear(h, w2, b2);
    }
}
EOF
done
