package dev.coffer.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.artifact.FileRecord;
import java.util.List;
import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.http.PreEncodedHttpField;

/**
 * The headers of a file's download, in one place for both ways it is sent ({@link ContentRoutes}
 * through the router, {@link FastDownloads} in front of it), so the two cannot drift apart.
 */
final class FileHeaders {
    // the same on every download: encoded once, copied as bytes into each response
    private static final HttpField ACCEPT_RANGES = new PreEncodedHttpField(HttpHeader.ACCEPT_RANGES, "bytes");
    // uploaded content is never run as part of our origin (the UI keeps its token there)
    private static final HttpField NOSNIFF = new PreEncodedHttpField("X-Content-Type-Options", "nosniff");
    private static final HttpField SANDBOX = new PreEncodedHttpField("Content-Security-Policy", "sandbox");

    private FileHeaders() {}

    static String etag(FileRecord f) {
        return "\"" + f.checksums().sha256() + "\"";
    }

    /**
     * A file's headers, built and encoded once per file record. The records of hot files are
     * cached (and a changed file is a new record), so keyed by identity: a lookup hashes no
     * strings, and an entry goes when its record is no longer held anywhere. Upkeep runs on the
     * reading thread (see CredentialService).
     */
    private static final Cache<FileRecord, List<HttpField>> ENCODED = Caffeine.newBuilder()
            .weakKeys()
            .maximumSize(10_000)
            .executor(Runnable::run)
            .build();

    /** Everything but the length and the status, which depend on the request (ranges, HEAD, 304). */
    static List<HttpField> of(FileRecord f) {
        return ENCODED.get(f, FileHeaders::encode);
    }

    private static List<HttpField> encode(FileRecord f) {
        return List.of(
                new PreEncodedHttpField(HttpHeader.ETAG, etag(f)),
                // Jetty's formatter: the same RFC 1123 text, without java.time's per-call allocations
                new PreEncodedHttpField(
                        HttpHeader.LAST_MODIFIED, DateGenerator.formatDate(f.updatedAt() / 1000 * 1000)),
                ACCEPT_RANGES,
                new PreEncodedHttpField("X-Checksum-Sha256", f.checksums().sha256()),
                new PreEncodedHttpField("X-Checksum-Sha1", f.checksums().sha1()),
                new PreEncodedHttpField("X-Checksum-Md5", f.checksums().md5()),
                NOSNIFF,
                SANDBOX,
                new PreEncodedHttpField(
                        HttpHeader.CONTENT_TYPE, contentType(f.path().name())));
    }

    /** As the servlet response writes it: Jetty's own spelling of the types it knows ("text/plain;charset=utf-8"). */
    static String contentType(String fileName) {
        String type = MediaTypes.forName(fileName);
        MimeTypes.Type known = MimeTypes.CACHE.get(type);
        return known == null ? type : known.asString();
    }
}
