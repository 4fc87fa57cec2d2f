using Grpc.Core;
using Microsoft.Extensions.Options;
using SmartFactory.Contracts.Notices.V1;
using SmartFactory.Kernel;
using SmartFactory.Notices.Data;
using SmartFactory.Notices.Jobs;
using SmartFactory.ServiceDefaults;
using SmartFactory.ServiceDefaults.Auth;
using SmartFactory.ServiceDefaults.Grpc;
using Domain = SmartFactory.Notices.Domain;
using RegistryV1 = SmartFactory.Contracts.Registry.V1;
using Role = SmartFactory.Kernel.Role;
using Evidence = SmartFactory.Contracts.Notices.V1.Evidence;

namespace SmartFactory.Notices.Grpc;

public sealed class NoticesOptions
{
    /// <summary>The publicity period in working days when a notice does not say (DOMAIN.md: practice is 5 or 7).</summary>
    public int DefaultLengthWorkingDays { get; set; } = 5;
    /// <summary>Objections one client may file per minute.</summary>
    public int ObjectionsPerMinute { get; set; } = 5;
}

/// <summary>smartfactory.notices.v1.NoticesService.</summary>
public sealed class NoticesService(NoticesStore store, RegistryV1.LifecycleService.LifecycleServiceClient registry, NoticeCloser closer, RateLimits rateLimits,
    IOptions<NoticesOptions> options, TimeProvider time, CalendarCache calendars, CalendarStore calendarStore)
    : Contracts.Notices.V1.NoticesService.NoticesServiceBase
{
    public override async Task<Notice> CreateNotice(CreateNoticeRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var violations = new Violations();
        var startsOn = violations.Date("starts_on", request.StartsOn, required: false);
        var endsOn = violations.Date("ends_on", request.EndsOn, required: false);
        var ids = request.ApplicationIds.Select(id => id.Trim()).ToList();
        var duplicates = ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        // What can be checked without the registry first: each id costs two registry calls below.
        Domain.Notice.CheckRequest(violations, request.Title, ids.Distinct().Count(), duplicates, request.LengthWorkingDays,
            options.Value.DefaultLengthWorkingDays);
        violations.ThrowIfAny();
        var items = new List<Domain.NoticeItem>();
        var deadlines = new List<(string, DateOnly)>();
        foreach (var id in ids.Distinct())
        {
            // Read with the caller's own token: an application outside its scope is simply not found.
            var found = await ApprovedItemAsync(id, context.CancellationToken);
            if (found is not var (item, completeBy)) violations.Add("application_ids", $"'{id}' is not an approved application awaiting publicity in your scope");
            else
            {
                items.Add(item);
                if (completeBy is { } deadline) deadlines.Add((item.FactoryName, deadline));
            }
        }
        var listed = await store.ApplicationsInPublishedNoticesAsync([.. items.Select(i => i.ApplicationId)], context.CancellationToken);
        foreach (var id in listed) violations.Add("application_ids", $"'{id}' is already listed by a notice published and not yet closed");
        violations.ThrowIfAny();

        // Counted on the calendar as the store holds it now: a year the province uploaded a moment ago on another replica included.
        var calendar = (await calendars.CurrentAsync(context.CancellationToken)).Calendar;
        var notice = Domain.Notice.Draft(caller, request.Title, items, duplicates, startsOn, request.LengthWorkingDays,
            options.Value.DefaultLengthWorkingDays, calendar, time.Today(), Guid.CreateVersion7(), Now(), endsOn);
        Domain.RoundDeadline.EnsureEndsInTime(notice.EndsOn, deadlines);
        await store.InsertNoticeAsync(caller, notice, context.CancellationToken);
        return notice.ToMessage();
    }

    public override async Task<Notice> PublishNotice(NoticeActionRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var notice = await NoticeFor(caller, request.Id, context.CancellationToken);
        var published = notice.Publish(caller, request.ExpectedVersion, time.Today(), Now());
        await store.PublishAsync(caller, notice, published, context.CancellationToken);
        return published.ToMessage();
    }

    public override async Task<Notice> GetNotice(GetNoticeRequest request, ServerCallContext context)
    {
        var caller = OptionalCaller(context);
        var notice = await NoticeFor(caller, request.Id, context.CancellationToken);
        return notice.ToMessage(await DeliveriesAsync([notice], caller, context.CancellationToken));
    }

    public override async Task<ListNoticesResponse> ListNotices(ListNoticesRequest request, ServerCallContext context)
    {
        var caller = request.IncludeDrafts ? context.Caller() : null;
        var violations = new Violations();
        var page = Page.Parse(request.PageSize, request.PageToken, violations);
        violations.ThrowIfAny();
        var (notices, total) = await store.ListNoticesAsync(caller, page.Offset, page.Size, context.CancellationToken);
        var deliveries = await DeliveriesAsync(notices, OptionalCaller(context), context.CancellationToken);
        return new ListNoticesResponse
        {
            Notices = { notices.Select(n => n.ToMessage(deliveries)) }, TotalSize = total,
            NextPageToken = page.NextToken(total),
        };
    }

    /// <summary>
    /// Public, no token. Rate-limited per client (<see cref="RateLimits"/>, "notices:objections"); a repeated idempotency key answers the
    /// first receipt, found by the objections' unique key in the database, never in Redis, so it holds while Redis is down
    /// and a repeat counts nothing against the limit. The answer is the receipt only: nothing of the objector comes back.
    /// </summary>
    public override async Task<ObjectionReceipt> FileObjection(FileObjectionRequest request, ServerCallContext context)
    {
        var notice = await NoticeFor(null, request.NoticeId, context.CancellationToken);
        var key = request.IdempotencyKey.Trim();
        if (key.Length > 100) throw new ValidationException([new FieldViolation("idempotency_key", "must be at most 100 characters")]);
        // A key counts for one objector's objection to one item: the same key from someone else files their own.
        var scopedKey = key.Length == 0 ? null : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"{notice.Id}|{request.ItemId}|{request.ContactPhone.Trim()}|{key}")));
        var stored = scopedKey is null ? null : await store.GetObjectionByKeyAsync(scopedKey, context.CancellationToken);
        if (stored is null)
        {
            await EnforceRateLimitAsync(context);
            var today = time.Today();
            var uploads = request.Evidence.Select(e => e.ToDomain()).ToList();
            var objection = Domain.Objection.File(notice, request.ItemId, request.ObjectorName, request.ContactPhone, request.Organisation,
                request.Grounds, uploads, today, Guid.CreateVersion7(), Domain.Objection.NewReceiptNumber(today), Now());
            stored = await store.InsertObjectionAsync(objection, uploads, scopedKey, today, () => Domain.Objection.NewReceiptNumber(today), context.CancellationToken);
        }
        return new ObjectionReceipt
        {
            ReceiptNumber = stored.ReceiptNumber, NoticeId = stored.NoticeId.ToString(), ItemId = stored.ItemId.ToString(),
            FiledAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.SpecifyKind(stored.FiledAt, DateTimeKind.Utc)),
        };
    }

    public override async Task<ListObjectionsResponse> ListObjections(ListObjectionsRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var notice = await NoticeFor(caller, request.NoticeId, context.CancellationToken);
        if (!notice.IsAuthority(caller)) throw new NotFoundException($"notice {request.NoticeId} has no objections you can see");
        return new ListObjectionsResponse { Objections = { (await store.ListObjectionsAsync(notice.Id, context.CancellationToken)).Select(o => o.ToMessage()) } };
    }

    public override async Task<Evidence> GetEvidence(GetEvidenceRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var objection = await ObjectionFor(caller, request.ObjectionId, context.CancellationToken);
        var evidence = Guid.TryParse(request.EvidenceId, out var evidenceId) ? await store.GetEvidenceAsync(objection.Item.Id, evidenceId, context.CancellationToken) : null;
        if (evidence is not { } found) throw new NotFoundException($"evidence {request.EvidenceId} not found");
        return new Evidence { Info = found.Info.ToMessage(), Content = Google.Protobuf.ByteString.CopyFrom(found.Content) };
    }

    public override async Task<Objection> ResolveObjection(ResolveObjectionRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var (objection, notice) = await ObjectionFor(caller, request.Id, context.CancellationToken);
        var resolved = objection.Resolve(notice, caller, request.ExpectedVersion, request.Upheld, request.Reason, Now());
        await store.UpdateObjectionAsync(caller, objection, resolved, context.CancellationToken);
        return resolved.ToMessage();
    }

    public override async Task<Notice> CloseNotice(NoticeActionRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var notice = await NoticeFor(caller, request.Id, context.CancellationToken);
        if (!notice.IsAuthority(caller)) throw new NotFoundException($"notice {request.Id} not found");
        var closed = await closer.CloseAsync(notice, caller, request.ExpectedVersion, context.CancellationToken);
        return closed.ToMessage(await DeliveriesAsync([closed], caller, context.CancellationToken));
    }

    public override async Task<ListFilingsResponse> ListFilings(ListFilingsRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        if (caller.Role is not (Role.Province or Role.Ministry)) return new ListFilingsResponse();
        var filings = await store.ListFilingsAsync(caller.Region, context.CancellationToken);
        return new ListFilingsResponse
        {
            Filings = { filings.Select(f => new SmartFactory.Contracts.Notices.V1.Filing
            {
                Id = f.Id.ToString(), NoticeId = f.NoticeId.ToString(), NoticeTitle = f.NoticeTitle, Level = (RegistryV1.Level)f.Level, FromRegion = f.FromRegion,
                ToRegion = f.ToRegion, ItemsTookEffect = f.ItemsTookEffect, ItemsRejected = f.ItemsRejected,
                FiledAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.SpecifyKind(f.FiledAt, DateTimeKind.Utc)),
            }) },
        };
    }

    /// <summary>Public: the holidays are public information. The province also hears what the calendar is missing.</summary>
    public override async Task<ListCalendarYearsResponse> ListCalendarYears(ListCalendarYearsRequest request, ServerCallContext context)
    {
        var snapshot = await calendars.CurrentAsync(context.CancellationToken);
        var response = new ListCalendarYearsResponse { Years = { snapshot.Years.Select(y => y.ToMessage()) } };
        if (OptionalCaller(context)?.Role == Role.Province)
            response.Warnings.Add(Domain.CalendarRules.Warnings([.. snapshot.Calendar.Years], time.Today()));
        return response;
    }

    /// <summary>
    /// The province (省经信厅) uploads or replaces a year from the State Council's notice; nobody else may. Notices keep
    /// the end they were drafted with (Domain.Notice.EndsOn): a replaced year moves no period already counted.
    /// </summary>
    public override async Task<CalendarYear> PutCalendarYear(PutCalendarYearRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        if (caller.Role != Role.Province) throw new ForbiddenException("only the province uploads the working-day calendar");
        var source = request.Source ?? new CalendarSource();
        var year = Domain.CalendarRules.ParseUpload(request.Year, source.Title, source.DocumentNumber, source.PublishedOn, source.Url,
            [.. request.Holidays.Select(h => ((string?)h.Name, (string?)h.From, (string?)h.To))], [.. request.AdjustedWorkdays], time.Today());
        var (_, after) = await calendarStore.PutAsync(caller, year, request.ExpectedVersion, Now(), context.CancellationToken);
        return after.ToMessage();
    }

    /// <summary>The application as an item of a notice, with its round's deadline in force; null unless it awaits publicity in scope.</summary>
    private async Task<(Domain.NoticeItem Item, DateOnly? CompleteBy)?> ApprovedItemAsync(string applicationId, CancellationToken cancellationToken)
    {
        try
        {
            var application = await registry.GetApplicationAsync(new() { Id = applicationId }, cancellationToken: cancellationToken);
            if (application.RecognitionId.Length == 0) return null;
            var recognition = await registry.GetRecognitionAsync(new() { Id = application.RecognitionId }, cancellationToken: cancellationToken);
            if (recognition.Status != RegistryV1.RecognitionStatus.PendingPublicity) return null;
            return (new Domain.NoticeItem(Guid.CreateVersion7(), 0, Guid.Parse(application.Id), recognition.EnterpriseName, recognition.FactoryName,
                recognition.RegionCode, recognition.IndustryCode, (Domain.RecognitionLevel)(int)recognition.Level, null),
                DateOnly.TryParseExact(application.CompleteBy, "yyyy-MM-dd", out var completeBy) ? completeBy : null);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument)
        {
            return null;
        }
    }

    /// <summary>
    /// Each item's delivery to the registry, for the closed notices the caller published: the authority has to see a
    /// command the registry refused, since the item is then decided here but not there. Nobody else sees deliveries.
    /// </summary>
    private async Task<IReadOnlyDictionary<Guid, string>?> DeliveriesAsync(IReadOnlyList<Domain.Notice> notices, CallerScope? caller, CancellationToken cancellationToken)
    {
        var own = notices.Where(n => caller is not null && n.IsAuthority(caller) && n.Status == Domain.NoticeStatus.Closed).ToList();
        if (own.Count == 0) return null;
        var requests = own.SelectMany(n => n.Items.Select(i => (Item: i.Id, Request: NoticeCloser.RequestId(n.Id, i.Id)))).ToList();
        var deliveries = await store.DeliveriesAsync([.. requests.Select(r => r.Request)], cancellationToken);
        return requests.Where(r => deliveries.ContainsKey(r.Request)).ToDictionary(r => r.Item, r => deliveries[r.Request]);
    }

    /// <summary>Drafts are their authority's only; everyone else, the public included, sees published and closed notices.</summary>
    private async Task<Domain.Notice> NoticeFor(CallerScope? caller, string id, CancellationToken cancellationToken)
    {
        var notice = Guid.TryParse(id, out var guid) ? await store.GetNoticeAsync(guid, cancellationToken) : null;
        if (notice is null || (notice.Status == Domain.NoticeStatus.Draft && (caller is null || !notice.IsAuthority(caller))))
            throw new NotFoundException($"notice {id} not found");
        return notice;
    }

    private async Task<(Domain.Objection Item, Domain.Notice Notice)> ObjectionFor(CallerScope caller, string id, CancellationToken cancellationToken)
    {
        var objection = Guid.TryParse(id, out var guid) ? await store.GetObjectionAsync(guid, cancellationToken) : null;
        var notice = objection is null ? null : await store.GetNoticeAsync(objection.NoticeId, cancellationToken);
        if (objection is null || notice is null || !notice.IsAuthority(caller)) throw new NotFoundException($"objection {id} not found");
        return (objection, notice);
    }

    private async Task EnforceRateLimitAsync(ServerCallContext context)
    {
        // The last X-Forwarded-For entry is the one our gateway appended; earlier ones are whatever the client claimed.
        var client = context.RequestHeaders.GetValue("x-forwarded-for")?.Split(',')[^1].Trim() is { Length: > 0 } forwarded
            ? forwarded
            : context.GetHttpContext().Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (!(await rateLimits.TryAcquireAsync("notices:objections", client, options.Value.ObjectionsPerMinute)).Allowed)
            throw new RpcException(new Status(StatusCode.ResourceExhausted, "too many objections from your address; try again in a minute"));
    }

    private static CallerScope? OptionalCaller(ServerCallContext context) =>
        context.GetHttpContext().User.Identity?.IsAuthenticated == true ? context.Caller() : null;

    // PostgreSQL keeps microseconds: the first answer then says the same time as every later read.
    private DateTime Now()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % 10));
    }
}
