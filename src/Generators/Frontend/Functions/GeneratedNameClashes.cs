using System.Collections.Generic;
using System.Linq;
using Leibniz.Generators.Common;
using Leibniz.Generators.Diagnostics;
using Leibniz.Generators.IR.Functions;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Leibniz.Generators.Frontend.Functions;

/// <summary>
/// LZ0112: a member of the user's type with the name of a generated method or class callers reach by name, or, in a model
/// method, an input, field or local (each a field of the generated sweep class) named like a public member of that class.
/// Private generated names are chosen around the user's instead (<see cref="LocalNames"/>), so only these can collide.
/// </summary>
internal static class GeneratedNameClashes
{
    public static EquatableArray<DiagnosticInfo> Find(LoweringContext context, ForwardModeChecks? forward, FunctionSpec spec, MethodDeclarationSyntax declaration)
    {
        var method = context.Method;
        var name = method.Name;
        var generated = new List<(string Name, string What)>();
        if (context.IsModelMethod)
        {
            generated.Add((name + "WithPullback", "method"));
            generated.Add((name + "ThroughGeneratedBackward", "method"));
            generated.Add((name + "Sweep", "sweep class"));
            generated.Add((name + "Function", "autograd function"));
            if (name == "Forward") generated.Add(("TrainStep", "method"));
        }
        else
        {
            generated.Add((name + "WithGradient", "method"));
            generated.Add((name + "Pullback", "method"));
        }

        if (forward is not null)
        {
            generated.Add((name + "Tangent", "method"));
            generated.Add((name + "JacobianVectorProduct", "method"));
            if (context.IsModelMethod) generated.Add((name + "GaussNewtonProduct", "method"));
            if (forward.WantsHessianVectorProduct)
            {
                generated.Add((name + "HessianVectorProduct", "method"));
                if (context.IsModelMethod) generated.Add((name + "LossHessianVectorProduct", "method"));
                generated.Add((name + "JacobianVectorProductPullback", "method"));
                generated.Add((name + "HessianSweepPullback", "method"));
            }
        }

        var clashes = new List<DiagnosticInfo>();
        var location = declaration.Identifier.GetLocation();
        foreach (var (member, what) in generated.Where(g => UserMemberNames.Contains(method.ContainingType, g.Name)))
            clashes.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GeneratedNameTaken, location, member, what, name));

        if (context.IsModelMethod)
        {
            var sweepFields = new HashSet<string>(spec.Parameters.Select(p => p.Name).Concat(spec.Locals.Select(l => l.Name)));
            foreach (var member in GeneratedNames.SweepApi.Where(sweepFields.Contains))
                clashes.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GeneratedNameTaken, location, member, $"member of {name}Sweep", name));
        }

        return clashes.ToEquatableArray();
    }
}
