namespace GoplNet.Time;

/// <summary>
/// One piece of a compiled layout: literal text followed by an element (as written in the
/// layout, for parse errors). Fractional-second elements also carry their digit count and
/// separator ('.' or ',').
/// </summary>
internal readonly record struct LayoutChunk(string Literal, byte[] Utf8Literal, LayoutElement Element, string ElementText, int Digits, char Separator);
