using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Analysis;
using Elastic.Clients.Elasticsearch.Core.Bulk;
using Elastic.Clients.Elasticsearch.IndexManagement;
using Elastic.Clients.Elasticsearch.Mapping;
using Elastic.Transport.Products.Elasticsearch;
using SmartFactory.Catalog.Domain;

namespace SmartFactory.Catalog.Data.Elasticsearch;

/// <summary>
/// The catalog's entries in Elasticsearch, written as the projection applies the feed (the entries a page changed, by bulk,
/// after the page's transaction committed). Searches go to an alias; a rebuild bulk-loads a new index from the read model
/// and switches the alias in one atomic _aliases call, then deletes the old index: readers never see a half-built index.
/// A failed write leaves the index behind PostgreSQL, so the next sync rebuilds it instead of guessing what was lost.
/// </summary>
public sealed class ElasticsearchCatalogIndex(ElasticsearchClient client, TimeProvider time, ILogger<ElasticsearchCatalogIndex> logger)
{
    /// <summary>What searches read; the index behind it is named <c>catalog-entries-{utc time}-{random}</c>.</summary>
    public const string Alias = "catalog-entries";

    public const int BulkSize = 1000;

    private volatile bool aliasChecked; // once per process: a new cluster (or a deleted alias) gets a build first
    private volatile bool behind; // a write failed, or the alias is missing: only a rebuild catches up

    /// <summary>Writes the entries a page of the feed changed; rebuilds first when the index may have missed changes.</summary>
    public async Task SyncAsync(IReadOnlyList<CatalogEntry> changed, Func<IAsyncEnumerable<CatalogEntry>> all, CancellationToken cancellationToken)
    {
        if (!behind && !aliasChecked)
        {
            var exists = await client.Indices.ExistsAliasAsync(new ExistsAliasRequest(Alias), cancellationToken);
            if (exists.ApiCallDetails.HttpStatusCode is not (200 or 404)) throw new InvalidOperationException("Elasticsearch: " + exists.DebugInformation);
            behind = !exists.Exists;
            aliasChecked = true;
        }
        // The read model has committed the changed entries already: a rebuild includes them.
        if (behind) { await RebuildAsync(all(), cancellationToken); return; }
        if (changed.Count == 0) return;
        try { await BulkAsync(Alias, changed, cancellationToken); }
        catch { behind = true; throw; }
    }

    /// <summary>Builds a new index from every entry and switches the alias to it; answers the new index's name.</summary>
    public async Task<string> RebuildAsync(IAsyncEnumerable<CatalogEntry> entries, CancellationToken cancellationToken)
    {
        behind = true; // until the alias points to the new index
        // When it was built, and unique: two rebuilds within one clock tick must not share an index.
        var index = $"{Alias}-{time.GetUtcNow():yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..8]}";
        Check(await client.Indices.CreateAsync(new CreateIndexRequest(index) { Settings = Settings(), Mappings = Mapping() }, cancellationToken), "create the index");
        var batch = new List<CatalogEntry>(BulkSize);
        long count = 0;
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            batch.Add(entry);
            if (batch.Count < BulkSize) continue;
            await BulkAsync(index, batch, cancellationToken);
            count += batch.Count;
            batch.Clear();
        }
        if (batch.Count > 0) await BulkAsync(index, batch, cancellationToken);
        count += batch.Count;

