using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace SmartFactory.Gateway.Api;

/// <summary>
/// REST/JSON for the working-day calendar the publicity periods are counted on, each route one NoticesService call:
/// anyone reads it (the holidays are public information), the province uploads or replaces a year.
/// </summary>
public static class CalendarEndpoints
{
    private const string Tag = "Calendar";

    public static void MapCalendarApi(this IEndpointRouteBuilder app)
    {
        app.MapPublicApiV1(Tag).MapGet("/calendar", async (NoticesClient notices) =>
            Results.Ok(CalendarDto.From(await notices.ListCalendarYearsAsync(new()))))
            .WithName("ListCalendarYears").Produces<CalendarDto>().ProducesProblem(StatusCodes.Status401Unauthorized);

        // The year as text: a year that is no number is the service's "year" problem (after the caller's role, as any year's).
        app.MapApiV1(Tag).MapPut("/calendar/{year}", (NoticesClient notices, string year, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<PutCalendarYearBody>(request, json.Value.SerializerOptions, async body =>
                Results.Ok(CalendarYearDto.From(await notices.PutCalendarYearAsync(body.ToRequest(
                    int.TryParse(year, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : 0))))))
            .WithName("PutCalendarYear").Accepts<PutCalendarYearBody>("application/json").Produces<CalendarYearDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
    }
}
