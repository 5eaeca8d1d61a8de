namespace Leibniz;

/// <summary>
/// A generated model's forward hooks, as seen by a model that calls it: <c>call</c> runs them around
/// <c>forward</c>, but a caller's generated sweep runs the called model's sweep directly, so it must know
/// when it would skip them.
/// </summary>
internal interface IForwardHookSource
{
    /// <summary>Whether any forward (pre- or post-) hook is registered.</summary>
    bool HasForwardHooks { get; }
}