        // The indices the alias points to now (none on the first build: a 404).
        var current = await client.Indices.GetAliasAsync(new GetAliasRequest((Names)Alias), cancellationToken);
        var old = current.IsValidResponse && current.Aliases is not null ? current.Aliases.Keys.Where(k => k != index).ToList() : [];
        var actions = new List<IndexUpdateAliasesAction>();
        actions.AddRange(old.Select(o => new IndexUpdateAliasesAction { Remove = new RemoveAction { Index = o, Alias = Alias } }));
        actions.Add(new IndexUpdateAliasesAction { Add = new AddAction { Index = index, Alias = Alias } });
        Check(await client.Indices.UpdateAliasesAsync(new UpdateAliasesRequest { Actions = actions }, cancellationToken), "switch the alias");
        foreach (var o in old)
        {
            var deleted = await client.Indices.DeleteAsync(new DeleteIndexRequest(o), cancellationToken);
            if (!deleted.IsValidResponse) logger.LogWarning("Old catalog index {Index} not deleted: {Error}", o, deleted.DebugInformation);
        }
        behind = false;
        aliasChecked = true;
        logger.LogInformation("Catalog index {Index} built with {Count} entries behind {Alias}", index, count, Alias);
        return index;
    }

    /// <summary>The analyzer of the .chars sub-fields: cjk's, with single characters kept beside the bigrams.</summary>
    public const string CharsAnalyzer = "cjk_chars";

    /// <summary>
    /// The cjk analyzer indexes Chinese as overlapping bigrams only, so a one-character query ("钢") would find nothing;
    /// <see cref="CharsAnalyzer"/> is the same chain (standard tokenizer, cjk_width, lowercase, cjk_bigram) with the
    /// unigrams kept, for the .chars sub-fields that one-character terms are matched on.
    /// </summary>
    public static IndexSettings Settings() => new()
    {
        Analysis = new IndexSettingsAnalysis
        {
            TokenFilters = new TokenFilters { { "cjk_bigram_unigrams", new CjkBigramTokenFilter { OutputUnigrams = true } } },
            Analyzers = new Analyzers
            {
                { CharsAnalyzer, new CustomAnalyzer { Tokenizer = "standard", Filter = ["cjk_width", "lowercase", "cjk_bigram_unigrams"] } },
            },
        },
    };

    /// <summary>
    /// Names, former names, region and industry names as text through the built-in cjk analyzer (bigrams of Chinese,
    /// words of Latin), each with a keyword sub-field (.raw) for exact sorting and the .chars sub-field for one-character
    /// terms; codes, states, level, year and dates as keywords and numbers for the filters, the facets and the other sorts.
    /// </summary>
    public static TypeMapping Mapping()
    {
        static TextProperty Text() => new()
        {
            Analyzer = "cjk",
            Fields = new Properties { { "raw", new KeywordProperty() }, { "chars", new TextProperty { Analyzer = CharsAnalyzer } } },
        };
        return new TypeMapping
        {
            Dynamic = DynamicMapping.Strict,
            Properties = new Properties
            {
                { "id", new KeywordProperty() }, { "application_id", new KeywordProperty() }, { "factory_id", new KeywordProperty() },
                { "enterprise_id", new KeywordProperty() },
                { "enterprise_name", Text() }, { "factory_name", Text() }, { "former_names", Text() }, { "region_name", Text() }, { "city_name", Text() },
                { "industry_name", Text() }, { "authority_name", Text() },
                { "region_code", new KeywordProperty() }, { "city_code", new KeywordProperty() }, { "industry_code", new KeywordProperty() },
                { "authority_code", new KeywordProperty() }, { "status", new KeywordProperty() }, { "end_reason", new KeywordProperty { Index = false } },
                { "level", new IntegerNumberProperty() }, { "year", new IntegerNumberProperty() },
                { "effective_on", new DateProperty() }, { "expires_on", new DateProperty() }, { "cultivation_ends_on", new DateProperty() },
                { "ended_on", new DateProperty() }, { "published_on", new DateProperty() },
            },
        };
    }

    private async Task BulkAsync(string index, IReadOnlyCollection<CatalogEntry> entries, CancellationToken cancellationToken)
    {
        var response = await client.BulkAsync(new BulkRequest(index)
        {
            Operations = [.. entries.Select(e => new BulkIndexOperation<EntryDocument>(EntryDocument.From(e)) { Id = e.Id.ToString() })],
        }, cancellationToken);
        Check(response, "index entries");
        if (response.Errors)
            throw new InvalidOperationException("Elasticsearch refused entries: " + string.Join("; ",
                response.ItemsWithErrors.Take(5).Select(i => $"{i.Id}: {i.Error?.Reason}")));
    }

    private static void Check(ElasticsearchResponse response, string what)
    {
        if (!response.IsValidResponse) throw new InvalidOperationException($"Elasticsearch could not {what}: {response.DebugInformation}");
    }
}
