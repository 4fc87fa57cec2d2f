-- wrk -s bench/wrk-report.lua: one machine-readable line at the end of a run, latencies in microseconds.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK requests=%d duration_us=%d mean_us=%.1f p99_us=%.1f connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, latency.mean, latency:percentile(99.0),
    e.connect, e.read, e.write, e.status, e.timeout))
end
