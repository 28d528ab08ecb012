package dev.coffer.ops;

import dev.coffer.common.LogLine;
import dev.coffer.config.Settings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What a running server has for its operators besides the API: the access log writer and the
 * optional management listener for /metrics. Closed after the HTTP server, so the last requests
 * are still logged.
 */
public final class Operations implements AutoCloseable {
    private final Settings settings;
    private final Metrics metrics;
    private final AccessLogWriter accessLog;
    private ManagementServer management;

    private Operations(Settings settings, Metrics metrics, AccessLogWriter accessLog) {
        this.settings = settings;
        this.metrics = metrics;
        this.accessLog = accessLog;
    }

    /** Opens the access log as the settings say (off, stdout or a file) and adds the JVM meters. */
    public static Operations open(Settings settings, Metrics metrics) {
        String where = settings.accessLog();
        AccessLogWriter log;
        if (where.equalsIgnoreCase("off")) {
            log = AccessLogWriter.off();
        } else if (where.equalsIgnoreCase("stdout")) {
            log = AccessLogWriter.open(null);
        } else {
            Path file = settings.accessLogFile();
            log = AccessLogWriter.open(file);
        }
        metrics.withJvm();
        return new Operations(settings, metrics, log);
    }

    /** Where access-log lines go; null when the access log is off (no line is even built). */
    public Consumer<LogLine> accessLog() {
        return accessLog.enabled() ? accessLog : null;
    }

    /** Starts the management listener when metrics.port is set, and says where it listens. */
    public void startManagement(PrintStream out) {
        if (settings.metricsPort() == Settings.METRICS_PORT_OFF) {
            return;
        }
        management = ManagementServer.start(settings.host(), settings.metricsPort(), metrics);
        out.println("coffer metrics on http://" + settings.host() + ":" + management.port() + "/metrics");
    }

    /** The management listener's port, or -1 when there is none. */
    public int managementPort() {
        return management == null ? -1 : management.port();
    }

    @Override
    public void close() {
        if (management != null) {
            management.close();
        }
        accessLog.close();
        metrics.close();
    }
}
