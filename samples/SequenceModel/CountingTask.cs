using static TorchSharp.torch;

namespace SequenceModel;

/// <summary>
/// The task: sequences of tokens 1…V−1 of random lengths, padded with 0 to a common length; the label says whether the
/// token 1 occurs more often than the token 2 in the unpadded part. Solving it needs a state carried across time steps
/// (a count), and ignoring the padding.
/// </summary>
public static class CountingTask
{
    /// <summary>The padding token: the model's mask is where the tokens differ from it.</summary>
    public const long Padding = 0;

    /// <summary>Draws <paramref name="count"/> sequences of at most <paramref name="length"/> tokens from a vocabulary of <paramref name="vocabulary"/>.</summary>
    /// <returns>Tokens [count, length] (int64, padded with 0 after each sequence's end) and labels [count] (int64, 0 or 1).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size is too small for the task to make sense; the message names it.</exception>
    public static (Tensor Tokens, Tensor Labels) Generate(int count, int length, int vocabulary, int seed)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "Draw at least one sequence.");
        if (length < 2) throw new ArgumentOutOfRangeException(nameof(length), length, "Sequences need at least two tokens to compare counts.");
        if (vocabulary < 3) throw new ArgumentOutOfRangeException(nameof(vocabulary), vocabulary, "The vocabulary needs the padding token and the two counted tokens (3 or more).");

        var random = new Random(seed);
        var tokens = new long[count, length];
        var labels = new long[count];
        for (var i = 0; i < count; i++)
        {
            var used = random.Next(2, length + 1);
            var (ones, twos) = (0, 0);
            for (var t = 0; t < used; t++)
            {
                var token = random.Next(1, vocabulary);
                tokens[i, t] = token;
                if (token == 1) ones++;
                if (token == 2) twos++;
            }

            labels[i] = ones > twos ? 1 : 0;
        }

        return (tensor(tokens), tensor(labels));
    }
}
