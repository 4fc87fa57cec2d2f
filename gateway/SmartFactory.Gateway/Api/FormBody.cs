using Microsoft.AspNetCore.Http.Features;

namespace SmartFactory.Gateway.Api;

/// <summary>Reads a multipart/form-data body, answering a problem when it is not one, is malformed, or is too large.</summary>
public static class FormBody
{
    public static async Task<(IFormCollection? Form, IResult? Problem)> ReadAsync(HttpRequest request)
    {
        if (!request.HasFormContentType || request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) != true)
            return (null, Problems.Invalid(StatusCodes.Status415UnsupportedMediaType, "multipart/form-data required",
                "send the fields and files as multipart/form-data", []));
        try
        {
            return (await request.ReadFormAsync(request.HttpContext.RequestAborted), null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            var limit = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
            return (null, Problems.Invalid(StatusCodes.Status413PayloadTooLarge, "Request too large",
                limit is { } bytes ? $"the body may be at most {bytes / 1024 / 1024} MiB" : "the body is too large", []));
        }
        catch (InvalidDataException e)
        {
            return (null, Problems.BadRequest(new ProblemField("body", $"is not a readable multipart form: {e.Message}")));
        }
    }

    /// <summary>Reads the form and hands it to <paramref name="handle"/>, or answers the form's problem.</summary>
    public static async Task<IResult> HandleAsync(HttpRequest request, Func<IFormCollection, Task<IResult>> handle)
    {
        var (form, problem) = await ReadAsync(request);
        return problem ?? await handle(form!);
    }
}
