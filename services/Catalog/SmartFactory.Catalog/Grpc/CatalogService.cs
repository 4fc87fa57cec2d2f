using System.Globalization;
using System.Text;
using Grpc.Core;
using SmartFactory.Catalog.Data;
using SmartFactory.Catalog.Domain;
using SmartFactory.Catalog.Jobs;
using SmartFactory.Contracts.Catalog.V1;
using SmartFactory.Kernel;
using SmartFactory.ServiceDefaults.Grpc;
using Level = SmartFactory.Catalog.Domain.Level;
using PublishedList = SmartFactory.Contracts.Catalog.V1.PublishedList;
using Role = SmartFactory.Kernel.Role;

namespace SmartFactory.Catalog.Grpc;

/// <summary>smartfactory.catalog.v1.CatalogService: public reads (no token), and the province's rebuild.</summary>
public sealed class CatalogService(CatalogStore store, ICatalogSearch search, FeedPuller feed) : Contracts.Catalog.V1.CatalogService.CatalogServiceBase
{
    public override async Task<SearchEntriesResponse> SearchEntries(SearchEntriesRequest request, ServerCallContext context)
    {
        var query = SearchQuery.Parse(request.Q, (int)request.Level, request.Region, request.Industry, request.Year, request.Status, request.Authority,
            request.Sort, request.PageSize, request.PageToken);
        var result = await search.SearchAsync(query, context.CancellationToken);
        var lists = await store.ListIdsAsync([.. result.Entries.Select(e => e.ApplicationId)], context.CancellationToken);
        var f = result.Facets;
        return new SearchEntriesResponse
        {
            Entries = { result.Entries.Select(e => e.ToMessage(lists[e.ApplicationId], query.Terms, result.Highlights.GetValueOrDefault(e.Id))) },
            Total = result.Total,
            Facets = new Facets
            {
                Level = { f.Level.Select(c => c.ToMessage()) }, Region = { f.Region.Select(c => c.ToMessage()) }, Industry = { f.Industry.Select(c => c.ToMessage()) },
                Year = { f.Year.Select(c => c.ToMessage()) }, Status = { f.Status.Select(c => c.ToMessage()) }, Authority = { f.Authority.Select(c => c.ToMessage()) },
            },
            NextPageToken = result.Next?.Encode() ?? "",
        };
    }

    public override async Task<Entry> GetEntry(GetEntryRequest request, ServerCallContext context)
    {
        var entry = await store.GetEntryAsync(Violations.ParseId(request.Id), context.CancellationToken)
            ?? throw new NotFoundException($"no published entry {request.Id}");
        var lists = await store.ListIdsAsync([entry.ApplicationId], context.CancellationToken);
        return entry.ToMessage(lists[entry.ApplicationId]);
    }

    public override async Task<ListListsResponse> ListLists(ListListsRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        if (request.Year is < 0 or > 9999) violations.Add("year", "must be a year such as 2027");
        if ((int)request.Level is < 0 or > 4) violations.Add("level", "must be basic, advanced, excellent or leading");
        if (request.PageSize is < 0 or > Page.MaxSize) violations.Add("page_size", $"must be between 1 and {Page.MaxSize}");
        (DateOnly, Guid)? after = null;
        if (request.PageToken.Length > 0 && (after = DecodeListToken(request.PageToken)) is null)
            violations.Add("page_token", "is not a token this service issued; start again without one");
        violations.ThrowIfAny();
        var size = request.PageSize == 0 ? Page.DefaultSize : request.PageSize;
        var rows = await store.ListListsAsync(request.Year == 0 ? null : request.Year, request.Level == 0 ? null : (Level)request.Level, after, size + 1,
            context.CancellationToken);
        var page = rows.Take(size).ToList();
        return new ListListsResponse
        {
            Lists = { page.Select(r => r.List.ToMessage(r.Count)) },
            NextPageToken = rows.Count > size ? EncodeListToken(page[^1].List.PublishedOn, page[^1].List.Id) : "",
        };
    }

    public override async Task<PublishedList> GetList(GetListRequest request, ServerCallContext context)
    {
        var found = await store.GetListAsync(Violations.ParseId(request.Id), context.CancellationToken)
            ?? throw new NotFoundException($"no published list {request.Id}");
        var (list, entries) = found;
        var lists = await store.ListIdsAsync([.. entries.Select(e => e.ApplicationId)], context.CancellationToken);
        var message = list.ToMessage(list.ApplicationIds.Count);
        message.Entries.Add(entries.Select(e => e.ToMessage(lists[e.ApplicationId])));
        return message;
    }

    public override async Task ExportEntries(ExportEntriesRequest request, IServerStreamWriter<Entry> responseStream, ServerCallContext context)
    {
        if (request.ListId.Length > 0)
        {
            var found = await store.GetListAsync(Violations.ParseId(request.ListId, "list_id"), context.CancellationToken)
                ?? throw new NotFoundException($"no published list {request.ListId}");
            var lists = await store.ListIdsAsync([.. found.Entries.Select(e => e.ApplicationId)], context.CancellationToken);
            foreach (var entry in found.Entries) await responseStream.WriteAsync(entry.ToMessage(lists[entry.ApplicationId]), context.CancellationToken);
            return;
        }
        var s = request.Search ?? new SearchEntriesRequest();
        var query = SearchQuery.Parse(s.Q, (int)s.Level, s.Region, s.Industry, s.Year, s.Status, s.Authority, s.Sort, Page.MaxSize, null);
        // Page by page through the keyset: one page in memory at a time.
        while (true)
        {
            var result = await search.SearchAsync(query, context.CancellationToken);
            var lists = await store.ListIdsAsync([.. result.Entries.Select(e => e.ApplicationId)], context.CancellationToken);
            foreach (var entry in result.Entries) await responseStream.WriteAsync(entry.ToMessage(lists[entry.ApplicationId], query.Terms), context.CancellationToken);
            if (result.Next is null) return;
            query = query with { After = result.Next };
        }
    }

    /// <summary>Public, as the reads it versions: the gateway's cache key (the applied sequence) for the public answers.</summary>
    public override async Task<GetFeedPositionResponse> GetFeedPosition(GetFeedPositionRequest request, ServerCallContext context)
    {
        var (model, applied) = await store.AnswersVersionAsync(context.CancellationToken);
        return new GetFeedPositionResponse { Model = model, AppliedSequence = applied };
    }

    public override async Task<RebuildResponse> Rebuild(RebuildRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        if (caller.Role != Role.Province) throw new ForbiddenException("the province rebuilds the catalog");
        var position = await feed.RebuildAsync(caller, context.CancellationToken);
        var counts = await store.CountsAsync(context.CancellationToken);
        return new RebuildResponse { AppliedSequence = position.Applied, Entries = counts.Entries, Lists = counts.Lists };
    }

    private static string EncodeListToken(DateOnly on, Guid id) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"{on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}|{id}"));

    private static (DateOnly, Guid)? DecodeListToken(string token)
    {
        try
        {
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(token)).Split('|');
            return parts.Length == 2 && DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var on)
                && Guid.TryParse(parts[1], out var id) ? (on, id) : null;
        }
        catch (FormatException) { return null; }
    }
}
