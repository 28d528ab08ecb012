package dev.coffer.testing;

/**
 * A running Coffer that a test calls over HTTP on 127.0.0.1: a {@link TestServer} in this JVM or a
 * {@link CofferProcess}. {@link Fixtures} and {@link RawHttp} take one, so that the same set-up
 * serves the in-process tests and the integration tests.
 */
public interface Server {
    int port();

    default String base() {
        return "http://127.0.0.1:" + port();
    }

    /** A client acting as the bootstrap administrator. */
    Http admin();

    default Http anonymous() {
        return new Http(base());
    }
}
