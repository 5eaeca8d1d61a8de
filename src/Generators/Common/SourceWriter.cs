using System;
using System.Text;

namespace Leibniz.Generators.Common;

/// <summary>Builds generated source text with indentation that must return to zero.</summary>
internal sealed class SourceWriter
{
    const string IndentUnit = "    ";

    readonly StringBuilder _text = new();
    int _indent;

    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            for (var i = 0; i < _indent; i++) _text.Append(IndentUnit);
            _text.Append(line);
        }

        _text.Append('\n');
        return this;
    }

    public SourceWriter OpenBrace()
    {
        Line("{");
        _indent++;
        return this;
    }

    public SourceWriter CloseBrace(string suffix = "")
    {
        if (_indent == 0) throw new InvalidOperationException("A closing brace has no matching opening brace.");
        _indent--;
        Line("}" + suffix);
        return this;
    }

    public override string ToString()
    {
        if (_indent != 0) throw new InvalidOperationException($"Generated source ends {_indent} level(s) deep; a brace was not closed.");
        return _text.ToString();
    }
}
