using System.Text.RegularExpressions;
using SmartFactory.ServiceDefaults;

namespace SmartFactory.Deployment.Tests;

/// <summary>The chart's templates against the code: probes, migrations, exposure, scaling and its own values.</summary>
public class ChartTests
{
    public static TheoryData<string> Services() => new(Repo.Services.Keys);

    private static string Block(string text, string key)
    {
        // The indented block under "key:" (up to the next line at the same or a smaller indentation).
        var match = Regex.Match(text, $@"(?m)^( *){Regex.Escape(key)}:\n((?:\1 +.*\n)+)");
        Assert.True(match.Success, $"no '{key}:' block");
        return match.Groups[2].Value;
    }

    [Fact]
    public void Probes_use_the_health_paths_the_code_maps_on_the_http_port()
    {
        var deployment = Repo.Template("deployment.yaml");
        // Every probe asks one of the two paths the building blocks map.
        var probed = Regex.Matches(deployment, @"path: (\S+)").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Equal(new HashSet<string> { ServiceSettings.LivePath, ServiceSettings.ReadyPath }, probed);

        var readiness = Block(deployment, "readinessProbe");
        var liveness = Block(deployment, "livenessProbe");
        Assert.Contains($"path: {ServiceSettings.ReadyPath}", readiness);
        Assert.Contains($"path: {ServiceSettings.LivePath}", liveness);
        Assert.Contains($"path: {ServiceSettings.LivePath}", Block(deployment, "startupProbe"));
        // The health endpoints answer on the HTTP/1.1 endpoint; the gRPC one is HTTP/2-only.
        Assert.Contains("port: http", readiness);
        Assert.Contains("port: http", liveness);
        Assert.Contains("- name: http\n              containerPort: {{ $svc.ports.http }}", deployment);
        Assert.Contains("- name: grpc\n              containerPort: {{ $svc.ports.grpc }}", deployment);
    }

