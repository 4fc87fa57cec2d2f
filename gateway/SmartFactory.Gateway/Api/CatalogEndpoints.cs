using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using MiniExcelLibs;
using SmartFactory.Contracts.Catalog.V1;
using SmartFactory.Contracts.Registry.V1;

namespace SmartFactory.Gateway.Api;

/// <summary>
/// REST/JSON for the published catalog (公布名单) under /api/v1/catalog, each route one CatalogService call, all public
/// (no token): search, the permalink of an entry, the lists as announced, exports of a search or a list (CSV with a
/// UTF-8 BOM so that Excel reads Chinese, JSON, XLSX), and an Atom feed of the newest lists. Search pages, lists and
/// entries are cached with an ETag, search and export rate-limited per client (<see cref="CatalogCache"/>).
/// </summary>
public static class CatalogEndpoints
{
    private const string Tag = "Catalog";
    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private const string AtomType = "application/atom+xml; charset=utf-8";
    private static readonly string[] Formats = ["csv", "json", "xlsx"];
    /// <summary>An export may take longer than the default deadline of a call: the whole catalog, row by row.</summary>
    private static readonly TimeSpan ExportDeadline = TimeSpan.FromMinutes(10);

    public static void MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapPublicApiV1(Tag);

        api.MapGet("/catalog/entries", async (CatalogClient catalog, string? q, string? level, string? region, string? industry, int? year, string? status,
            string? authority, string? sort, int? pageSize, string? pageToken) =>
        {
            var problems = new List<ProblemField>();
            var request = new Contracts.Catalog.V1.SearchEntriesRequest
            {
                Q = q ?? "", Level = Wire.Filter<Level>(level, "level", problems), Region = region ?? "", Industry = industry ?? "", Year = year ?? 0,
                Status = status ?? "", Authority = authority ?? "", Sort = sort ?? "", PageSize = pageSize ?? 0, PageToken = pageToken ?? "",
            };
            if (problems.Count > 0) return Problems.BadRequest([.. problems]);
            var response = await catalog.SearchEntriesAsync(request);
            return Results.Ok(new CatalogSearchDto([.. response.Entries.Select(CatalogEntryDto.From)], response.Total, CatalogFacetsDto.From(response.Facets),
                Wire.NullIfEmpty(response.NextPageToken)));
        }).RateLimited("searches", o => o.SearchesPerMinute).Cached().WithName("SearchCatalog").Produces<CatalogSearchDto>().ProducesProblem(StatusCodes.Status400BadRequest);

