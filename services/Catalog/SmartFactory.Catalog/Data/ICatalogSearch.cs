using SmartFactory.Catalog.Domain;

namespace SmartFactory.Catalog.Data;

/// <summary>
/// The catalog's search engine, chosen by <c>Catalog:Search:Engine</c>: PostgreSQL by default (trigram-indexed substring
/// match, <see cref="PostgresCatalogSearch"/>), or Elasticsearch for scale (<see cref="Elasticsearch.ElasticsearchCatalogSearch"/>).
/// </summary>
public interface ICatalogSearch
{
    Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken cancellationToken);
}