    [Fact]
    public void Deployments_run_non_root_on_a_read_only_filesystem_with_resources()
    {
        Assert.Equal("true", Yaml.String(Repo.Values, "podSecurityContext.runAsNonRoot"));
        Assert.Equal("true", Yaml.String(Repo.Values, "containerSecurityContext.runAsNonRoot"));
        Assert.Equal("true", Yaml.String(Repo.Values, "containerSecurityContext.readOnlyRootFilesystem"));
        Assert.Equal("false", Yaml.String(Repo.Values, "containerSecurityContext.allowPrivilegeEscalation"));
        foreach (var template in new[] { "deployment.yaml", "migrations-job.yaml" })
        {
            var text = Repo.Template(template);
            Assert.Contains("toYaml $.Values.containerSecurityContext", text);
            Assert.Contains("mountPath: /tmp", text);
            Assert.Contains("include \"smartfactory.podSpecCommon\" $", text);
        }
        foreach (var (name, svc) in Repo.Services)
        {
            Assert.NotNull(Yaml.Get(svc, "resources.requests.cpu"));
            Assert.NotNull(Yaml.Get(svc, "resources.limits.memory"));
        }
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void A_service_with_a_schema_has_a_database_that_the_chart_creates_and_migrates(string service)
    {
        var schema = Repo.SchemaOf(service);
        var database = Yaml.Get(Repo.Services[service], "database") as string;
        Assert.Equal(schema is not null, database is { Length: > 0 });
        if (database is null) return;
        // The migrate command lives in RunServiceAsync; a service with a database must end with it.
        var program = File.ReadAllText(Path.Combine(Repo.ProjectDirOf(service), "Program.cs"));
        Assert.Contains("await app.RunServiceAsync(args);", program);
        var initdb = Yaml.Map(Yaml.Get(Repo.Values, "postgresql.primary.initdb.scripts")).Values.Cast<string>();
        Assert.Contains(initdb, script => Regex.IsMatch(script, $@"CREATE DATABASE {database} OWNER {Yaml.String(Repo.Values, "postgresql.auth.username")};"));
    }

    [Fact]
    public void Migrations_job_runs_migrate_before_install_and_upgrade()
    {
        Assert.Equal("migrate", ServiceSettings.MigrateCommand);
        var job = Repo.Template("migrations-job.yaml");
        Assert.Contains("kind: Job", job);
        Assert.Contains($"args: [\"{ServiceSettings.MigrateCommand}\"]", job);
        Assert.Contains("{{- if and $svc.enabled $svc.database }}", job);
        Assert.Contains("helm.sh/hook: {{ include \"smartfactory.migrations.hook\" $ }}", job);
        Assert.Contains("restartPolicy: Never", job);
        var hook = Regex.Match(Repo.Template("_helpers.tpl"), @"define ""smartfactory\.migrations\.hook"" -}}\n(.+)\n").Groups[1].Value;
        Assert.Contains("pre-upgrade", hook);
        Assert.Contains("pre-install,pre-upgrade", hook);
        // Only the database connection: the migrate command touches neither Redis nor tokens.
        Assert.Contains("key: ConnectionStrings__Postgres", job);
    }

    [Fact]
    public void Only_the_gateway_is_reachable_from_outside()
    {
        var publicServices = Repo.Services.Where(s => Yaml.Bool(s.Value, "public")).Select(s => s.Key).ToList();
        Assert.Equal(["gateway"], publicServices);
        Assert.Equal("true", Yaml.String(Repo.Values, "networkPolicy.enabled"));

        var policies = Repo.Template("networkpolicy.yaml");
        var defaultDeny = policies[policies.IndexOf("-default-deny", StringComparison.Ordinal)..policies.IndexOf("{{- range", StringComparison.Ordinal)];
        Assert.Contains("policyTypes:\n    - Ingress", defaultDeny);
        Assert.DoesNotContain("ingress:", defaultDeny);
        Assert.Contains("key: smartfactory.io/service", defaultDeny);
        // Non-public services: only pods carrying the platform's service label, on gRPC.
        var internalRule = policies[policies.IndexOf("{{- else }}", StringComparison.Ordinal)..];
        Assert.Contains("podSelector:", internalRule);
        Assert.Contains("key: smartfactory.io/service", internalRule);
        Assert.Contains("port: grpc", internalRule);
        Assert.Contains("smartfactory.io/service: {{ .name }}", Repo.Template("_helpers.tpl"));

        var ingress = Repo.Template("ingress.yaml");
        Assert.Contains("{{- if and $svc.enabled $svc.public }}", ingress);
        Assert.Contains("name: http", Block(ingress, "backend"));
        Assert.Contains("{{- if and $svc.public (dig \"grpcService\" \"type\" \"\" $svc) }}", Repo.Template("service.yaml"));
    }

    [Fact]
    public void Every_upstream_call_is_one_the_network_policies_admit()
    {
        // Service-to-service traffic is declared as upstreams; the policies admit it as "any platform pod to a
        // non-public service's gRPC port" and leave egress open, so each declared call must fit that shape.
        var policies = Repo.Template("networkpolicy.yaml");
        Assert.DoesNotContain("- Egress", policies);
        Assert.Contains("{{- include \"smartfactory.serviceLabels\" $ctx | nindent 8 }}", Repo.Template("deployment.yaml"));
        var calls = Calls("upstreams").Concat(Calls("proxyUpstreams")).ToList();
        Assert.Contains(("gateway", "notices"), calls);
        Assert.Contains(("notices", "registry"), calls);
        foreach (var (caller, target) in calls)
        {
            Assert.Contains(target, Repo.Services.Keys);
            Assert.False(Yaml.Bool(Repo.Services[target], "public"), $"{caller} calls {target}, which is public: its rule is not the internal one");
        }
    }

    private static IEnumerable<(string Caller, string Target)> Calls(string key) =>
        Repo.Services.SelectMany(s => Yaml.Get(s.Value, key) is Dictionary<string, object?> upstreams
            ? upstreams.Values.Select(target => (Caller: s.Key, Target: (string)target!)) : []);

    [Fact]
    public void Calls_between_services_resolve_a_headless_service_to_balance_over_its_replicas()
    {
        // Every service the platform calls inside (every non-public one) has a headless Service on its gRPC port ...
        var services = Repo.Template("service.yaml");
        var headless = services[services.IndexOf("{{- if not $svc.public }}", StringComparison.Ordinal)..services.IndexOf("{{- if and $svc.public", StringComparison.Ordinal)];
        Assert.Contains("kind: Service", headless);
        Assert.Contains("name: {{ include \"smartfactory.headlessServiceName\" $ctx }}", headless);
        Assert.Contains("clusterIP: None", headless);
        Assert.Contains("{{- include \"smartfactory.selectorLabels\" $ctx | nindent 4 }}", headless);
        Assert.Equal(["grpc"], Regex.Matches(headless, @"- name: (\w+)").Select(m => m.Groups[1].Value));
        Assert.Contains("port: {{ $svc.ports.grpc }}", headless);
        Assert.Contains("appProtocol: kubernetes.io/h2c", headless);
        var helper = Regex.Match(Repo.Template("_helpers.tpl"), @"define ""smartfactory\.headlessServiceName"" -}}\n(.+)\n").Groups[1].Value;
        Assert.Contains("printf \"%s-headless\" (include \"smartfactory.serviceName\" . | trunc 54", helper);

        // ... which every caller's gRPC client resolves (dns:///, round_robin over the addresses), on that gRPC port;
        // a call to a public service, which has none, does not render.
        var configmap = Repo.Template("configmap.yaml");
        Assert.Contains("Services__{{ $key }}: {{ printf \"dns:///%s:%v\" (include \"smartfactory.headlessServiceName\" (dict \"root\" $ \"name\" $target)) $upstream.ports.grpc | quote }}", configmap);
        Assert.Contains("{{- if not (and $upstream $upstream.enabled (not $upstream.public)) }}", configmap);
        foreach (var (caller, target) in Calls("upstreams"))
            Assert.False(Yaml.Bool(Repo.Services[target], "public"), $"{caller} calls {target}, which has no headless Service");

        // YARP's destinations need http://: the gateway's proxied clusters go through the ClusterIP Service.
        Assert.Contains("Gateway__Proxy__{{ $key }}: {{ printf \"http://%s:%v\" (include \"smartfactory.serviceName\" (dict \"root\" $ \"name\" $target)) $upstream.ports.grpc | quote }}", configmap);
        Assert.Equal(["gateway"], Repo.Services.Where(s => s.Value.ContainsKey("proxyUpstreams")).Select(s => s.Key));
    }

    [Fact]
    public void An_otel_endpoint_when_set_reaches_every_workload()
    {
        Assert.Equal("", Yaml.String(Repo.Values, "otel.endpoint"));
        // The Deployments take their environment from the ConfigMap; the migrations Job sets its own.
        Assert.Contains("{{- with $.Values.otel.endpoint }}\n  OTEL_EXPORTER_OTLP_ENDPOINT: {{ . | quote }}\n  {{- end }}", Repo.Template("configmap.yaml"));
        Assert.Contains("- configMapRef:", Block(Repo.Template("deployment.yaml"), "envFrom"));
        Assert.Contains("{{- with $.Values.otel.endpoint }}\n            - name: OTEL_EXPORTER_OTLP_ENDPOINT\n              value: {{ . | quote }}\n            {{- end }}",
            Repo.Template("migrations-job.yaml"));
        // Those are every workload the chart runs of its own.
        var workloads = Repo.Templates().Where(t => Regex.IsMatch(File.ReadAllText(t), @"(?m)^kind: (Deployment|Job|StatefulSet|DaemonSet|CronJob)$"))
            .Select(Path.GetFileName).Order();
        Assert.Equal(["deployment.yaml", "migrations-job.yaml"], workloads);
    }

    [Fact]
    public void The_gateway_ingress_lets_notice_objections_through()
    {
        // The notices service takes messages up to MaxObjectionBytes; the Ingress in front of the gateway must pass them.
        long maxObjection = SmartFactory.Notices.Extensions.MaxObjectionBytes;
        Assert.Equal(60L * 1024 * 1024, maxObjection);

        var bodySize = Yaml.String(Repo.Services["gateway"], "maxRequestBodySize");
        Assert.Equal("64m", bodySize);
        Assert.True(64L * 1024 * 1024 > maxObjection + 1024 * 1024, "room for the gRPC framing and the rest of the request");
        var ingress = Repo.Template("ingress.yaml");
        Assert.Contains("{{- with $svc.maxRequestBodySize }}\n{{- $annotations = merge $annotations (dict \"nginx.ingress.kubernetes.io/proxy-body-size\" (toString .)) }}", ingress);
        Assert.Contains("{{- with $annotations }}\n  annotations:\n    {{- toYaml . | nindent 4 }}", ingress);
        // No chart-wide annotation overrides it with something smaller.
        Assert.DoesNotContain(Yaml.Map(Yaml.Get(Repo.Values, "ingress.annotations")).Keys, k => k.EndsWith("proxy-body-size", StringComparison.Ordinal));
    }

    [Fact]
    public void The_gateway_scales_horizontally_with_autoscaling_v2()
    {
        var gateway = Repo.Services["gateway"];
        Assert.True(Yaml.Bool(gateway, "autoscaling.enabled"));
        Assert.True(Yaml.Int(gateway, "autoscaling.maxReplicas") > Yaml.Int(gateway, "autoscaling.minReplicas"));
        var hpa = Repo.Template("hpa.yaml");
        Assert.Contains("apiVersion: autoscaling/v2", hpa);
        Assert.Contains("kind: HorizontalPodAutoscaler", hpa);
        Assert.Contains("averageUtilization: {{ $svc.autoscaling.targetCPUUtilizationPercentage", hpa);
        Assert.Contains("{{- if and $svc.enabled (dig \"autoscaling\" \"enabled\" false $svc) }}", hpa);
        // The HPA owns the replica count of an autoscaled Deployment.
        Assert.Contains("{{- if not (dig \"autoscaling\" \"enabled\" false $svc) }}\n  replicas:", Repo.Template("deployment.yaml"));
    }

    [Fact]
    public void Every_dependency_can_be_switched_off_for_a_managed_service()
    {
        var chart = Yaml.Map(Yaml.Parse(File.ReadAllText(Path.Combine(Repo.Chart, "Chart.yaml"))));
        Assert.Equal("v2", chart["apiVersion"]);
        var dependencies = Yaml.List(chart["dependencies"]).Select(Yaml.Map).ToList();
        Assert.Equal(["elasticsearch", "keycloak", "postgresql", "redis"], dependencies.Select(d => (string)d["name"]!).Order());
        foreach (var dependency in dependencies)
        {
            var name = (string)dependency["name"]!;
            Assert.Equal($"{name}.enabled", dependency["condition"]);
            Assert.Contains(Yaml.Get(Repo.Values, $"{name}.enabled"), new object[] { "true", "false" });
            Assert.NotNull(dependency["repository"]);
            Assert.NotNull(dependency["version"]);
        }
        // With the bundled one off, the external settings take over.
        var helpers = Repo.Template("_helpers.tpl");
        Assert.Contains(".Values.externalDatabase.host", helpers);
        Assert.Contains(".Values.externalRedis.host", helpers);
        Assert.Contains("auth.authority is required when keycloak.enabled=false", helpers);
    }

    [Fact]
    public void Templates_read_only_values_that_exist()
    {
        var missing = new List<string>();
        foreach (var template in Repo.Templates())
            foreach (Match m in Regex.Matches(File.ReadAllText(template), @"\$?\.Values\.([A-Za-z0-9_.]+)"))
                if (Yaml.Get(Repo.Values, m.Groups[1].Value.TrimEnd('.')) is null && !Repo.Values.ContainsKey(m.Groups[1].Value))
                    missing.Add($"{Path.GetFileName(template)}: .Values.{m.Groups[1].Value}");
        Assert.True(missing.Count == 0, "values.yaml lacks " + string.Join(", ", missing.Distinct()));
    }

    [Fact]
    public void Connection_strings_live_in_secrets_and_can_come_from_an_existing_one()
    {
        var secret = Repo.Template("secret.yaml");
        Assert.Contains("kind: Secret", secret);
        Assert.Contains("ConnectionStrings__Redis:", secret);
        Assert.Contains("ConnectionStrings__Postgres:", secret);
        Assert.Contains("(not $svc.existingSecret)", secret);
        Assert.DoesNotContain("ConnectionStrings__", Repo.Template("configmap.yaml"));
        Assert.Contains("name: {{ $svc.existingSecret | default (include \"smartfactory.serviceName\" $ctx) }}", Repo.Template("deployment.yaml"));
        foreach (var svc in Repo.Services.Values) Assert.True(svc.ContainsKey("existingSecret"));
    }
}