        // A permalink: once published, always 200 (an ended entry as a tombstone); 404 only for what was never published.
        api.MapGet("/catalog/entries/{id}", async (CatalogClient catalog, string id) =>
            Results.Ok(CatalogEntryDto.From(await catalog.GetEntryAsync(new() { Id = id }))))
            .Cached().WithName("GetCatalogEntry").Produces<CatalogEntryDto>().ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        // The whole search (its filters and order, no paging), as rows are read from the catalog.
        api.MapGet("/catalog/entries/export", async (CatalogClient catalog, HttpContext http, string? format, string? q, string? level, string? region,
            string? industry, int? year, string? status, string? authority, string? sort) =>
        {
            var problems = new List<ProblemField>();
            var kind = Format(format, problems);
            var request = new ExportEntriesRequest
            {
                Search = new SearchEntriesRequest
                {
                    Q = q ?? "", Level = Wire.Filter<Level>(level, "level", problems), Region = region ?? "", Industry = industry ?? "", Year = year ?? 0,
                    Status = status ?? "", Authority = authority ?? "", Sort = sort ?? "",
                },
            };
            if (problems.Count > 0) return Problems.BadRequest([.. problems]);
            return await ExportAsync(catalog, request, kind, "智能工厂名单检索结果", http);
        }).RateLimited("exports", o => o.ExportsPerMinute).WithName("ExportCatalogSearch").Produces(StatusCodes.Status200OK, typeof(Stream), "text/csv", "application/json", XlsxType)
          .ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/catalog/lists", async (CatalogClient catalog, int? year, string? level, int? pageSize, string? pageToken) =>
        {
            var problems = new List<ProblemField>();
            var request = new Contracts.Catalog.V1.ListListsRequest
            {
                Year = year ?? 0, Level = Wire.Filter<Level>(level, "level", problems), PageSize = pageSize ?? 0, PageToken = pageToken ?? "",
            };
            if (problems.Count > 0) return Problems.BadRequest([.. problems]);
            var response = await catalog.ListListsAsync(request);
            return Results.Ok(new CatalogListsDto([.. response.Lists.Select(l => CatalogListDto.From(l, withEntries: false))], Wire.NullIfEmpty(response.NextPageToken)));
        }).Cached().WithName("ListCatalogLists").Produces<CatalogListsDto>().ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/catalog/lists/{id}", async (CatalogClient catalog, string id) =>
            Results.Ok(CatalogListDto.From(await catalog.GetListAsync(new() { Id = id }), withEntries: true)))
            .Cached().WithName("GetCatalogList").Produces<CatalogListDto>().ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/catalog/lists/{id}/export", async (CatalogClient catalog, HttpContext http, string id, string? format) =>
        {
            var problems = new List<ProblemField>();
            var kind = Format(format, problems);
            if (problems.Count > 0) return Problems.BadRequest([.. problems]);
            var list = await catalog.GetListAsync(new() { Id = id });
            return await ExportAsync(catalog, new ExportEntriesRequest { ListId = id }, kind, list.Name, http);
        }).RateLimited("exports", o => o.ExportsPerMinute).WithName("ExportCatalogList").Produces(StatusCodes.Status200OK, typeof(Stream), "text/csv", "application/json", XlsxType)
          .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        // The newest published lists, for feed readers (RFC 4287).
        // The newest published lists and publicity notices (公示), newest first: what a reader of the programme follows.
        api.MapGet("/catalog/feed.atom", async (CatalogClient catalog, NoticesClient notices, HttpContext http) =>
        {
            var lists = (await catalog.ListListsAsync(new() { PageSize = 50 })).Lists;
            var published = (await notices.ListNoticesAsync(new() { PageSize = 50 })).Notices;
            var root = $"{http.Request.Scheme}://{http.Request.Host}/api/v1";
            var entries = lists.Select(l => (Updated: Updated(l.PublishedOn), Title: l.Name, Id: l.Id, Href: $"{root}/catalog/lists/{l.Id}", Author: l.AuthorityName,
                    Summary: $"{l.AuthorityName} {l.PublishedOn}: {l.EntryCount}" + (l.DocumentNumber.Length > 0 ? $" ({l.DocumentNumber})" : "")))
                .Concat(published.Select(n => (Updated: n.PublishedAt.ToDateTimeOffset().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                    Title: n.Title, Id: n.Id, Href: $"{root}/notices/{n.Id}", Author: n.AuthorityRegion,
                    Summary: $"公示 {n.StartsOn} – {n.EndsOn}: {n.Items.Count}")))
                .OrderByDescending(e => DateTimeOffset.Parse(e.Updated, System.Globalization.CultureInfo.InvariantCulture))
                .ToList();
            var text = new StringBuilder();
            using (var xml = XmlWriter.Create(text, new XmlWriterSettings { Indent = true, OmitXmlDeclaration = true }))
            {
                const string atom = "http://www.w3.org/2005/Atom";
                var self = root + "/catalog";
                xml.WriteStartElement("feed", atom);
                xml.WriteElementString("title", atom, "智能工厂公布名单 (published smart factory lists)");
                xml.WriteElementString("id", atom, self + "/feed.atom");
                xml.WriteStartElement("link", atom);
                xml.WriteAttributeString("rel", "self");
                xml.WriteAttributeString("href", self + "/feed.atom");
                xml.WriteEndElement();
                xml.WriteElementString("updated", atom, entries.Count > 0 ? entries[0].Updated : "1970-01-01T00:00:00Z");
                foreach (var entry in entries)
                {
                    xml.WriteStartElement("entry", atom);
                    xml.WriteElementString("title", atom, entry.Title);
                    xml.WriteElementString("id", atom, $"urn:uuid:{entry.Id}");
                    xml.WriteStartElement("link", atom);
                    xml.WriteAttributeString("href", entry.Href);
                    xml.WriteEndElement();
                    xml.WriteElementString("updated", atom, entry.Updated);
                    xml.WriteStartElement("author", atom);
                    xml.WriteElementString("name", atom, entry.Author);
                    xml.WriteEndElement();
                    xml.WriteElementString("summary", atom, entry.Summary);
                    xml.WriteEndElement();
                }
                xml.WriteEndElement();
            }
            return Results.Text("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + text, AtomType, Encoding.UTF8);
        }).WithName("CatalogFeed").Produces(StatusCodes.Status200OK, typeof(string), "application/atom+xml");
    }

    private static string Format(string? format, List<ProblemField> problems)
    {
        var kind = string.IsNullOrEmpty(format) ? "csv" : format;
        if (!Formats.Contains(kind)) problems.Add(new ProblemField("format", $"must be one of {string.Join(", ", Formats)}"));
        return kind;
    }

    // A list's day, at midnight in China.
    private static string Updated(string day) => $"{day}T00:00:00+08:00";

    /// <summary>
    /// Streams the entries as they come from the catalog. The first is awaited before the answer starts, so that a wrong
    /// filter or an unknown list is still a problem with its status, not a broken download.
    /// </summary>
    private static async Task<IResult> ExportAsync(CatalogClient catalog, ExportEntriesRequest request, string kind, string name, HttpContext http)
    {
        var call = catalog.ExportEntries(request, deadline: DateTime.UtcNow + ExportDeadline, cancellationToken: http.RequestAborted);
        bool any;
        try { any = await call.ResponseStream.MoveNext(http.RequestAborted); }
        catch { call.Dispose(); throw; }
        async IAsyncEnumerable<Entry> Rows()
        {
            using (call)
            {
                if (!any) yield break;
                do yield return call.ResponseStream.Current;
                while (await call.ResponseStream.MoveNext(http.RequestAborted));
            }
        }
        return kind switch
        {
            "json" => Results.Stream(stream => JsonSerializer.SerializeAsync(stream, Dtos(Rows()),
                http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions, http.RequestAborted),
                "application/json; charset=utf-8", name + ".json"),
            "xlsx" => Results.Stream(stream => XlsxAsync(stream, Rows(), http.RequestAborted), XlsxType, name + ".xlsx"),
            _ => Results.Stream(stream => CsvAsync(stream, Rows(), http.RequestAborted), "text/csv; charset=utf-8", name + ".csv"),
        };
    }

    private static async IAsyncEnumerable<CatalogEntryDto> Dtos(IAsyncEnumerable<Entry> rows)
    {
        await foreach (var row in rows) yield return CatalogEntryDto.From(row);
    }

    /// <summary>The columns of an export, in Chinese as the lists are published.</summary>
    private static readonly string[] Columns =
        ["企业名称", "工厂名称", "曾用名", "所在地区", "所属行业", "层级", "年度", "认定单位", "状态", "生效日期", "有效期至", "终止日期", "终止原因", "编号"];

    private static string[] Cells(Entry e) =>
    [
        e.EnterpriseName, e.FactoryName, string.Join("；", e.FormerNames), e.RegionName, $"{e.IndustryCode} {e.IndustryName}", Chinese(e.Level),
        e.Year.ToString(CultureInfo.InvariantCulture), e.AuthorityName, StatusName(e.Status), e.EffectiveOn, e.ExpiresOn, e.EndedOn, e.EndReason, e.Id,
    ];

    private static async Task CsvAsync(Stream stream, IAsyncEnumerable<Entry> rows, CancellationToken cancellationToken)
    {
        // UTF-8 with a BOM: without it Excel reads the file as the system's code page and the Chinese is lost.
        await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 16 * 1024);
        await writer.WriteAsync(string.Join(",", Columns) + "\r\n");
        var count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(string.Join(",", Cells(row).Select(Csv)) + "\r\n");
            if (++count % 500 == 0) await writer.FlushAsync(cancellationToken);
        }
    }

    /// <summary>RFC 4180 quoting; a cell a spreadsheet would read as a formula is prefixed with ' (CSV injection).</summary>
    private static string Csv(string cell)
    {
        if (cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r') cell = "'" + cell;
        return cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{cell.Replace("\"", "\"\"")}\"" : cell;
    }

    /// <summary>
    /// MiniExcel writes the workbook row by row from an enumerable, synchronously, into a temporary file (a zip is finished
    /// only at its end); the file then goes out as it is read. Only one row is held at a time.
    /// </summary>
    private static async Task XlsxAsync(Stream stream, IAsyncEnumerable<Entry> rows, CancellationToken cancellationToken)
    {
        var path = Path.GetTempFileName();
        try
        {
            await Task.Run(() =>
            {
                using var file = File.Create(path);
                file.SaveAs(Sheet(rows, cancellationToken), sheetName: "公布名单");
            }, cancellationToken);
            await using var read = File.OpenRead(path);
            await read.CopyToAsync(stream, cancellationToken);
        }
        finally { File.Delete(path); }
    }

    // On a thread-pool thread of its own (XlsxAsync), so waiting for each row here blocks no request.
    private static IEnumerable<Dictionary<string, object>> Sheet(IAsyncEnumerable<Entry> rows, CancellationToken cancellationToken)
    {
        var enumerator = rows.GetAsyncEnumerator(cancellationToken);
        try
        {
            var any = false;
            while (enumerator.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                any = true;
                var cells = Cells(enumerator.Current);
                yield return Columns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => (object)cells[x.i]);
            }
            // An empty export still has its headers.
            if (!any) yield return Columns.ToDictionary(c => c, _ => (object)"");
        }
        finally { enumerator.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
    }

    private static string Chinese(Level level) => level switch
    {
        Level.Basic => "基础级", Level.Advanced => "先进级", Level.Excellent => "卓越级", _ => "领航级",
    };

    private static string StatusName(string status) => status switch
    {
        "active" => "有效", "cultivating" => "培育中", "expired" => "已到期", "cancelled" => "已取消", "revoked" => "已撤销", "removed" => "已移出",
        "superseded" => "已升级", _ => status,
    };
}
