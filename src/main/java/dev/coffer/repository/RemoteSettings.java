package dev.coffer.repository;

import java.net.URI;
import java.util.Objects;

/**
 * A remote repository's upstream (API.md §9). The password is kept only sealed (encrypted at
 * rest); it is never returned, logged or audited.
 *
 * @param url the upstream's base URL (http or https, no user info, no query)
 * @param username the upstream's user, or null to fetch without credentials
 * @param sealedPassword the upstream password as stored (encrypted), or null
 * @param cacheSeconds how long fetched metadata is served before it is revalidated (default 600)
 * @param offline serve only what is cached, never ask the upstream
 */
public record RemoteSettings(URI url, String username, String sealedPassword, long cacheSeconds, boolean offline) {
    public static final long DEFAULT_CACHE_SECONDS = 600;

    public RemoteSettings {
        Objects.requireNonNull(url, "url");
        if (cacheSeconds < 0) {
            throw new IllegalArgumentException("cacheSeconds must not be negative");
        }
    }

    /** Redacted: a record's generated toString would print the sealed password. */
    @Override
    public String toString() {
        return "RemoteSettings[url=" + url + ", username=" + (username == null ? "none" : "set") + ", password="
                + (sealedPassword == null ? "none" : "set") + ", cacheSeconds=" + cacheSeconds + ", offline="
                + offline + "]";
    }
}
