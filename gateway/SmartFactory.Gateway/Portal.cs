namespace SmartFactory.Gateway;

/// <summary>The portal's front page; the public catalog pages come with the catalog service.</summary>
public static class Portal
{
    public const string Home = """
        <!doctype html>
        <html lang="zh-CN">
        <head><meta charset="utf-8"><title>湖北省智能工厂梯度培育平台</title></head>
        <body>
          <h1>湖北省智能工厂梯度培育平台</h1>
          <p>Smart factory programme of Hubei province: registry of enterprises and factories, campaigns, applications and recognitions.</p>
          <ul>
            <li><a href="/openapi/v1.json">REST API (OpenAPI)</a></li>
            <li><code>GET /api/v1/factories</code>, <code>GET /api/v1/enterprises</code> (sign-in required)</li>
            <li><code>GET /api/v1/campaigns</code>, <code>GET /api/v1/applications</code>, <code>GET /api/v1/recognitions</code>,
              <code>GET /api/v1/deadlines</code> (sign-in required)</li>
          </ul>
        </body>
        </html>
        """;
}
