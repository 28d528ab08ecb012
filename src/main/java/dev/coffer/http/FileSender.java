package dev.coffer.http;

import dev.coffer.artifact.FileRecord;
import dev.coffer.blob.BlobHandle;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.HttpOutput;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;

/**
 * Sends a file's download on the router's path: headers, conditional requests (304), a single
 * byte range (206, 416), HEAD, then the bytes. Large files on local disk go out with
 * {@code sendfile} ({@link FileRegionEndPoint}); other content streams through a buffer, never
 * held whole.
 */
final class FileSender {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
    // remote stores (S3): what one read from the object's stream may bring
    private static final int BUFFER = 128 * 1024;
    // below this, the copy costs less than a mapping and a sendfile
    private static final long REGION_THRESHOLD = 256 * 1024;

    /**
     * Mapped per region at most (a buffer holds under 2 GiB). Mapping costs no memory: sendfile
     * reads the file, not the mapping. Not final for tests, which send many regions of a small file.
     */
    static volatile long regionBytes = 1L << 30;

    private FileSender() {}

    /** {@code blob} is opened before any header is set, so a storage fault can still answer with a JSON error. */
    static void send(Context ctx, FileRecord f, BlobHandle blob) throws IOException {
        String etag = FileHeaders.etag(f);
        long lastModifiedSeconds = f.updatedAt() / 1000;
        for (HttpField h : FileHeaders.of(f)) {
            if (h.getHeader() == HttpHeader.CONTENT_TYPE) {
                ctx.contentType(h.getValue());
            } else {
                ctx.header(h.getName(), h.getValue());
            }
        }

        if (notModified(ctx, etag, lastModifiedSeconds)) {
            ctx.status(304);
            return;
        }
        long size = f.size();
        long offset = 0;
        long length = size;
        String range = ctx.header("Range");
        String ifRange = ctx.header("If-Range");
        if (range != null && (ifRange == null || ifRange.equals(etag))) {
            Optional<long[]> parsed = Ranges.parse(range, size);
            if (parsed == null) {
                ctx.header("Content-Range", "bytes */" + size);
                Errors.send(
                        ctx,
                        416,
                        "range_not_satisfiable",
                        "the requested range is outside the file of " + size + " bytes");
                return;
            }
            if (parsed.isPresent()) {
                offset = parsed.get()[0];
                length = parsed.get()[1] - offset + 1;
                ctx.status(206);
                ctx.header("Content-Range", "bytes " + offset + "-" + (offset + length - 1) + "/" + size);
            }
        }
        ctx.header("Content-Length", String.valueOf(length));
        if (ctx.method() == HandlerType.HEAD) {
            return;
        }
        OutputStream out = ctx.res().getOutputStream();
        Optional<Path> local = blob.localFile();
        if (length >= REGION_THRESHOLD && local.isPresent() && out instanceof HttpOutput jetty) {
            EndPoint endPoint =
                    Exchange.of(ctx).getConnectionMetaData().getConnection().getEndPoint();
            sendRegions(jetty, endPoint instanceof FileRegionEndPoint e ? e : null, local.get(), offset, length);
            return;
        }
        try (InputStream in = blob.openStream(offset, length)) {
            byte[] buf = new byte[(int) Math.min(BUFFER, Math.max(length, 1))];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
            out.flush();
        }
    }

    /**
     * Writes [offset, offset + length) of {@code file} as read-only mappings, each announced to the
     * connection so that it leaves with sendfile; without such a connection ({@code endPoint}
     * null) the mapping itself is written. Blobs are immutable, so neither sees the file change.
     * The write blocks until the socket has taken the region, so the file is open no longer than
     * the response.
     */
    private static void sendRegions(HttpOutput out, FileRegionEndPoint endPoint, Path file, long offset, long length)
            throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = offset;
            long end = offset + length;
            long chunk = regionBytes;
            while (pos < end) {
                long n = Math.min(chunk, end - pos);
                ByteBuffer region = ch.map(FileChannel.MapMode.READ_ONLY, pos, n);
                if (endPoint != null) {
                    endPoint.announce(region, ch, pos);
                }
                out.write(region);
                pos += n;
            }
            out.flush();
        } finally {
            if (endPoint != null) {
                endPoint.forget();
            }
        }
    }

    /** Whether an If-None-Match header (null: none) names {@code etag} (weakly compared, as GETs do). */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private static boolean notModified(Context ctx, String etag, long lastModifiedSeconds) {
        String inm = ctx.header("If-None-Match");
        if (inm != null) {
            return matches(inm, etag);
        }
        String ims = ctx.header("If-Modified-Since");
        if (ims != null) {
            try {
                long since = ZonedDateTime.parse(ims.trim(), HTTP_DATE).toEpochSecond();
                return lastModifiedSeconds <= since;
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return false;
    }
}
