using System.Collections.Concurrent;
using System.Text;

namespace SmartFactory.Kernel;

/// <summary>
/// States are enums in the code and snake_case words where they leave it (columns, messages, JSON): TookEffect is
/// "took_effect". One spelling, both ways.
/// </summary>
public static class SnakeCase
{
    private static readonly ConcurrentDictionary<Enum, string> Names = new();

    public static string Name<T>(T value) where T : struct, Enum => Names.GetOrAdd(value, v => Convert(v.ToString()));

    public static T Parse<T>(string text) where T : struct, Enum =>
        Enum.GetValues<T>().FirstOrDefault(v => Name(v) == text) is var found && Name(found) == text
            ? found : throw new FormatException($"'{text}' is not a {typeof(T).Name}");

    /// <summary>A step whose first member, None, is written as the empty string ("no procedure under way").</summary>
    public static string StepName<T>(T value) where T : struct, Enum => EqualityComparer<T>.Default.Equals(value, default) ? "" : Name(value);

    public static T ParseStep<T>(string text) where T : struct, Enum => text.Length == 0 ? default : Parse<T>(text);

    private static string Convert(string pascal)
    {
        var snake = new StringBuilder();
        foreach (var c in pascal)
        {
            if (char.IsUpper(c) && snake.Length > 0) snake.Append('_');
            snake.Append(char.ToLowerInvariant(c));
        }
        return snake.ToString();
    }
}
