using SmartFactory.Catalog.Domain;

namespace SmartFactory.Catalog.Data;

/// <summary>
/// The catalog's search engine: PostgreSQL now (trigram-indexed substring match); the Elasticsearch engine is a
/// second implementation of the same contract, to come.
/// </summary>
public interface ICatalogSearch
{
    Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken cancellationToken);
}
