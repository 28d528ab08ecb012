package dev.coffer.remote;

import java.io.IOException;
import java.io.InputStream;

/** What the upstream answered to one GET, classified; a body must be closed by whoever takes it. */
sealed interface UpstreamAnswer {

    /** 200: the file follows. {@code size} is -1 when the upstream did not say. */
    record Found(InputStream body, long size, Validators validators) implements UpstreamAnswer, AutoCloseable {
        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException e) {
                // the exchange is over either way
            }
        }
    }

    /** 304 to a conditional GET: the cached version is still the current one. */
    record NotModified() implements UpstreamAnswer {}

    /** 404 or 410: the upstream does not have it. */
    record Absent() implements UpstreamAnswer {}

    /**
     * Unreachable, too slow, a 5xx, a refusal of Coffer's credentials or any other answer that is
     * not one of the above. {@code reason} names what happened, never a credential.
     */
    record Failed(String reason) implements UpstreamAnswer {}
}
