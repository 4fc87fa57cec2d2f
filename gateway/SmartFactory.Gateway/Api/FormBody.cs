namespace SmartFactory.Gateway.Api;

/// <summary>
/// Reads a multipart/form-data body. A body that is not one, or is over the route's limit, throws as it is read, and
/// <see cref="ProblemExceptionHandler"/> answers the problem.
/// </summary>
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
        // The multipart reader tells of a body that ends before the form's closing boundary with a bare IOException, and
        // Kestrel of broken chunked framing, as a failing disk would (large files are buffered there): the body is by far
        // the likelier.
        catch (IOException e) when (e is not BadHttpRequestException && !request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            throw new InvalidDataException("it ends before the form's closing boundary, or its framing is broken", e);
        }
    }

    /// <summary>Reads the form and hands it to <paramref name="handle"/>, or answers the form's problem.</summary>
    public static async Task<IResult> HandleAsync(HttpRequest request, Func<IFormCollection, Task<IResult>> handle)
    {
        var (form, problem) = await ReadAsync(request);
        return problem ?? await handle(form!);
    }
}
