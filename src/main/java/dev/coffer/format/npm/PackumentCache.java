package dev.coffer.format.npm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Package documents as the bytes last sent, per package revision, form and registry address: a
 * document is otherwise assembled per request from every version's manifest (bench/npm-run
 * measured about 10k documents/s against 85k small file reads). Keyed by the revision read from
 * the database (one row), so a change on any node is a new key and never serves an old document;
 * the same key gives the document its ETag, so npm revalidates its cache with a 304.
 */
public final class PackumentCache {
    private static final long MAX_BYTES = 32L * 1024 * 1024;

    private final NpmPackages packages;
    private final Cache<Key, byte[]> documents = Caffeine.newBuilder()
            .maximumWeight(MAX_BYTES)
            .weigher((Key k, byte[] v) -> v.length + 200)
            .executor(Runnable::run)
            .build();

    public PackumentCache(NpmPackages packages) {
        this.packages = packages;
    }

    /** One form of one revision of a package as seen from one registry address. */
    public record Key(String repo, String name, long revision, long createdAt, boolean abbreviated, String registry) {
        /** A strong validator: the same key is the same bytes. */
        public String etag() {
            try {
                MessageDigest d = MessageDigest.getInstance("SHA-256");
                d.update((repo + '\0' + name + '\0' + registry).getBytes(StandardCharsets.UTF_8));
                String where = HexFormat.of().formatHex(d.digest(), 0, 8);
                return "\"" + revision + "-" + createdAt + (abbreviated ? "-a-" : "-f-") + where + "\"";
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The key of what the package is now, or empty when there is no such package. */
    public Optional<Key> current(String repo, String name, boolean abbreviated, String registry) {
        return packages.stamp(repo, name)
                .map(s -> new Key(repo, name, s.revision(), s.createdAt(), abbreviated, registry));
    }

    /** The document for {@code key}, or a newer one (then with its own key) when it changed meanwhile. */
    public Sent document(Key key) {
        byte[] cached = documents.getIfPresent(key);
        if (cached != null) {
            return new Sent(key, cached);
        }
        NpmPackage p = packages.require(key.repo(), key.name());
        Key actual = new Key(key.repo(), key.name(), p.revision(), p.createdAt(), key.abbreviated(), key.registry());
        try {
            byte[] bytes = Packument.MAPPER.writeValueAsBytes(Packument.of(p, key.registry(), key.abbreviated()));
            documents.put(actual, bytes);
            return new Sent(actual, bytes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public record Sent(Key key, byte[] bytes) {}
}
