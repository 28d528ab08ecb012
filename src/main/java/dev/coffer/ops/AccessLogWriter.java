package dev.coffer.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.EncoderBase;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import dev.coffer.common.LogLine;
import dev.coffer.common.Redaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Writes access log lines (JSON whose fields are redacted as they are written, the whole line masked once more here) through a logback appender
 * owned by this instance, as events of the logger {@code coffer.access}: to a file rotated at
 * 100 MB (five old files kept), to standard output, or nowhere. Each running instance has its own
 * appender, so two servers in one JVM (tests) never write into each other's file.
 *
 * <p>Requests only queue their line; one background thread hands whatever has queued up to the
 * appender as one event (one write), so a busy server does not pay a lock and a system call per
 * request. A line is written within milliseconds when the server is quiet. A full queue makes the
 * request wait (the log never silently loses a line); {@link #close} writes what is queued.
 */
public final class AccessLogWriter implements Consumer<LogLine>, AutoCloseable {
    public static final String LOGGER = "coffer.access";
    private static final int QUEUE = 65_536;
    private static final int BATCH = 512;

    private final Appender<ILoggingEvent> appender;
    private final ch.qos.logback.classic.Logger logger;
    private final dev.coffer.common.Batcher<LogLine> lines;
    private final StringBuilder text = new StringBuilder(1024);
    // the batch's bytes: a plain array, not a ByteArrayOutputStream, whose write(int) is synchronized
    // and checks its capacity per byte (that alone was half of a core at 70,000 requests a second)
    private byte[] out = new byte[BATCH * 512];
    private int length;

    private AccessLogWriter(Appender<ILoggingEvent> appender, ch.qos.logback.classic.Logger logger) {
        this.appender = appender;
        this.logger = logger;
        this.lines = appender == null
                ? null
                : new dev.coffer.common.Batcher<>("coffer-access-log", QUEUE, BATCH, this::write);
    }

    /**
     * Many lines, one event, one write. Each line is formatted here into one reused buffer and
     * encoded straight into the batch's bytes: building a String per request, then its bytes, then
     * formatting it again through a logback pattern was most of what a small download allocated
     * (and so of the young collections that make its p99).
     */
    private void write(java.util.List<LogLine> batch) {
        length = 0; // only the batching thread writes
        for (LogLine line : batch) {
            line.writeTo(text);
            // the sink masks once more, so that no field a writer adds later can put a secret in the
            // file; text without '%' or the secrets' common prefix needs no copy to be sure
            if (Redaction.mayHoldSecret(text) || !ascii(text)) {
                append(Redaction.secrets(text.toString()).getBytes(StandardCharsets.UTF_8));
            } else {
                int n = text.length();
                room(n);
                for (int i = 0; i < n; i++) {
                    out[length++] = (byte) text.charAt(i);
                }
            }
            room(1);
            out[length++] = '\n';
        }
        appender.doAppend(new Encoded(logger, java.util.Arrays.copyOf(out, length)));
    }

    private void append(byte[] bytes) {
        room(bytes.length);
        System.arraycopy(bytes, 0, out, length, bytes.length);
        length += bytes.length;
    }

    private void room(int more) {
        if (length + more > out.length) {
            out = java.util.Arrays.copyOf(out, Math.max(out.length * 2, length + more));
        }
    }

    private static boolean ascii(StringBuilder text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** A batch of lines as the bytes to write, line ends included. */
    private static final class Encoded extends LoggingEvent {
        private final byte[] bytes;

        Encoded(ch.qos.logback.classic.Logger logger, byte[] bytes) {
            super(LOGGER, logger, Level.INFO, "", null, null);
            this.bytes = bytes;
        }
    }

    /** Writes an {@link Encoded} batch as it is (the lines were redacted when they were queued). */
    private static final class BatchEncoder extends EncoderBase<ILoggingEvent> {
        @Override
        public byte[] headerBytes() {
            return null;
        }

        @Override
        public byte[] encode(ILoggingEvent event) {
            return event instanceof Encoded e
                    ? e.bytes
                    : (dev.coffer.common.Redaction.secrets(event.getFormattedMessage()) + "\n")
                            .getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] footerBytes() {
            return null;
        }
    }

    public static AccessLogWriter off() {
        return new AccessLogWriter(null, null);
    }

    /** @param file null for standard output */
    public static AccessLogWriter open(Path file) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            throw new IllegalStateException("the access log needs logback");
        }
        BatchEncoder encoder = new BatchEncoder();
        encoder.setContext(ctx);
        encoder.start();
        Appender<ILoggingEvent> appender;
        if (file == null) {
            ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
            console.setContext(ctx);
            console.setName("coffer-access-stdout");
            console.setEncoder(encoder);
            console.start();
            appender = console;
        } else {
            Path abs = file.toAbsolutePath();
            try {
                Files.createDirectories(abs.getParent());
            } catch (IOException e) {
                throw new IllegalArgumentException("setting 'access.log' (COFFER_ACCESS_LOG): cannot create "
                        + abs.getParent() + ": " + e.getMessage());
            }
            RollingFileAppender<ILoggingEvent> rolling = new RollingFileAppender<>();
            rolling.setContext(ctx);
            rolling.setName("coffer-access-file");
            rolling.setFile(abs.toString());
            rolling.setAppend(true);
            FixedWindowRollingPolicy policy = new FixedWindowRollingPolicy();
            policy.setContext(ctx);
            policy.setParent(rolling);
            policy.setFileNamePattern(abs + ".%i");
            policy.setMinIndex(1);
            policy.setMaxIndex(5);
            policy.start();
            SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
            trigger.setContext(ctx);
            trigger.setMaxFileSize(FileSize.valueOf("100MB"));
            trigger.start();
            rolling.setRollingPolicy(policy);
            rolling.setTriggeringPolicy(trigger);
            rolling.setEncoder(encoder);
            rolling.start();
            if (!rolling.isStarted()) {
                throw new IllegalArgumentException("setting 'access.log' (COFFER_ACCESS_LOG): cannot open " + abs);
            }
            appender = rolling;
        }
        return new AccessLogWriter(appender, ctx.getLogger(LOGGER));
    }

    /** Queues one line; it is formatted (and masked once more) by the writing thread. */
    @Override
    public void accept(LogLine line) {
        if (appender == null) {
            return;
        }
        lines.put(line);
    }

    public boolean enabled() {
        return appender != null;
    }

    @Override
    public void close() {
        if (appender != null) {
            lines.close(5_000);
            appender.stop();
        }
    }
}
