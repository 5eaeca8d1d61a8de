using System.Globalization;
using static TorchSharp.torch;

namespace HyperparameterOptimization;

/// <summary>Features and targets of one part of the data set, in float64.</summary>
sealed record Split(Tensor X, Tensor y)
{
    public long Rows => X.shape[0];
}

/// <summary>The shipped regression data set (see data/generate.py), split by row order into training, validation and test parts.</summary>
static class RegressionData
{
    /// <summary>Reads data/regression.csv beside the program: one header line, then rows of features with the target last.</summary>
    public static (Split Train, Split Validation, Split Test) Load(int trainRows, int validationRows)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "data", "regression.csv");
        var rows = File.ReadLines(path)
            .Skip(1)
            .Where(line => line.Length > 0)
            .Select(line => line.Split(',').Select(field => double.Parse(field, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
        var columns = rows[0].Length;
        if (rows.Any(row => row.Length != columns))
            throw new InvalidDataException($"{path}: every row must have {columns} fields");
        if (trainRows + validationRows >= rows.Length)
            throw new InvalidDataException($"{path} has {rows.Length} rows, too few for {trainRows} training and {validationRows} validation rows and a test part");

        var all = tensor(rows.SelectMany(row => row).ToArray(), new long[] { rows.Length, columns }, ScalarType.Float64);
        var features = all[.., ..(columns - 1)];
        var targets = all[.., columns - 1];

        // The file's rows are independent draws, so consecutive blocks are as random a split as a shuffle, and reproducible without a seed.
        Split Part(int start, int end) => new(features[start..end].contiguous(), targets[start..end].contiguous());
        return (Part(0, trainRows), Part(trainRows, trainRows + validationRows), Part(trainRows + validationRows, rows.Length));
    }
}
