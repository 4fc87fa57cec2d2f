// Bare Kestrel: answers GET <path> with the bytes of <body file> and the given content type, HTTP/1.1 only,
// so bench/run can compare the gateway's REST route with what Kestrel alone costs in the same run.
// Usage: dotnet BareKestrel.dll <url> <path> <body file> <content type>
using Microsoft.AspNetCore.Server.Kestrel.Core;

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: BareKestrel <url> <path> <body file> <content type>");
    return 2;
}

var url = new Uri(args[0]);
var path = args[1];
var body = File.ReadAllBytes(args[2]);
var contentType = args[3];

var builder = WebApplication.CreateBuilder();
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel =>
    kestrel.Listen(System.Net.IPAddress.Parse(url.Host), url.Port, listen => listen.Protocols = HttpProtocols.Http1));

var app = builder.Build();
app.MapGet(path, (HttpContext context) =>
{
    context.Response.ContentType = contentType;
    context.Response.ContentLength = body.Length;
    return context.Response.Body.WriteAsync(body).AsTask();
});
app.Run();
return 0;
