using System.Reflection;
using Leibniz.Generated;

namespace Leibniz.Fuzzing.Tests.Scalar;

/// <summary>
/// Calls a compiled program and its generated derivatives through reflection, over one flat vector of the program's
/// differentiable inputs (each number parameter, then each array element, in parameter order).
/// </summary>
internal sealed class ScalarProgramRunner
{
    readonly ScalarProgram _program;
    readonly MethodInfo _function;
    readonly MethodInfo _pullback;
    readonly MethodInfo? _tangent;
    readonly MethodInfo? _hessianVectorProduct;

    public ScalarProgramRunner(ScalarProgram program, Type type)
    {
        _program = program;
        MethodInfo Method(string name) => type.GetMethod(name, BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"the generated member {type.Name}.{name} is missing");
        _function = Method("F");
        _pullback = Method("FPullback");
        _tangent = Method("FTangent");
        _hessianVectorProduct = program.WithHessianVectorProduct ? Method("FHessianVectorProduct") : null;
    }

    IEnumerable<ProgramParameter> Differentiable => _program.Parameters.Where(p => p.Kind is ParameterKind.Number or ParameterKind.Array);

    /// <summary>The number of differentiable inputs.</summary>
    public int Dimension => Differentiable.Sum(p => p.Kind == ParameterKind.Array ? ScalarProgram.ArrayLength : 1);

    object Number(double value) => _program.IsFloat ? (object)(float)value : value;

    static double ToDouble(object? value) => value switch
    {
        double d => d,
        float f => f,
        _ => throw new InvalidOperationException($"expected a number, got {value?.GetType().Name ?? "null"}"),
    };

    Array NewArray(IEnumerable<double> values) => _program.IsFloat
        ? values.Select(v => (float)v).ToArray()
        : values.ToArray();

    static IEnumerable<double> Read(Array array) => array.Cast<object>().Select(ToDouble);

    /// <summary>One argument per differentiable parameter taken from <paramref name="flat"/> in order.</summary>
    List<object> Split(double[] flat)
    {
        var arguments = new List<object>();
        var offset = 0;
        foreach (var parameter in Differentiable)
        {
            if (parameter.Kind == ParameterKind.Array)
            {
                arguments.Add(NewArray(flat.Skip(offset).Take(ScalarProgram.ArrayLength)));
                offset += ScalarProgram.ArrayLength;
            }
            else
            {
                arguments.Add(Number(flat[offset++]));
            }
        }

        return arguments;
    }

    static double[] Join(IEnumerable<object?> values) => values.SelectMany(v => v is Array a ? Read(a) : new[] { ToDouble(v) }).ToArray();

    object?[] Primals(double[] x)
    {
        var differentiable = Split(x);
        var next = 0;
        return _program.Parameters.Select(p => p.Kind switch
        {
            ParameterKind.Int => _program.IntArgument,
            ParameterKind.Data => Number(ScalarProgram.DataArgument),
            _ => differentiable[next++],
        }).ToArray();
    }

    static object? Invoke(MethodInfo method, object?[] arguments)
    {
        try
        {
            return method.Invoke(null, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    public double Value(double[] x) => ToDouble(Invoke(_function, Primals(x)));

    /// <summary>Runs the pullback with <paramref name="seed"/> into adjoints that start at <paramref name="initial"/>; returns the value and the adjoints after.</summary>
    public (double Value, double[] Adjoints) Pullback(double[] x, double seed, double[] initial)
    {
        var primals = Primals(x);
        var adjoints = Split(initial);
        var arguments = primals.Append(Number(seed)).Concat(adjoints).ToArray();
        var value = ToDouble(Invoke(_pullback, arguments));
        return (value, Join(arguments.Skip(primals.Length + 1)));
    }

    public double[] Gradient(double[] x) => Pullback(x, 1.0, new double[Dimension]).Adjoints;

    /// <summary>The generated forward mode: the value and the directional derivative along <paramref name="direction"/>.</summary>
    public (double Value, double Tangent) Tangent(double[] x, double[] direction)
    {
        var arguments = Primals(x).Concat(Split(direction)).Append(null).ToArray();
        var value = ToDouble(Invoke(_tangent!, arguments));
        return (value, ToDouble(arguments[^1]));
    }

    public bool HasHessianVectorProduct => _hessianVectorProduct is not null;

    /// <summary>The generated H·v, with the gradient it computes on the way.</summary>
    public (double[] Gradient, double[] Product) HessianVectorProduct(double[] x, double[] direction)
    {
        var primals = Primals(x);
        var outputs = Differentiable.Select(p => p.Kind == ParameterKind.Array ? (object?)NewArray(new double[ScalarProgram.ArrayLength]) : null).ToList();
        var products = Differentiable.Select(p => p.Kind == ParameterKind.Array ? (object?)NewArray(new double[ScalarProgram.ArrayLength]) : null).ToList();
        var arguments = primals.Concat(Split(direction)).Concat(outputs).Concat(products).ToArray();
        Invoke(_hessianVectorProduct!, arguments);
        var count = Differentiable.Count();
        var start = primals.Length + count;
        return (Join(arguments.Skip(start).Take(count)), Join(arguments.Skip(start + count).Take(count)));
    }

    /// <summary>Every thread-local tape's length, so a check can see that a call left them as it found them.</summary>
    public static (int Doubles, int Floats, int Ints, int Bools) TapeLengths()
        => (Tape<double>.Current.Count, Tape<float>.Current.Count, Tape<int>.Current.Count, Tape<bool>.Current.Count);
}
