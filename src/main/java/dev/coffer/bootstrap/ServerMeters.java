package dev.coffer.bootstrap;

import dev.coffer.audit.AuditLog;
import dev.coffer.credential.PasswordAuthenticator;
import dev.coffer.http.FastDownloads;
import dev.coffer.ops.Metrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The server's own meters, beyond the per-request ones: cache hit rates, the audit queue and the
 * fast download path. Registered once the parts they read exist, by the composition root.
 */
final class ServerMeters {
    private ServerMeters() {}

    /** @param fast the fast download path, or null when it is off */
    static void register(Coffer.Services s, PasswordAuthenticator passwords, AuditLog audit, FastDownloads fast) {
        Metrics metrics = s.metrics();
        metrics.monitor("credentials", s.credentials().cacheForMetrics());
        metrics.monitor("passwords", passwords.cacheForMetrics());
        metrics.monitor("files", s.artifacts().cacheForMetrics());
        MeterRegistry registry = metrics.registry();
        Gauge.builder("coffer_audit_queue_depth", audit, AuditLog::queueDepth)
                .description("artifact reads waiting to be written to the audit log")
                .register(registry);
        FunctionCounter.builder("coffer_audit_dropped_reads", audit, AuditLog::dropped)
                .description("artifact reads not audited because the queue was full")
                .register(registry);
        if (fast != null) {
            FunctionCounter.builder("coffer_fast_downloads", fast, FastDownloads::served)
                    .description("small-file downloads served in front of the router")
                    .register(registry);
            FunctionCounter.builder("coffer_fast_downloads_handed_off", fast, FastDownloads::handedOff)
                    .description("requests the selector thread handed to a thread that may wait (a credential, "
                            + "file or content not in memory, a password to hash)")
                    .register(registry);
        }
    }
}
