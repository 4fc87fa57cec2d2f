using System.Text.Json;
using System.Text.RegularExpressions;

namespace SmartFactory.Deployment.Tests;

/// <summary>One instruction of a Dockerfile: its keyword (upper case) and the rest of its line(s).</summary>
public sealed record Instruction(string Keyword, string Arguments);

/// <summary>One build stage: FROM, its name, its instructions in order.</summary>
public sealed record DockerStage(string From, string? Name, IReadOnlyList<Instruction> Instructions)
{
    public IEnumerable<string> All(string keyword) => Instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments);
}

/// <summary>
/// A Dockerfile read as Docker reads it, as far as these tests need: comments and line continuations, stages, and the
/// final stage evaluated with a set of build arguments (ARG, ENV, EXPOSE, WORKDIR, USER, ENTRYPOINT). Anything it
/// cannot evaluate fails the test rather than being guessed.
/// </summary>
public sealed class DockerImage
{
    private DockerImage(IReadOnlyList<DockerStage> stages) => Stages = stages;

    public IReadOnlyList<DockerStage> Stages { get; }

    public DockerStage Final => Stages[^1];

    public static DockerImage Parse(string text)
    {
        var logical = new List<string>();
        var current = "";
        foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.TrimEnd();
            // A comment line, even inside a continued instruction; the parser directive (# syntax=…) is one too.
            if (line.TrimStart().StartsWith('#')) continue;
            if (line.EndsWith('\\')) { current += line[..^1] + " "; continue; }
            current += line;
            if (current.Trim().Length > 0) logical.Add(current.Trim());
            current = "";
        }
        if (current.Trim().Length > 0) logical.Add(current.Trim());

        var stages = new List<DockerStage>();
        List<Instruction>? instructions = null;
        foreach (var line in logical)
        {
            var space = line.IndexOf(' ');
            var keyword = (space < 0 ? line : line[..space]).ToUpperInvariant();
            var arguments = space < 0 ? "" : line[(space + 1)..].Trim();
            if (keyword == "FROM")
            {
                var m = Regex.Match(arguments, @"^(\S+)(?:\s+AS\s+(\S+))?$", RegexOptions.IgnoreCase);
                if (!m.Success) throw new Xunit.Sdk.XunitException($"FROM {arguments} is not 'image [AS name]'");
                instructions = [];
                stages.Add(new DockerStage(m.Groups[1].Value, m.Groups[2].Success ? m.Groups[2].Value : null, instructions));
            }
            else (instructions ?? throw new Xunit.Sdk.XunitException($"'{line}' comes before any FROM")).Add(new Instruction(keyword, arguments));
        }
        return stages.Count > 0 ? new DockerImage(stages) : throw new Xunit.Sdk.XunitException("no FROM");
    }

    /// <summary>The names a stage declares with ARG (a default after = is allowed).</summary>
    public static IEnumerable<string> Args(DockerStage stage) => stage.All("ARG").Select(a => a.Split('=')[0].Trim());

    /// <summary>What the final stage makes of these build arguments: the image's environment, ports, directory, user and command.</summary>
    public Evaluated Evaluate(IReadOnlyDictionary<string, string> buildArgs)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        var exposed = new List<int>();
        string? workdir = null, user = null;
        List<string>? entrypoint = null;
        foreach (var (keyword, arguments) in Final.Instructions)
        {
            switch (keyword)
            {
                case "ARG":
                    var (name, fallback) = arguments.Split('=', 2) is [var n, var d] ? (n.Trim(), d) : (arguments.Trim(), (string?)null);
                    variables[name] = buildArgs.TryGetValue(name, out var given) ? given
                        : fallback ?? throw new Xunit.Sdk.XunitException($"build argument {name} has no default and is not given");
                    break;
                case "ENV":
                    foreach (Match m in Regex.Matches(arguments, @"(\w+)=(\S*)"))
                        variables[m.Groups[1].Value] = env[m.Groups[1].Value] = Expand(m.Groups[2].Value, variables);
                    break;
                case "EXPOSE":
                    exposed.AddRange(arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                        .Select(p => int.Parse(Expand(p, variables).Split('/')[0], System.Globalization.CultureInfo.InvariantCulture)));
                    break;
                case "WORKDIR": workdir = Expand(arguments, variables); break;
                case "USER": user = arguments; break; // $APP_UID is the base image's: kept as written
                case "ENTRYPOINT":
                    entrypoint = JsonSerializer.Deserialize<List<string>>(arguments)
                        ?? throw new Xunit.Sdk.XunitException("ENTRYPOINT is not in exec form");
                    break;
            }
        }
        return new Evaluated(env, exposed, workdir, user, entrypoint ?? throw new Xunit.Sdk.XunitException("no ENTRYPOINT in the final stage"));
    }

    /// <summary>${NAME} and $NAME from <paramref name="variables"/>; an unknown name fails.</summary>
    public static string Expand(string text, IReadOnlyDictionary<string, string> variables) =>
        Regex.Replace(text, @"\$\{(\w+)\}|\$(\w+)", m =>
        {
            var name = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
            return variables.TryGetValue(name, out var value) ? value : throw new Xunit.Sdk.XunitException($"${name} is not defined here");
        });

    public sealed record Evaluated(IReadOnlyDictionary<string, string> Env, IReadOnlyList<int> Exposed, string? Workdir, string? User, IReadOnlyList<string> Entrypoint)
    {
        /// <summary>
        /// The process the container starts with these arguments (Kubernetes' args): the entrypoint itself, or for
        /// ["/bin/sh", "-c", "exec …", "--"] the command the shell execs, with the image's environment and "$@" expanded.
        /// </summary>
        public IReadOnlyList<string> Process(params string[] args)
        {
            if (Entrypoint is not ["/bin/sh", "-c", var script, _]) return [.. Entrypoint, .. args];
            var words = Regex.Matches(script, @"""((?:[^""\\]|\\.)*)""|(\S+)").Select(m => m.Groups[1].Success ? (Quoted: true, Text: m.Groups[1].Value) : (Quoted: false, Text: m.Groups[2].Value)).ToList();
            if (words is not [(false, "exec"), ..]) throw new Xunit.Sdk.XunitException($"the entrypoint's shell does not exec its command: {script}");
            var process = new List<string>();
            foreach (var (quoted, text) in words.Skip(1))
            {
                if (text == "$@" && quoted) process.AddRange(args);
                else if (quoted || !text.Contains('$')) process.Add(Expand(text, Env));
                else throw new Xunit.Sdk.XunitException($"unquoted {text} in the entrypoint splits on spaces");
            }
            return process;
        }
    }
}
