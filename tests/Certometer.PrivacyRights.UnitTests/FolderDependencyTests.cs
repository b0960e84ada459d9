using System.Text.RegularExpressions;

namespace Certometer.PrivacyRights.UnitTests;

/// <summary>PrivacyRights' feature folders depend on each other one way only, so each can be read without the ones above it.</summary>
public sealed partial class FolderDependencyTests
{
    // Data is the composition point (its DbContext names every entity) and PersonalData the holder implementation,
    // which reads everything it declares; neither is depended on by a feature.
    private static readonly string[] NotFeatures = ["Data", "PersonalData", "Properties", "bin", "obj"];

    [Fact]
    public void No_feature_folder_depends_on_a_folder_that_depends_back_on_it()
    {
        var service = Path.Combine(RepositoryRoot(), "services", "Certometer.PrivacyRights");
        var uses = Directory.GetDirectories(service)
            .Select(Path.GetFileName)
            .Where(folder => !NotFeatures.Contains(folder))
            .ToDictionary(
                folder => folder!,
                folder => Directory.GetFiles(Path.Combine(service, folder!), "*.cs", SearchOption.AllDirectories)
                    .SelectMany(file => UsingOfOwnFolder().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
                    .Where(used => used != folder && !NotFeatures.Contains(used))
                    .ToHashSet());

        uses.Count.ShouldBeGreaterThan(5, "the folders were found");
        var loops = uses.Keys.Select(folder => LoopThrough(folder, uses)).OfType<string>().Distinct().ToList();
        loops.ShouldBeEmpty();
    }

    /// <summary>A path of folders from <paramref name="start"/> back to itself, or null.</summary>
    private static string? LoopThrough(string start, Dictionary<string, HashSet<string>> uses)
    {
        var path = new Stack<string>();
        var seen = new HashSet<string>();
        string? Visit(string folder)
        {
            path.Push(folder);
            foreach (var next in uses.GetValueOrDefault(folder, []))
            {
                if (next == start)
                {
                    return string.Join(" -> ", path.Reverse().Append(start));
                }

                if (seen.Add(next) && Visit(next) is { } loop)
                {
                    return loop;
                }
            }

            path.Pop();
            return null;
        }

        return Visit(start);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Certometer.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The tests run inside the repository.");
    }

    [GeneratedRegex(@"^using Certometer\.PrivacyRights\.(\w+);", RegexOptions.Multiline)]
    private static partial Regex UsingOfOwnFolder();
}
