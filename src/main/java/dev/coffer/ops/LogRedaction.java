package dev.coffer.ops;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import dev.coffer.common.Redaction;

/**
 * The server log's last line of defence (logback.xml uses these for {@code %msg} and {@code %ex}):
 * every message and every stack trace is written through {@link Redaction#secrets}, so a secret
 * that reaches a log call by accident — in an exception's message, a library's warning about a
 * request it refused — is masked like everywhere else. Text without '%' or "cof" costs one scan.
 */
public final class LogRedaction {
    private LogRedaction() {}

    /** {@code %msg}, redacted. */
    public static final class Message extends MessageConverter {
        @Override
        public String convert(ILoggingEvent event) {
            return Redaction.secrets(super.convert(event));
        }
    }

    /** {@code %ex}, redacted. */
    public static final class Stack extends ThrowableProxyConverter {
        @Override
        protected String throwableProxyToString(IThrowableProxy tp) {
            return Redaction.secrets(super.throwableProxyToString(tp));
        }
    }
}
